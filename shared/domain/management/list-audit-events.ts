import type { AuditAction } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import { InvalidRequestError } from '../errors.js';
import { type AuditLogReader, InvalidCursorError } from '../ports.js';
import { toAuditEventView } from './audit-event-view.js';
import { auditVisibilityFor } from './delegation.js';
import { assertMayCall } from './permissions.js';
import type { AuditEventPage } from './response-schemas.js';

export type { AuditEventPage };

/** What the audit reader works with. */
export interface AuditReadDeps {
  auditLog: AuditLogReader;
  catalog: RouteCatalog;
}

/**
 * `GET /v1/audit-events`: one page of the caller's company's audit events, newest first, optionally
 * about or by one key (`keyId`) and of one action. Root admins see every event of their company; a
 * calling key sees only events whose target is a key it covers (judged on the target's scopes at the
 * event), never a company-wide one. A cursor not made for this company's list with this filter is a 400.
 */
export async function listAuditEvents(
  deps: AuditReadDeps,
  caller: Caller,
  query: { limit: number; cursor?: string; keyId?: string; action?: AuditAction },
): Promise<AuditEventPage> {
  assertMayCall(deps.catalog, caller, 'list-audit-events');
  const visible = auditVisibilityFor(deps.catalog, caller);
  const filter = {
    ...(query.keyId !== undefined ? { keyId: query.keyId } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
  };
  try {
    const page = await deps.auditLog.list(caller.companyId, {
      limit: query.limit,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      filter,
      ...(visible ? { visible } : {}),
    });
    return { items: page.items.map(toAuditEventView), nextCursor: page.nextCursor ?? null };
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new InvalidRequestError('The cursor is not valid here; start again without one.', [
        {
          parameter: 'cursor',
          detail:
            'cursor must be the nextCursor of a previous page of this list, with the same keyId and action',
        },
      ]);
    }
    throw error;
  }
}
