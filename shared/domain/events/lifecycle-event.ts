import type { AuditEvent } from '../audit/audit-event.js';
import { keyStateOf } from '../notify/current-state.js';
import type { DueKey } from '../notify/ports.js';

/**
 * Lifecycle events: what keygate tells the operator's event bus, so a rule can route a key's
 * rotation to Slack or a SIEM without code. One event per audited change (its `detail-type` is the
 * audit action) and, from the daily job, one per key that expired or is about to.
 *
 * The detail is built from an allow-list of fields, never by copying an item and deleting what
 * must not leave: whatever an audit item gains later (a stored `targetScopes`, say) stays out until
 * it is named here. No event ever holds a secret, a digest, scopes or an allow-list.
 */

/** The `source` of every keygate event: what an EventBridge rule matches on. */
export const EVENT_SOURCE = 'keygate';

/** The daily job's two detail-types. */
export const EXPIRY_EVENT_TYPES = ['api-key.expiring', 'api-key.expired'] as const;
export type ExpiryEventType = (typeof EXPIRY_EVENT_TYPES)[number];

/** One event as keygate publishes it; the adapter adds the source and the bus. */
export interface LifecycleEvent {
  /** `api-key.rotated`, `api-key.expiring`, …: EventBridge's `detail-type`. */
  detailType: string;
  /** RFC 3339 UTC: when it happened (the change's time, or the digest's "as of"). */
  time: string;
  /** JSON-safe; never a secret, digest, scopes or allow-list. */
  detail: Record<string, unknown>;
}

/**
 * The audit `changes` fields an event carries. A key's creation records its scopes and allow-list in
 * the audit log (for its admins); an event on a shared bus does not carry them, nor any field not
 * named here.
 */
export const EVENT_CHANGE_FIELDS: ReadonlySet<string> = new Set([
  'oldName',
  'newName',
  'wasEnabled',
  'enabled',
  'expiresAt',
  'newKeyId',
  'gracePeriodSeconds',
  'oldExpiresAt',
  'newExpiresAtOfOldKey',
  'successorExpiresAt',
  'operation',
  'reason',
]);

/**
 * The audit event's fields an event is made of: all but what the audit log stores only to decide who
 * may read an event (the target's scopes), which never leaves the table.
 */
export type PublishedAuditFields = Omit<AuditEvent, 'targetScopes'>;

/** What an audited change's event says: the audit event's fields, by name. */
export function auditLifecycleEvent(event: PublishedAuditFields): LifecycleEvent {
  const actor =
    event.actor.type === 'key'
      ? { type: 'key', keyId: event.actor.keyId, name: event.actor.name }
      : { type: 'root-admin', subject: event.actor.subject, email: event.actor.email };
  return {
    detailType: event.action,
    time: event.at,
    detail: {
      id: event.id,
      at: event.at,
      action: event.action,
      actor,
      target: event.target === null ? null : { keyId: event.target.keyId, name: event.target.name },
      requestId: event.requestId,
      sourceIp: event.sourceIp,
      userAgent: event.userAgent,
      changes: Object.fromEntries(
        Object.entries(event.changes).filter(([field]) => EVENT_CHANGE_FIELDS.has(field)),
      ),
      companyId: event.companyId,
    },
  };
}

/**
 * The daily job's event about one key: it expired in the past 24 hours, or expires within 7 days,
 * with its current state (`enabled`; `rotatedTo`, the id of the key that replaced it, or null). `day` (the digest's UTC day) with the detail-type and key id identifies it: a consumer can drop a
 * repeat by them.
 */
export function expiryLifecycleEvent(
  type: ExpiryEventType,
  key: DueKey,
  digest: { day: string; asOf: Date },
): LifecycleEvent {
  return {
    detailType: type,
    time: digest.asOf.toISOString(),
    // The key's state as the digest read it (enabled, rotatedTo): a consumer can skip keys already dealt with.
    detail: { ...keyStateOf(key), day: digest.day },
  };
}
