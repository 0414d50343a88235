import {
  type ApiKeyRecord,
  InvalidCursorError,
  type KeyLookup,
  type KeyStore,
  type ListPage,
} from '../../shared/store/key-store.js';

interface StoredKey {
  record: ApiKeyRecord;
  digest: string;
  ttlEpochSeconds: number;
}

/**
 * A `KeyStore` in memory, for unit tests: the same contract as the DynamoDB store (strong
 * consistency, newest-first pages, opaque company-bound cursors, throttled `lastUsedAt`), no I/O.
 * Returns copies, so a test cannot change stored state by mutating a result.
 */
export class InMemoryKeyStore implements KeyStore {
  private readonly byDigest = new Map<string, StoredKey>();

  async findByDigest(digest: string): Promise<KeyLookup | undefined> {
    const stored = this.byDigest.get(digest);
    if (!stored) return undefined;
    const { record } = stored;
    return {
      digest,
      companyId: record.companyId,
      keyId: record.id,
      name: record.name,
      scopes: [...record.scopes],
      allowedIps: [...record.allowedIps],
      expiresAt: record.expiresAt,
      lastUsedAt: record.lastUsedAt,
    };
  }

  async touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    const stored = this.byDigest.get(digest);
    if (!stored) return;
    const last = stored.record.lastUsedAt;
    // Same condition as the DynamoDB store's conditional write: set only when unset or old enough.
    if (last === null || Date.parse(last) <= now.getTime() - minIntervalSeconds * 1000) {
      stored.record = { ...stored.record, lastUsedAt: now.toISOString() };
    }
  }

  async create(record: ApiKeyRecord, digest: string, ttlEpochSeconds: number): Promise<void> {
    if (this.byDigest.has(digest)) throw new Error('digest already stored');
    if (this.find(record.companyId, record.id)) throw new Error('key id already stored');
    this.byDigest.set(digest, { record: copy(record), digest, ttlEpochSeconds });
  }

  async list(companyId: string, options: { limit: number; cursor?: string }): Promise<ListPage> {
    const keys = [...this.byDigest.values()]
      .map((stored) => stored.record)
      .filter((record) => record.companyId === companyId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    let start = 0;
    if (options.cursor !== undefined) {
      const after = decodeCursor(options.cursor, companyId);
      start = keys.findIndex(
        (record) =>
          record.createdAt < after.createdAt ||
          (record.createdAt === after.createdAt && record.id < after.id),
      );
      if (start < 0) start = keys.length;
    }
    const items = keys.slice(start, start + options.limit).map(copy);
    const last = items.at(-1);
    const more = start + options.limit < keys.length;
    return more && last
      ? { items, nextCursor: encodeCursor({ companyId, createdAt: last.createdAt, id: last.id }) }
      : { items };
  }

  async get(companyId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    const stored = this.find(companyId, keyId);
    return stored ? copy(stored.record) : undefined;
  }

  async rename(companyId: string, keyId: string, name: string): Promise<ApiKeyRecord | undefined> {
    const stored = this.find(companyId, keyId);
    if (!stored) return undefined;
    stored.record = { ...stored.record, name };
    return copy(stored.record);
  }

  async delete(companyId: string, keyId: string): Promise<boolean> {
    const stored = this.find(companyId, keyId);
    if (!stored) return false;
    this.byDigest.delete(stored.digest);
    return true;
  }

  /** Test helper: the TTL epoch seconds a key was stored with, or undefined. */
  ttlOf(companyId: string, keyId: string): number | undefined {
    return this.find(companyId, keyId)?.ttlEpochSeconds;
  }

  private find(companyId: string, keyId: string): StoredKey | undefined {
    for (const stored of this.byDigest.values()) {
      if (stored.record.companyId === companyId && stored.record.id === keyId) return stored;
    }
    return undefined;
  }
}

interface Cursor {
  companyId: string;
  createdAt: string;
  id: string;
}

function copy(record: ApiKeyRecord): ApiKeyRecord {
  return { ...record, scopes: [...record.scopes], allowedIps: [...record.allowedIps] };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(text: string, companyId: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      value.companyId === companyId &&
      typeof value.createdAt === 'string' &&
      typeof value.id === 'string' &&
      encodeCursor(value as Cursor) === text
    ) {
      return value as Cursor;
    }
  } catch {
    // Not base64url JSON: falls through to the same error as any other foreign cursor.
  }
  throw new InvalidCursorError();
}
