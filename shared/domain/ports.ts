import type { AuditAction, AuditEvent } from './audit/audit-event.js';

/**
 * The key store port: everything the authorizer and the management API need from storage.
 * `dynamo-key-store.ts` implements it on DynamoDB; tests may use an in-memory one.
 */

/** A key as the management API shows it. Never the secret, never its digest. */
export interface ApiKeyRecord {
  id: string;
  companyId: string;
  name: string;
  /** `wsk-v1-` + the first 3 random characters. */
  keyPrefix: string;
  scopes: string[];
  allowedIps: string[];
  /** RFC 3339 UTC. */
  createdAt: string;
  /** Who created it: the root admin's subject/email, or `key:<keyId>` for a key. */
  createdBy: string;
  /** RFC 3339 UTC. */
  expiresAt: string;
  /** RFC 3339 UTC, or null if never used. */
  lastUsedAt: string | null;
  /** False while disabled: the authorizer answers 401. Items written before the attribute existed: true. */
  enabled: boolean;
  /** The key this one replaced by rotation, or null. */
  rotatedFrom: string | null;
  /** The key that replaced this one by rotation, or null (a key is rotated at most once). */
  rotatedTo: string | null;
}

/** What the authorizer reads: one strongly consistent GetItem by digest. */
export interface KeyLookup {
  digest: string;
  companyId: string;
  keyId: string;
  name: string;
  scopes: string[];
  allowedIps: string[];
  expiresAt: string;
  lastUsedAt: string | null;
  /** False while disabled (the lookup item carries it, so the decision stays one GetItem). */
  enabled: boolean;
}

