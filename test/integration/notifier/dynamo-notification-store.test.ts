import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { itemKeys, TABLE_KEYS } from '../../../shared/adapters/dynamodb/table-design.js';
import { digestWindows } from '../../../shared/domain/notify/windows.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

const MINUTE = 60_000;
const t0 = new Date('2026-11-30T11:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
let table: TestTable;
let store: DynamoNotificationStore;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoNotificationStore(table.doc, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

async function marker(companyId: string, day: string) {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: itemKeys.notified(companyId, day),
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe('DynamoNotificationStore as the digest ledger', () => {
  it('lets exactly one of many concurrent runs claim a company-day', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => store.claim('race', '2026-11-30', t0, later(-15 * MINUTE))),
    );
    expect(outcomes.filter((outcome) => outcome.claimed)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.claimed)).toEqual(
      Array.from({ length: 7 }, () => ({ claimed: false, state: 'in-progress' })),
    );
  });

  it('takes its own claim back when the SDK retried a claim that had landed (its answer was lost)', async () => {
    // Every claim write is sent twice, as the SDK does after a timeout on a write that did land:
    // the second try fails the condition on the claim the first one made.
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const seen: string[] = [];
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (!String(context.commandName).startsWith('Update')) return next(args);
        seen.push(String(context.commandName));
        await next(args);
        return next(args);
      },
      { step: 'initialize', name: 'lostAnswerRetry' },
    );
    try {
      const retried = new DynamoNotificationStore(doc, table.tableName);
      expect(await retried.claim('retried', '2026-11-30', t0, later(-15 * MINUTE))).toEqual({
        claimed: true,
      });
      // Another run's claim is still another run's.
      expect(await store.claim('retried', '2026-11-30', later(1000), later(-15 * MINUTE))).toEqual({
        claimed: false,
        state: 'in-progress',
      });
    } finally {
      doc.destroy();
    }
  });

  it('moves a marker through sending → failed → sending → sent, and a sent day is never claimed again', async () => {
    const day = '2026-11-30';
    expect(await store.claim('acme', day, t0, later(-15 * MINUTE))).toEqual({ claimed: true });
    expect(await marker('acme', day)).toMatchObject({
      status: 'sending',
      claimedAt: t0.toISOString(),
      attempts: 1,
    });

    await store.markFailed('acme', day, 'MessageRejected: not verified', later(1000));
    expect(await marker('acme', day)).toMatchObject({
      status: 'failed',
      lastError: 'MessageRejected: not verified',
    });

    expect(await store.claim('acme', day, later(MINUTE), later(-14 * MINUTE))).toEqual({ claimed: true });
    await store.markSent('acme', day, 'ses-message-1', later(MINUTE + 500));
    const sent = await marker('acme', day);
    expect(sent).toMatchObject({ status: 'sent', messageId: 'ses-message-1', attempts: 2 });
    expect(sent?.lastError).toBeUndefined();
    expect(sent?.ttl).toBe(Math.floor(later(MINUTE).getTime() / 1000) + 7 * 86_400);

    // Neither a rerun much later that day nor a late failure report undoes `sent`.
    expect(await store.claim('acme', day, later(10 * 60 * MINUTE), later(9 * 60 * MINUTE))).toEqual({
      claimed: false,
      state: 'sent',
    });
    await store.markFailed('acme', day, 'late', later(11 * 60 * MINUTE));
    expect((await marker('acme', day))?.status).toBe('sent');
    // Another day is another digest.
    expect(
      await store.claim('acme', '2026-12-01', later(86_400_000), later(86_400_000 - 15 * MINUTE)),
    ).toEqual({
      claimed: true,
    });
  });

  it('lets a run take over a claim older than the claim timeout, but not a fresh one', async () => {
    const day = '2026-11-30';
    await store.claim('stale', day, t0, later(-15 * MINUTE));
    expect(await store.claim('stale', day, later(14 * MINUTE), later(-MINUTE))).toEqual({
      claimed: false,
      state: 'in-progress',
    });
    expect(await store.claim('stale', day, later(16 * MINUTE), later(MINUTE))).toEqual({ claimed: true });
  });
});

describe('DynamoNotificationStore as the expiry index', () => {
  it("never reads a key's digest: due keys carry only what the email shows", async () => {
    const digest = randomBytes(32).toString('hex');
    await new DynamoKeyStore(table.doc, table.tableName).create(
      {
        id: 'k-digest',
        companyId: 'acme',
        name: 'Digest check',
        keyPrefix: 'wsk-v1-abc',
        scopes: ['messaging:read', 'users:*'],
        allowedIps: ['10.0.0.0/8'],
        createdAt: '2026-11-01T00:00:00.000Z',
        createdBy: 'admin@acme.test',
        expiresAt: '2026-12-02T08:30:00.000Z',
        lastUsedAt: null,
        enabled: true,
        rotatedFrom: null,
        rotatedTo: null,
      },
      digest,
      Math.floor(Date.parse('2027-01-01T00:00:00Z') / 1000),
    );
    const { keys, itemsRead } = await store.keysExpiringIn(digestWindows(t0).covering);
    expect(itemsRead).toBe(1);
    expect(keys).toEqual([
      {
        companyId: 'acme',
        keyId: 'k-digest',
        name: 'Digest check',
        keyPrefix: 'wsk-v1-abc',
        scopes: ['messaging:read', 'users:*'],
        expiresAt: '2026-12-02T08:30:00.000Z',
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain(digest);
  });

  it('holds in the index itself nothing but what the email shows (no digest even for a raw query)', async () => {
    const { Items = [] } = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: TABLE_KEYS.expiryIndex.name,
        KeyConditionExpression: '#pk = :day',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.expiryIndex.partitionKey },
        ExpressionAttributeValues: { ':day': itemKeys.expiryDay('2026-12-02') },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Object.keys(Items[0] ?? {}).sort()).toEqual(
      [
        ...TABLE_KEYS.expiryIndex.projectedAttributes,
        TABLE_KEYS.partitionKey,
        TABLE_KEYS.sortKey,
        TABLE_KEYS.expiryIndex.partitionKey,
        TABLE_KEYS.expiryIndex.sortKey,
      ].sort(),
    );
  });
});
