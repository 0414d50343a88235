import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { itemKeys, TABLE_KEYS } from '../../../shared/adapters/dynamodb/table-design.js';
import { CLAIM_LEASE_MS, deliveryOf } from '../../../shared/domain/notify/delivery.js';
import type { Delivery } from '../../../shared/domain/notify/ports.js';
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

async function marker(delivery: Delivery) {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: itemKeys.delivery(delivery.companyId, delivery.day, delivery.recipient),
      ConsistentRead: true,
    }),
  );
  return Item;
}

const DAY = '2026-11-30';
const to = (companyId: string, recipient = 'ops@example.test', day = DAY) =>
  deliveryOf(companyId, day, recipient);
/** A claim at `at` with the lease the run takes. */
const claimAt = (s: DynamoNotificationStore, delivery: Delivery, at: Date) =>
  s.claim(delivery, at, new Date(at.getTime() + CLAIM_LEASE_MS));
const claimed = { claimed: true, claimToken: expect.any(String) };

describe('DynamoNotificationStore as the digest ledger, one delivery per company, day and recipient', () => {
  it('lets exactly one of many concurrent runs claim a delivery', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => claimAt(store, to('race'), t0)));
    expect(outcomes.filter((outcome) => outcome.claimed)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.claimed)).toEqual(
      Array.from({ length: 7 }, () => ({ claimed: false, state: 'in-progress' })),
    );
  });

  it("keeps each recipient's delivery apart: one sent leaves the other to claim", async () => {
    const first = await claimAt(store, to('pair', 'a@example.test'), t0);
    if (!first.claimed) throw new Error('not claimed');
    await store.markSent(to('pair', 'a@example.test'), 'm-a', later(100));
    expect(await claimAt(store, to('pair', 'b@example.test'), later(200))).toEqual(claimed);
    expect(await claimAt(store, to('pair', 'A@Example.test'), later(300))).toEqual({
      claimed: false,
      state: 'sent',
    });
  });

  it('takes its own claim back when the SDK retried a claim that had landed (its answer was lost)', async () => {
    // Every claim write is sent twice, as the SDK does after a timeout on a write that did land:
    // the second try fails the condition on the claim the first one made.
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const seen: string[] = [];
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(String(context.commandName));
        if (!String(context.commandName).startsWith('Update')) return next(args);
        await next(args);
        return next(args);
      },
      { step: 'initialize', name: 'lostAnswerRetry' },
    );
    try {
      const retried = new DynamoNotificationStore(doc, table.tableName);
      expect(await claimAt(retried, to('retried'), t0)).toEqual(claimed);
      // Told apart by the item the failed condition returned: no second read.
      expect(seen).toEqual(['UpdateItemCommand']);
      // Another run's claim is still another run's.
      expect(await claimAt(store, to('retried'), later(1000))).toEqual({
        claimed: false,
        state: 'in-progress',
      });
    } finally {
      doc.destroy();
    }
  });

  it('moves a marker through sending → failed → sending → sent, and a sent delivery is never claimed again', async () => {
    const acme = to('acme');
    const first = await claimAt(store, acme, t0);
    if (!first.claimed) throw new Error('not claimed');
    expect(await marker(acme)).toMatchObject({
      status: 'sending',
      companyId: 'acme',
      day: DAY,
      recipient: 'ops@example.test',
      claimedAt: t0.toISOString(),
      leaseUntil: later(CLAIM_LEASE_MS).toISOString(),
      attempts: 1,
    });

    await store.markFailed(acme, first.claimToken, 'MessageRejected: not verified', later(1000));
    expect(await marker(acme)).toMatchObject({
      status: 'failed',
      lastError: 'MessageRejected: not verified',
    });

    // A failed delivery is claimed again at once, not after a lease.
    expect(await claimAt(store, acme, later(2000))).toEqual(claimed);
    await store.markSent(acme, 'ses-message-1', later(2500));
    const sent = await marker(acme);
    expect(sent).toMatchObject({ status: 'sent', messageId: 'ses-message-1', attempts: 2 });
    expect(sent?.lastError).toBeUndefined();
    expect(sent?.ttl).toBe(Math.floor(later(2000).getTime() / 1000) + 7 * 86_400);

    // Neither a rerun much later that day nor a late failure report undoes `sent`.
    expect(await claimAt(store, acme, later(10 * 60 * MINUTE))).toEqual({ claimed: false, state: 'sent' });
    await store.markFailed(acme, first.claimToken, 'late', later(11 * 60 * MINUTE));
    expect((await marker(acme))?.status).toBe('sent');
    // Another day is another digest.
    expect(await claimAt(store, to('acme', 'ops@example.test', '2026-12-01'), later(86_400_000))).toEqual(
      claimed,
    );
  });

  it('lets a run take over a claim whose lease ran out, but not a live one', async () => {
    const stale = to('stale');
    await claimAt(store, stale, t0);
    expect(await claimAt(store, stale, later(CLAIM_LEASE_MS - 1))).toEqual({
      claimed: false,
      state: 'in-progress',
    });
    expect(await claimAt(store, stale, later(CLAIM_LEASE_MS))).toEqual(claimed);
  });

  it('never lets a run whose lease ran out free the claim of the run that took over', async () => {
    const slow = to('slow');
    const first = await claimAt(store, slow, t0);
    const second = await claimAt(store, slow, later(CLAIM_LEASE_MS + 1));
    if (!first.claimed || !second.claimed) throw new Error('not claimed');
    // The first run's send finally fails: its report must not make the delivery claimable while
    // the second run is sending it.
    await store.markFailed(slow, first.claimToken, 'Throttling', later(CLAIM_LEASE_MS + 2));
    expect(await marker(slow)).toMatchObject({ status: 'sending', claimToken: expect.any(String) });
    expect(await claimAt(store, slow, later(CLAIM_LEASE_MS + 3))).toEqual({
      claimed: false,
      state: 'in-progress',
    });
    await store.markFailed(slow, second.claimToken, 'Throttling', later(CLAIM_LEASE_MS + 4));
    expect((await marker(slow))?.status).toBe('failed');
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
