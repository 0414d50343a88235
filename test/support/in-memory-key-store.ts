import { decodeListCursor, encodeListCursor } from '../../shared/adapters/dynamodb/list-cursor.js';
import type { AuditEvent } from '../../shared/domain/audit/audit-event.js';
import {
  type ApiKeyRecord,
  type AuditFor,
  FILTERED_LIST_READ_BUDGET,
  type KeyFilter,
  type KeyLookup,
  type KeyStore,
  type ListPage,
  type RotationOutcome,
  type RotationPlan,
} from '../../shared/domain/ports.js';

/**
 * A `KeyStore` in memory for unit tests, faithful to `DynamoKeyStore`: reads are consistent, key ids
 * sort in creation order (they are UUIDv7), lists are newest first with the same company-bound cursors,
 * `touchLastUsed` is conditional, and another company's key is simply not there.
 */
export class InMemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, { record: ApiKeyRecord; digest: string; ttl: number }>();
  private readonly lookups = new Map<string, KeyLookup & { ttl: number }>();
  /** Test helper: the audit events written with each change, oldest first. */
  readonly auditEvents: AuditEvent[] = [];

  async findByDigest(digest: string): Promise<KeyLookup | undefined> {
    const found = this.lookups.get(digest);
    if (found === undefined) return undefined;
    const { ttl: _ttl, ...lookup } = found;
    return structuredClone(lookup);
  }

  async touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    const lookup = this.lookups.get(digest);
    if (lookup === undefined) return;
    const threshold = new Date(now.getTime() - minIntervalSeconds * 1000).toISOString();
    if (lookup.lastUsedAt === null || lookup.lastUsedAt < threshold) lookup.lastUsedAt = now.toISOString();
  }

  async create(
    record: ApiKeyRecord,
    digest: string,
    ttlEpochSeconds: number,
    audit?: AuditEvent,
  ): Promise<void> {
    const id = this.companyKey(record.companyId, record.id);
    if (this.keys.has(id) || this.lookups.has(digest)) throw new Error('key already exists');
    if (audit !== undefined) this.auditEvents.push(structuredClone(audit));
    const stored = structuredClone({ ...record, lastUsedAt: null });
    this.keys.set(id, { record: stored, digest, ttl: ttlEpochSeconds });
    this.lookups.set(digest, {
      digest,
      companyId: stored.companyId,
      keyId: stored.id,
      name: stored.name,
      scopes: [...stored.scopes],
      allowedIps: [...stored.allowedIps],
      expiresAt: stored.expiresAt,
      lastUsedAt: null,
      enabled: stored.enabled,
      ttl: ttlEpochSeconds,
    });
  }

  async list(
    companyId: string,
    options: { limit: number; cursor?: string; visible?: KeyFilter },
  ): Promise<ListPage> {
    const after = options.cursor === undefined ? undefined : decodeListCursor(companyId, options.cursor);
    const { limit, visible } = options;
    const newestFirst = [...this.keys.values()]
      .filter(({ record }) => record.companyId === companyId && (after === undefined || record.id < after))
      .sort((a, b) => (a.record.id < b.record.id ? 1 : -1));
    // As DynamoKeyStore: read on until one visible key more than the page, within the read budget.
    const budget =
      visible === undefined ? Number.POSITIVE_INFINITY : Math.max(limit + 1, FILTERED_LIST_READ_BUDGET);
    const shown: Array<{ record: ApiKeyRecord; digest: string }> = [];
    let read = 0;
    for (const stored of newestFirst) {
      if (shown.length > limit || read >= budget) break;
      read++;
      if (visible === undefined || visible(stored.record)) shown.push(stored);
    }
    const page = shown.slice(0, limit);
    let continueAfter: string | undefined;
    if (shown.length > limit) continueAfter = page.at(-1)?.record.id;
    else if (read < newestFirst.length) continueAfter = newestFirst[read - 1]?.record.id;
    return {
      items: page.map((stored) => this.toRecord(stored)),
      ...(continueAfter !== undefined ? { nextCursor: encodeListCursor(companyId, continueAfter) } : {}),
    };
  }

  async get(companyId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    const stored = this.keys.get(this.companyKey(companyId, keyId));
    return stored === undefined ? undefined : this.toRecord(stored);
  }

  async rename(
    companyId: string,
    keyId: string,
    name: string,
    visible?: KeyFilter,
    audit?: AuditFor,
  ): Promise<ApiKeyRecord | undefined> {
    return this.change(companyId, keyId, { name }, visible, audit);
  }

  async setEnabled(
    companyId: string,
    keyId: string,
    enabled: boolean,
    visible?: KeyFilter,
    audit?: AuditFor,
  ): Promise<ApiKeyRecord | undefined> {
    return this.change(companyId, keyId, { enabled }, visible, audit);
  }

  async rotate(
    companyId: string,
    keyId: string,
    plan: (current: ApiKeyRecord) => RotationPlan,
    visible?: KeyFilter,
    audit?: (current: ApiKeyRecord, successor: ApiKeyRecord) => AuditEvent,
  ): Promise<RotationOutcome> {
    const stored = this.visibleKey(companyId, keyId, visible);
    if (stored === undefined) return { outcome: 'not-found' };
    const decided = plan(this.toRecord(stored));
    // As the transaction's condition: a key has at most one successor.
    if (stored.record.rotatedTo !== null) return { outcome: 'conflict' };
    const successor = { ...decided.successor, rotatedFrom: keyId };
    const event = audit?.(this.toRecord(stored), successor);
    await this.create(successor, decided.successorDigest, decided.successorTtlEpochSeconds, event);
    stored.record.rotatedTo = successor.id;
    stored.record.expiresAt = decided.oldExpiresAt;
    stored.ttl = decided.oldTtlEpochSeconds;
    const lookup = this.lookups.get(stored.digest);
    if (lookup !== undefined) {
      lookup.expiresAt = decided.oldExpiresAt;
      lookup.ttl = decided.oldTtlEpochSeconds;
    }
    return { outcome: 'rotated', old: this.toRecord(stored), successor: structuredClone(successor) };
  }

  async delete(companyId: string, keyId: string, visible?: KeyFilter, audit?: AuditFor): Promise<boolean> {
    const stored = this.visibleKey(companyId, keyId, visible);
    if (stored === undefined) return false;
    this.audit(audit, stored.record);
    this.keys.delete(this.companyKey(companyId, keyId));
    this.lookups.delete(stored.digest);
    return true;
  }

  /** A key the caller may see (as the store's visibility condition), or undefined. */
  private visibleKey(companyId: string, keyId: string, visible: KeyFilter | undefined) {
    const stored = this.keys.get(this.companyKey(companyId, keyId));
    return stored === undefined || (visible !== undefined && !visible(stored.record)) ? undefined : stored;
  }

  /** Rename and enable/disable: the fields set on both the company key and its lookup, audited, as one change. */
  private change(
    companyId: string,
    keyId: string,
    fields: Partial<Pick<ApiKeyRecord, 'name' | 'enabled'>>,
    visible: KeyFilter | undefined,
    audit: AuditFor | undefined,
  ): ApiKeyRecord | undefined {
    const stored = this.visibleKey(companyId, keyId, visible);
    if (stored === undefined) return undefined;
    this.audit(audit, stored.record);
    Object.assign(stored.record, fields);
    const lookup = this.lookups.get(stored.digest);
    if (lookup !== undefined) Object.assign(lookup, fields);
    return this.toRecord(stored);
  }

  private audit(audit: AuditFor | undefined, current: ApiKeyRecord): void {
    if (audit !== undefined) this.auditEvents.push(structuredClone(audit(structuredClone(current))));
  }

  /** Test helper: a deep copy of everything stored (digests and TTLs included), to assert nothing changed. */
  snapshot(): unknown {
    return structuredClone({ keys: [...this.keys.entries()], lookups: [...this.lookups.entries()] });
  }

  /** Test helper: the digest and TTL stored for a key, as the DynamoDB items would hold them. */
  stored(companyId: string, keyId: string): { digest: string; ttl: number } | undefined {
    const stored = this.keys.get(this.companyKey(companyId, keyId));
    return stored === undefined ? undefined : { digest: stored.digest, ttl: stored.ttl };
  }

  /** Test helper: the TTL epoch seconds a key was stored with, or undefined. */
  ttlOf(companyId: string, keyId: string): number | undefined {
    return this.stored(companyId, keyId)?.ttl;
  }

  private companyKey(companyId: string, keyId: string): string {
    return `${companyId}\u0000${keyId}`;
  }

  private toRecord(stored: { record: ApiKeyRecord; digest: string }): ApiKeyRecord {
    return structuredClone({
      ...stored.record,
      lastUsedAt: this.lookups.get(stored.digest)?.lastUsedAt ?? null,
    });
  }
}
