import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoKeyLookup } from '../../../shared/adapters/dynamodb/dynamo-key-lookup.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { CorruptItemError } from '../../../shared/adapters/dynamodb/item-codecs.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import { digestApiKey, generateApiKey } from '../../../shared/domain/keys/key-format.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

/**
 * The authorizer's plain-client reader of lookup items reads exactly what `DynamoKeyStore.create`
 * writes through the document client, and treats an item of another shape as a fault.
 */

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.drop();
});

describe('DynamoKeyLookup', () => {
  it('reads the lookup item the store writes, with and without an allow-list and lastUsedAt', async () => {
    const store = new DynamoKeyStore(table.doc, table.tableName);
    const lookup = new DynamoKeyLookup(table.doc, table.tableName);
    const digest = digestApiKey(generateApiKey());
    await store.create(
      {
        id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        companyId: 'acme',
        name: 'ci',
        keyPrefix: 'wsk-v1-abc',
        scopes: ['pbx:read', 'messaging:ListChannels'],
        allowedIps: ['10.0.0.0/8', '2001:db8::/32'],
        createdAt: '2026-03-01T10:00:00.000Z',
        createdBy: 'admin@example.com',
        expiresAt: '2026-04-01T10:00:00.000Z',
        lastUsedAt: null,
        enabled: true,
        rotatedFrom: null,
        rotatedTo: null,
      },
      digest,
      1_780_000_000,
    );
    expect(await lookup.findByDigest(digest)).toEqual({
      digest,
      companyId: 'acme',
      keyId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      name: 'ci',
      scopes: ['pbx:read', 'messaging:ListChannels'],
      allowedIps: ['10.0.0.0/8', '2001:db8::/32'],
      expiresAt: '2026-04-01T10:00:00.000Z',
      lastUsedAt: null,
      enabled: true,
    });
    const now = new Date('2026-03-02T10:00:00.000Z');
    await lookup.touchLastUsed(digest, now, 60);
    expect((await lookup.findByDigest(digest))?.lastUsedAt).toBe(now.toISOString());
    // The store delegates to the same reader.
    expect(await store.findByDigest(digest)).toEqual(await lookup.findByDigest(digest));
  });

  it('answers undefined for an unknown digest', async () => {
    const lookup = new DynamoKeyLookup(table.doc, table.tableName);
    expect(await lookup.findByDigest(digestApiKey(generateApiKey()))).toBeUndefined();
  });

  it('throws CorruptItemError for an item of another shape, never a missing key', async () => {
    const digest = digestApiKey(generateApiKey());
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...itemKeys.lookup(digest),
          digest,
          companyId: 'acme',
          keyId: 'k',
          name: 'n',
          scopes: 'pbx:read',
        },
      }),
    );
    const lookup = new DynamoKeyLookup(table.doc, table.tableName);
    await expect(lookup.findByDigest(digest)).rejects.toBeInstanceOf(CorruptItemError);
  });
});
