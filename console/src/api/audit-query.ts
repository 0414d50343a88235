import type { AuditQuery } from './types.js';

/**
 * The audit query as `GET /v1/audit-events`'s query string (`?limit=…&cursor=…`), leaving out what is
 * not set (the API's defaults apply then).
 */
export function auditSearch(query: AuditQuery): string {
  const search = new URLSearchParams();
  if (query.limit !== undefined) search.set('limit', String(query.limit));
  if (query.cursor) search.set('cursor', query.cursor);
  if (query.keyId) search.set('keyId', query.keyId);
  if (query.action) search.set('action', query.action);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
