import type { Caller } from '../auth/caller.js';
import { newKeyId } from '../keys/key-id.js';
import type { AuditAction } from './audit-actions.js';

/**
 * Audit events: what the management API records about every change, built here as plain values
 * and written by the store in the same transaction as the change itself (no change unrecorded).
 * An event names keys by id and name only and never carries a secret or a digest, so nothing an
 * event holds can be used to call an API (a creation's `changes` say which scopes, expiry and
 * allow-list were granted: that is what changed). It also keeps the target's scopes as they were
 * (`targetScopes`), only so that the log can show a calling key exactly the events about keys it
 * covers; the API never renders them (`audit-event-view.ts`).
 */

export { AUDIT_ACTIONS, type AuditAction } from './audit-actions.js';

/** Where a management request came from, as API Gateway saw it; null where it did not say. */
export interface RequestOrigin {
  requestId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
}

/** Who made the change: a root admin (a person) or an API key. */
export type AuditActor =
  | { type: 'root-admin'; subject: string; email: string | null }
  | { type: 'key'; keyId: string; name: string };

/** The key a change was made to, by id and name (never its secret or digest). */
export interface AuditTarget {
  keyId: string;
  name: string;
}

/** The key a change is about, as the use case read it: with its scopes, for visibility. */
export interface AuditSubject extends AuditTarget {
  scopes: readonly string[];
}

/** What changed, per action: small, flat values only. */
export type AuditChanges = Record<string, string | number | boolean | null | string[]>;

/** One recorded change. `at` is RFC 3339 UTC; `id` is time-ordered (UUIDv7). */
export interface AuditEvent {
  id: string;
  companyId: string;
  at: string;
  action: AuditAction;
  actor: AuditActor;
  /** Null for company-wide changes (notification settings) and refusals about no stored key. */
  target: AuditTarget | null;
  /**
   * The target's scopes at the time of the event (null without a target). Stored, never shown: a
   * calling key sees an event only when its scopes cover these (`auditVisibilityFor`).
   */
  targetScopes: string[] | null;
  requestId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  changes: AuditChanges;
}

const NO_ORIGIN: RequestOrigin = { requestId: null, sourceIp: null, userAgent: null };

/** The actor of an event: the admin's subject and email, or the key's id and name. */
export function actorOf(caller: Caller): AuditActor {
  return caller.kind === 'key'
    ? { type: 'key', keyId: caller.keyId, name: caller.keyName }
    : { type: 'root-admin', subject: caller.subject, email: caller.email ?? null };
}

/**
 * Builds the event recording `action` by `caller` at `now`. Pure apart from the id (a fresh UUIDv7
 * for `now`), so two events of one instant still sort in the order they were built.
 */
export function buildAuditEvent(input: {
  action: AuditAction;
  caller: Caller;
  now: Date;
  target: AuditSubject | null;
  changes?: AuditChanges;
}): AuditEvent {
  const origin = input.caller.origin ?? NO_ORIGIN;
  return {
    id: newKeyId(input.now),
    companyId: input.caller.companyId,
    at: input.now.toISOString(),
    action: input.action,
    actor: actorOf(input.caller),
    target: input.target === null ? null : { keyId: input.target.keyId, name: input.target.name },
    targetScopes: input.target === null ? null : [...input.target.scopes],
    requestId: origin.requestId,
    sourceIp: origin.sourceIp,
    userAgent: origin.userAgent,
    changes: input.changes ?? {},
  };
}

/**
 * The record of a refused management attempt (the handler answered 403): which operation, the reason
 * the caller was given (scope names and instants, never a secret), and the key it was about when the
 * request named one that exists in the company.
 */
export function buildAccessDeniedEvent(input: {
  caller: Caller;
  now: Date;
  operation: string;
  reason: string;
  target: AuditSubject | null;
}): AuditEvent {
  return buildAuditEvent({
    action: 'access.denied',
    caller: input.caller,
    now: input.now,
    target: input.target,
    changes: { operation: input.operation, reason: input.reason },
  });
}
