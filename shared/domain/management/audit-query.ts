import * as z from 'zod/mini';
import '../zod-english.js';
import { AUDIT_ACTIONS, type AuditAction, isAuditAction } from '../audit/audit-actions.js';
import { type FieldProblem, InvalidRequestError } from '../errors.js';
import { isKeyId } from '../keys/key-id.js';
import { DEFAULT_PAGE_SIZE, listKeysQuery, readListQuery } from './request-schemas.js';

/**
 * The `GET /v1/audit-events` query, apart from the other requests' shapes so that the functions that
 * never read the log do not bundle it.
 */

/** The `GET /v1/audit-events` query as the document describes it; `readAuditQuery` reads it. */
export const listAuditEventsQuery = {
  ...listKeysQuery,
  keyId: z
    .uuid()
    .check(
      z.describe(
        "Only events about, by or creating this key (its id): those whose target or actor it is, and the rotation that created it (that event's target is the old key; `changes.newKeyId` is this key).",
      ),
    ),
  action: z.enum(AUDIT_ACTIONS).check(z.describe('Only events of this action.')),
};

/**
 * `GET /v1/audit-events` query: `limit` and `cursor` as the key list's, plus `keyId` (a key id) and
 * `action` (one of the audit actions), each given at most once. Every bad parameter is named in one 400.
 */
export function readAuditQuery(event: {
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
}): { limit: number; cursor?: string; keyId?: string; action?: AuditAction } {
  const query = event.queryStringParameters ?? {};
  const repeated = event.multiValueQueryStringParameters ?? {};
  const errors: FieldProblem[] = [];
  let page: { limit: number; cursor?: string } = { limit: DEFAULT_PAGE_SIZE };
  try {
    page = readListQuery(event);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    errors.push(...(error.errors ?? []));
  }
  for (const parameter of ['keyId', 'action']) {
    if ((repeated[parameter]?.length ?? 0) > 1)
      errors.push({ parameter, detail: `give ${parameter} at most once` });
  }
  const { keyId, action } = query;
  if (keyId !== undefined && !isKeyId(keyId)) {
    errors.push({ parameter: 'keyId', detail: 'keyId must be the id of an API key' });
  }
  if (action !== undefined && !isAuditAction(action)) {
    errors.push({ parameter: 'action', detail: `action must be one of: ${AUDIT_ACTIONS.join(', ')}` });
  }
  if (errors.length > 0)
    throw new InvalidRequestError('The query parameters are not valid; see errors.', errors);
  return {
    ...page,
    ...(keyId !== undefined ? { keyId } : {}),
    ...(action !== undefined && isAuditAction(action) ? { action } : {}),
  };
}
