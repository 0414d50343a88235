import { type AuditSubject, buildAccessDeniedEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import type { ManagementHandler } from '../catalog/catalog-types.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import type { Clock } from '../clock.js';
import type { NotPermittedError } from '../errors.js';
import { isKeyId } from '../keys/key-id.js';
import type { AuditRecorder, Log } from '../ports.js';

/**
 * Refused management attempts in the audit log (`access.denied`), so an admin sees a key trying to
 * escalate. A refusal changes nothing, so its record is a write of its own, not part of a change's
 * transaction.
 *
 * When that write fails the refusal still stands and the caller still gets its 403: the refusal is
 * the safe outcome, and answering 500 instead would tell the caller nothing true. The failure is
 * logged as an error (operation, company, event id — never the request), so an alarm on error logs
 * sees it.
 */

export interface RefusalAuditDeps {
  auditLog: AuditRecorder;
  /** The key a refused request named, when it is the company's (for the record's target). */
  findKey?: (companyId: string, keyId: string) => Promise<AuditSubject | undefined>;
  catalog: RouteCatalog;
  clock: Clock;
  log: Log;
}

/** The catalog's operation name of a handler (`CreateApiKey`), as scopes spell it. */
function operationOf(catalog: RouteCatalog, handler: ManagementHandler): string {
  return catalog.routes.find((route) => route.handler === handler)?.operation ?? handler;
}

/**
 * Records that `caller` was refused `handler` (on the key `keyId`, when the request named one: the
 * key the refusal carries, or else the one `findKey` reads). Never throws: a record that cannot be
 * written is logged, and the refusal goes on as it was.
 */
export async function recordRefusal(
  deps: RefusalAuditDeps,
  caller: Caller,
  handler: ManagementHandler,
  refusal: NotPermittedError,
  keyId: string | undefined,
): Promise<void> {
  await writeRefusal(deps, caller, handler, refusal.detail, async () =>
    refusal.subject !== undefined
      ? refusal.subject
      : keyId !== undefined && isKeyId(keyId) && deps.findKey !== undefined
        ? ((await deps.findKey(caller.companyId, keyId)) ?? null)
        : null,
  );
}

/** The reason recorded when a key tried to change a key it does not manage (it was told 404). */
export const OUT_OF_REACH_REASON =
  "the key is outside the calling key's reach (its scopes do not cover the key's); it was answered 404, as for an unknown key";

/**
 * A key's attempt to change a key of its company that it does not manage: it is answered 404 (the
 * key does not exist for it), and the attempt is recorded as `access.denied` with that key as its
 * target, so that the admin sees a key probing beyond its reach. Nothing is recorded when no such key
 * exists (an ordinary 404), for a root admin, or without `findKey`. Never throws.
 */
export async function recordOutOfReach(
  deps: RefusalAuditDeps,
  caller: Caller,
  handler: ManagementHandler,
  keyId: string | undefined,
): Promise<void> {
  const { findKey } = deps;
  if (caller.kind !== 'key' || keyId === undefined || !isKeyId(keyId) || findKey === undefined) return;
  await writeRefusal(deps, caller, handler, OUT_OF_REACH_REASON, async () => {
    const target = await findKey(caller.companyId, keyId);
    return target ?? 'none';
  });
}

async function writeRefusal(
  deps: RefusalAuditDeps,
  caller: Caller,
  handler: ManagementHandler,
  reason: string,
  targetOf: () => Promise<AuditSubject | null | 'none'>,
): Promise<void> {
  const operation = operationOf(deps.catalog, handler);
  try {
    const target = await targetOf();
    if (target === 'none') return;
    const event = buildAccessDeniedEvent({ caller, now: deps.clock.now(), operation, reason, target });
    await deps.auditLog.record(event);
  } catch (error) {
    deps.log.error('refused attempt not recorded in the audit log; the refusal stands', {
      operation,
      companyId: caller.companyId,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
  }
}