export interface ListPage {
  items: ApiKeyRecord[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/**
 * Which of the company's keys a read or change may reach (the delegation rule, `api/delegation.ts`);
 * absent, every key of the company. Judged on the stored scopes, before anything else of a hidden
 * key leaves the store.
 */
export type KeyFilter = (key: { scopes: readonly string[] }) => boolean;

/** Most company key items one filtered page reads before it answers with what it has and a cursor. */
export const FILTERED_LIST_READ_BUDGET = 1000;

export interface KeyStore {
  /** Strongly consistent read of the lookup item; undefined if unknown or deleted. */
  findByDigest(digest: string): Promise<KeyLookup | undefined>;
  /**
   * Sets `lastUsedAt = now` on the lookup item unless it was set less than `minIntervalSeconds` ago
   * (a conditional write; losing the race is not an error). Callers write at most once per request.
   */
  touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void>;
  /**
   * Writes the lookup item and the company's key item in one transaction, with `audit` (when given)
   * in the same one: if the audit record cannot be written, the key is not created.
   */
  create(record: ApiKeyRecord, digest: string, ttlEpochSeconds: number, audit?: AuditEvent): Promise<void>;
  /**
   * Strongly consistent page of the company's keys, newest first. A bad cursor throws `InvalidCursorError`.
   * With `visible`, only keys it admits are returned: the page is filled up to `limit` by reading on,
   * but at most {@link FILTERED_LIST_READ_BUDGET} items, after which it may be short (even empty) with
   * a `nextCursor` to continue from. `nextCursor` is absent exactly when nothing is left to read.
   */
  list(
    companyId: string,
    options: { limit: number; cursor?: string; visible?: KeyFilter },
  ): Promise<ListPage>;
  get(companyId: string, keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Renames both items in one transaction; undefined if the key is not the company's (or not `visible`). */
  rename(
    companyId: string,
    keyId: string,
    name: string,
    visible?: KeyFilter,
    audit?: AuditFor,
  ): Promise<ApiKeyRecord | undefined>;
  /**
   * Sets `enabled` on both items in one transaction (idempotent); undefined if the key is not the
   * company's (or not `visible`).
   */
  setEnabled(
    companyId: string,
    keyId: string,
    enabled: boolean,
    visible?: KeyFilter,
    audit?: AuditFor,
  ): Promise<ApiKeyRecord | undefined>;
  /**
   * Rotates a key in one transaction: `plan` sees the current record (it may throw a domain error to
   * refuse) and returns the successor; the successor's two items are written and the old key's two
   * items get `rotatedTo` and their shortened expiry. `not-found`: not the company's (or not
   * `visible`); `conflict`: deleted or rotated by someone else between the read and the write.
   */
  rotate(
    companyId: string,
    keyId: string,
    plan: (current: ApiKeyRecord) => RotationPlan,
    visible?: KeyFilter,
    audit?: (current: ApiKeyRecord, successor: ApiKeyRecord) => AuditEvent,
  ): Promise<RotationOutcome>;
  /** Deletes both items in one transaction; false if the key is not the company's (or not `visible`). */
  delete(companyId: string, keyId: string, visible?: KeyFilter, audit?: AuditFor): Promise<boolean>;
}

/**
 * The audit record of a change to an existing key, built from the key as read just before the
 * change (its old name, say) and written in the change's own transaction. Optional on the port only
 * so that test fixtures can seed keys; every management use case passes one.
 */
export type AuditFor = (current: ApiKeyRecord) => AuditEvent;

/** The audit record could not be written (its item already existed): the change was not made. */
export class AuditWriteError extends Error {
  constructor() {
    super('the audit record could not be written; the change was not made');
    this.name = 'AuditWriteError';
  }
}

/** What a rotation writes, decided by the domain (`rotation-policy.ts`) from the current record. */
export interface RotationPlan {
  successor: ApiKeyRecord;
  successorDigest: string;
  successorTtlEpochSeconds: number;
  /** The old key's new expiry (never later than it was). */
  oldExpiresAt: string;
  oldTtlEpochSeconds: number;
}

export type RotationOutcome =
  | { outcome: 'rotated'; old: ApiKeyRecord; successor: ApiKeyRecord }
  | { outcome: 'not-found' }
  | { outcome: 'conflict' };

/** What `GET /v1/audit-events` narrows the log to: events about or by one key, of one action. */
export interface AuditEventFilter {
  /** Events whose target or actor is this key. */
  keyId?: string;
  action?: AuditAction;
}

/**
 * Which of the company's audit events a reader may see (the delegation rule applied to targets,
 * `auditVisibilityFor`); absent, all of them. Judged on the target's scopes stored with the event.
 */
export type AuditEventVisibility = (event: Pick<AuditEvent, 'target' | 'targetScopes'>) => boolean;

export interface AuditPage {
  items: AuditEvent[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/**
 * The audit log's read side: the records the key and settings stores write inside each change's
 * transaction, and the refusals an {@link AuditRecorder} writes.
 */
export interface AuditLogReader {
  /**
   * Strongly consistent page of the company's events, newest first, matching `filter` and admitted by
   * `visible`. Filled up to `limit` by reading on, but at most {@link FILTERED_LIST_READ_BUDGET} items
   * when anything filters, after which it may be short (even empty) with a `nextCursor`. A cursor not
   * made by this method for this company and this filter throws `InvalidCursorError`.
   */
  list(
    companyId: string,
    options: { limit: number; cursor?: string; filter: AuditEventFilter; visible?: AuditEventVisibility },
  ): Promise<AuditPage>;
}

/** The one audit write made outside any change: a refused attempt changes nothing, so it is a Put of its own. */
export interface AuditRecorder {
  /** Writes one event that records no change; never overwrites an event. */
  record(event: AuditEvent): Promise<void>;
}

/** The slice of the store the authorizer uses: one read by digest and the throttled `lastUsedAt` write. */
export type KeyLookupStore = Pick<KeyStore, 'findByDigest' | 'touchLastUsed'>;

/** A cursor that was not made by `list` for this company (tampered, truncated, another company's). */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid');
    this.name = 'InvalidCursorError';
  }
}

/** The structured log a service writes to (Powertools Logger fits). Attributes never hold secrets. */
export interface Log {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}
