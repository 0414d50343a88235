import type { AuditEventFilter } from '../ports.js';
import type { AuditEvent } from './audit-event.js';

/**
 * Whether `event` is one `filter` asks for: of `action`, and about, by or creating `keyId` — its
 * target, its actor, or the rotation that created it. A rotation's target is the old key and its
 * `changes.newKeyId` the successor, so a successor's trail starts with the rotation it came from.
 */
export function matchesAuditFilter(
  event: Pick<AuditEvent, 'action' | 'actor' | 'target' | 'changes'>,
  filter: AuditEventFilter,
): boolean {
  if (filter.action !== undefined && event.action !== filter.action) return false;
  if (filter.keyId === undefined) return true;
  const byKey = event.actor.type === 'key' && event.actor.keyId === filter.keyId;
  const createdKey = event.action === 'api-key.rotated' && event.changes.newKeyId === filter.keyId;
  return byKey || createdKey || event.target?.keyId === filter.keyId;
}

/** Whether a filter narrows anything (an empty one admits every event). */
export function filtersAnything(filter: AuditEventFilter): boolean {
  return filter.keyId !== undefined || filter.action !== undefined;
}

/** The filter as one canonical text, so a cursor is bound to exactly the filter it was made for. */
export function auditFilterKey(filter: AuditEventFilter): string {
  return JSON.stringify([filter.keyId ?? null, filter.action ?? null]);
}
