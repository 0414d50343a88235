import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/dynamodb-local.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { encodeListCursor } from '../../../shared/adapters/dynamodb/list-cursor.js';
import { itemKeys, TABLE_KEYS } from '../../../shared/adapters/dynamodb/table-design.js';
import { newKeyId } from '../../../shared/domain/keys/key-id.js';
import { type ApiKeyRecord, InvalidCursorError } from '../../../shared/domain/ports.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

let table: TestTable;
let store: DynamoKeyStore;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoKeyStore(createDocumentClient({ endpoint: table.endpoint }), table.tableName);
});
afterAll(async () => {
  await table.drop();
});

const HOUR = 3600_000;
const randomDigest = () => createHash('sha256').update(randomBytes(32)).digest('hex');

function record(companyId: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const createdAt = new Date();
  return {
    id: newKeyId(createdAt),
    companyId,
    name: 'integration key',
    keyPrefix: 'wsk-v1-abc',
    scopes: ['messaging:read'],
    allowedIps: [],
    createdAt: createdAt.toISOString(),
    createdBy: 'admin:alice',
    expiresAt: new Date(createdAt.getTime() + 48 * HOUR).toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
    ...overrides,
  };
}

async function createKey(companyId: string, overrides: Partial<ApiKeyRecord> = {}) {
  const key = record(companyId, overrides);
  const digest = randomDigest();
  const ttl = Math.floor(Date.parse(key.expiresAt) / 1000) + 30 * 86_400;
  await store.create(key, digest, ttl);
  return { key, digest, ttl };
}

async function rawItem(key: Record<string, string>) {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}

