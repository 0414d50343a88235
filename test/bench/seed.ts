import { createHash, randomBytes } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { itemKeys, TABLE_KEYS } from '../../shared/adapters/dynamodb/table-design.js';
import { mapConcurrent } from '../../shared/domain/concurrency.js';
import { digestApiKey, generateApiKey } from '../../shared/domain/keys/key-format.js';
import { newKeyId } from '../../shared/domain/keys/key-id.js';
import type { ApiKeyRecord, KeyStore } from '../../shared/domain/ports.js';

/**
 * Test data for the benchmarks and budgets. Keys that must authenticate are created through the
 * store (`createUsableKey`: a real secret, generated at run time and never written anywhere). Bulk
 * keys for the notifier and listing are written straight as the items `DynamoKeyStore.create`
 * writes (same attributes, same key builders), with BatchWriteItem in parallel: 100,000 transactions
 * would take longer than the whole benchmark may.
 */

export const KEY_PREFIX = 'wsk-v1-';
const DAY_MS = 86_400_000;
const RETENTION_SECONDS = 30 * 86_400;

/** Creates a key through `store.create`, as the management API does, and returns its secret. */
export async function createUsableKey(
  store: KeyStore,
  options: { companyId: string; scopes: string[]; now: Date; expiresInDays?: number; allowedIps?: string[] },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = generateApiKey(KEY_PREFIX);
  const expiresAt = new Date(options.now.getTime() + (options.expiresInDays ?? 30) * DAY_MS);
  const record: ApiKeyRecord = {
    id: newKeyId(options.now),
    companyId: options.companyId,
    name: `bench key ${options.scopes.join(' ')}`,
    keyPrefix: key.slice(0, KEY_PREFIX.length + 3),
    scopes: options.scopes,
    allowedIps: options.allowedIps ?? [],
    createdAt: options.now.toISOString(),
    createdBy: 'bench@example.com',
    expiresAt: expiresAt.toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
  };
  await store.create(record, digestApiKey(key), Math.floor(expiresAt.getTime() / 1000) + RETENTION_SECONDS);
  return { key, record };
}

/** A key to write in bulk: no secret exists for it, only a random digest. */
export interface BulkKey {
  companyId: string;
  keyId: string;
  expiresAt: Date;
  createdAt: Date;
}

/** The two items of a key, exactly as `DynamoKeyStore.create` writes them. */
export function keyItems(key: BulkKey): {
  companyItem: Record<string, unknown>;
  lookupItem: Record<string, unknown>;
} {
  const digest = createHash('sha256').update(randomBytes(16)).digest('hex');
  const expiresAt = key.expiresAt.toISOString();
  const ttl = Math.floor(key.expiresAt.getTime() / 1000) + RETENTION_SECONDS;
  const shared = {
    companyId: key.companyId,
    keyId: key.keyId,
    name: `bulk key ${key.keyId.slice(-6)}`,
    scopes: ['messaging:read'],
    allowedIps: [],
    expiresAt,
    digest,
    [TABLE_KEYS.ttlAttribute]: ttl,
  };
  return {
    companyItem: {
      ...itemKeys.companyKey(key.companyId, key.keyId),
      gsi1pk: itemKeys.expiryDay(expiresAt.slice(0, 10)),
      gsi1sk: itemKeys.expirySortKey(expiresAt, key.companyId, key.keyId),
      ...shared,
      keyPrefix: `${KEY_PREFIX}${digest.slice(0, 3)}`,
      createdAt: key.createdAt.toISOString(),
      createdBy: 'bench@example.com',
    },
    lookupItem: { ...itemKeys.lookup(digest), ...shared },
  };
}

/**
 * Writes `items` with BatchWriteItem (25 per request), `concurrency` requests in flight, retrying
 * what DynamoDB leaves unprocessed.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  concurrency = 8,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await mapConcurrent(batches, concurrency, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 8) throw new Error('BatchWriteItem left items unprocessed after 8 attempts');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const output = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (output.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  });
}

/** Key ids in creation order (UUIDv7), `count` of them created one second apart before `now`. */
export function bulkKeyIds(count: number, now: Date): { keyId: string; createdAt: Date }[] {
  const ids: { keyId: string; createdAt: Date }[] = [];
  for (let i = count; i > 0; i--) {
    const createdAt = new Date(now.getTime() - i * 1000);
    ids.push({ keyId: newKeyId(createdAt), createdAt });
  }
  return ids;
}