describe('DynamoKeyStore', () => {
  it('writes the lookup item and the company item with the expiry index keys and TTL of the table design', async () => {
    const { key, digest, ttl } = await createKey('acme', { expiresAt: '2031-02-03T04:05:06.000Z' });
    const company = await rawItem(itemKeys.companyKey('acme', key.id));
    expect(company).toMatchObject({
      gsi1pk: 'EXPIRES#2031-02-03',
      gsi1sk: `2031-02-03T04:05:06.000Z#acme#${key.id}`,
      [TABLE_KEYS.ttlAttribute]: ttl,
      companyId: 'acme',
      keyId: key.id,
      name: key.name,
      keyPrefix: key.keyPrefix,
      scopes: key.scopes,
      expiresAt: key.expiresAt,
    });
    expect(ttl).toBe(Date.parse('2031-02-03T04:05:06.000Z') / 1000 + 30 * 86_400);
    const lookup = await rawItem(itemKeys.lookup(digest));
    expect(lookup).toMatchObject({ [TABLE_KEYS.ttlAttribute]: ttl, companyId: 'acme', keyId: key.id });
    expect(lookup?.gsi1pk).toBeUndefined();
    const indexed = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: TABLE_KEYS.expiryIndex.name,
        KeyConditionExpression: 'gsi1pk = :day',
        ExpressionAttributeValues: { ':day': 'EXPIRES#2031-02-03' },
      }),
    );
    expect(indexed.Items?.map((item) => item.keyId)).toEqual([key.id]);
  });

  it('finds a key by digest, and nothing for an unknown digest', async () => {
    const { key, digest } = await createKey('acme', { allowedIps: ['10.0.0.0/8'] });
    expect(await store.findByDigest(digest)).toEqual({
      digest,
      companyId: 'acme',
      keyId: key.id,
      name: key.name,
      scopes: key.scopes,
      allowedIps: ['10.0.0.0/8'],
      expiresAt: key.expiresAt,
      lastUsedAt: null,
      enabled: true,
    });
    expect(await store.findByDigest(randomDigest())).toBeUndefined();
  });

  it('refuses to create a second key with the same digest, writing nothing', async () => {
    const { digest } = await createKey('acme');
    const other = record('acme');
    await expect(store.create(other, digest, 1)).rejects.toThrow();
    expect(await store.get('acme', other.id)).toBeUndefined();
  });

  it('touches lastUsedAt at most once per interval, and never resurrects a deleted key', async () => {
    const { key, digest } = await createKey('acme');
    const first = new Date('2030-01-01T00:00:00.000Z');
    await store.touchLastUsed(digest, first, 60);
    await store.touchLastUsed(digest, new Date(first.getTime() + 30_000), 60);
    expect((await store.findByDigest(digest))?.lastUsedAt).toBe(first.toISOString());
    const later = new Date(first.getTime() + 61_000);
    await store.touchLastUsed(digest, later, 60);
    expect((await store.get('acme', key.id))?.lastUsedAt).toBe(later.toISOString());

    expect(await store.delete('acme', key.id)).toBe(true);
    await store.touchLastUsed(digest, new Date(later.getTime() + 3600_000), 60);
    expect(await rawItem(itemKeys.lookup(digest))).toBeUndefined();
  });

  it('gets, renames and deletes a key of the company only', async () => {
    const { key, digest } = await createKey('acme');
    expect(await store.get('globex', key.id)).toBeUndefined();
    expect(await store.rename('globex', key.id, 'stolen')).toBeUndefined();
    expect(await store.delete('globex', key.id)).toBe(false);
    expect((await store.get('acme', key.id))?.name).toBe(key.name);

    const renamed = await store.rename('acme', key.id, 'renamed');
    expect(renamed).toEqual({ ...key, name: 'renamed' });
    expect(await store.get('acme', key.id)).toEqual({ ...key, name: 'renamed' });
    expect((await store.findByDigest(digest))?.name).toBe('renamed');

    expect(await store.delete('acme', key.id)).toBe(true);
    expect(await store.get('acme', key.id)).toBeUndefined();
    expect(await store.findByDigest(digest)).toBeUndefined();
    expect(await rawItem(itemKeys.companyKey('acme', key.id))).toBeUndefined();
    expect(await store.delete('acme', key.id)).toBe(false);
    expect(await store.rename('acme', key.id, 'again')).toBeUndefined();
  });

  it('pages through a company newest first with no gaps or duplicates, and no cursor on the last page', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createKey('paging')).key.id);
    await createKey('paging-other');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list('paging', { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());

    const exact = await store.list('paging', { limit: 7 });
    expect(exact.items).toHaveLength(7);
    expect(exact.nextCursor).toBeUndefined();
  });

  it('reads lastUsedAt into listed records', async () => {
    const { key, digest } = await createKey('used');
    await createKey('used');
    const when = new Date('2030-05-05T05:05:05.000Z');
    await store.touchLastUsed(digest, when, 60);
    const page = await store.list('used', { limit: 10 });
    expect(page.items.find((item) => item.id === key.id)?.lastUsedAt).toBe(when.toISOString());
    expect(page.items.filter((item) => item.lastUsedAt === null)).toHaveLength(1);
  });

  it("rejects a tampered cursor and another company's cursor", async () => {
    for (let i = 0; i < 3; i++) await createKey('cursors');
    const { nextCursor } = await store.list('cursors', { limit: 1 });
    expect(nextCursor).toBeDefined();
    const cursor = nextCursor as string;
    const tampered = `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`;
    await expect(store.list('cursors', { limit: 1, cursor: tampered })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(store.list('acme', { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.list('cursors', { limit: 1, cursor: 'not a cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    // A cursor made for this company continues there.
    const ids = (await store.list('cursors', { limit: 3 })).items.map((item) => item.id);
    const next = await store.list('cursors', {
      limit: 3,
      cursor: encodeListCursor('cursors', ids[0] as string),
    });
    expect(next.items.map((item) => item.id)).toEqual(ids.slice(1));
  });

  it('fails fast, with an error, when DynamoDB cannot be reached (callers fail closed)', async () => {
    const dead = new DynamoKeyStore(
      createDocumentClient({ endpoint: `http://127.0.0.1:${await freePort()}` }),
      table.tableName,
    );
    const started = Date.now();
    await expect(dead.findByDigest(randomDigest())).rejects.toThrow();
    await expect(dead.list('acme', { limit: 10 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
