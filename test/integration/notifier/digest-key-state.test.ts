import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { createSesClient } from '../../../shared/adapters/ses/ses-client.js';
import { SesMailer } from '../../../shared/adapters/ses/ses-mailer.js';
import { runExpiryNotifications } from '../../../shared/domain/notify/run-expiry-notifications.js';
import type { ApiKeyRecord } from '../../../shared/domain/ports.js';
import { countDynamoCalls } from '../../bench/dynamo-call-counter.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';
import { emailsTo, uniqueAddress, writeKey } from './support.js';

/**
 * Issue 11: the digest SES receives shows each due key as it is at send time, though the expiry
 * index (eventually consistent, no `enabled` or `rotatedTo` in its projection) saw it earlier: a key
 * disabled, rotated or deleted after creation, through the real key store on DynamoDB Local.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const asOf = new Date(`${new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10)}T11:00:00.000Z`);
const at = (offsetMs: number) => new Date(asOf.getTime() + offsetMs);
const ttl = (time: Date) => Math.floor(time.getTime() / 1000) + 30 * 86_400;
const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

const sesEndpoint = inject('sesEndpoint');
const ses = createSesClient({ endpoint: sesEndpoint });
let table: TestTable;
let keys: DynamoKeyStore;

beforeEach(async () => {
  table = await createTestTable();
  keys = new DynamoKeyStore(table.doc, table.tableName);
});
afterEach(async () => {
  await table.drop();
});
afterAll(() => ses.destroy());

/** Rotates `keyId` as the rotate use case does: its expiry shortened, a successor written. */
async function rotate(keyId: string, oldExpiresAt: Date, successorExpiresAt: Date, successorPrefix: string) {
  const outcome = await keys.rotate('acme', keyId, (current: ApiKeyRecord) => ({
    successor: {
      ...current,
      id: randomUUID(),
      keyPrefix: successorPrefix,
      createdAt: asOf.toISOString(),
      expiresAt: successorExpiresAt.toISOString(),
      lastUsedAt: null,
      enabled: true,
      rotatedFrom: current.id,
      rotatedTo: null,
    },
    successorDigest: randomBytes(32).toString('hex'),
    successorTtlEpochSeconds: ttl(successorExpiresAt),
    oldExpiresAt: oldExpiresAt.toISOString(),
    oldTtlEpochSeconds: ttl(oldExpiresAt),
  }));
  if (outcome.outcome !== 'rotated') throw new Error(`rotation ${outcome.outcome}`);
  return outcome.successor;
}

describe('the digest shows each due key as it is now', () => {
  it('marks a key disabled or rotated after creation, leaves out one deleted, and reads only the due keys', async () => {
    const to = uniqueAddress('acme');
    const store = new DynamoNotificationStore(table.doc, table.tableName);
    await store.putNotificationSettings('acme', { emails: [to] }, { updatedBy: 'test', updatedAt: asOf });
    await writeKey(keys, { companyId: 'acme', name: 'Plain', expiresAt: at(2 * DAY) });
    const disabled = await writeKey(keys, { companyId: 'acme', name: 'Paused', expiresAt: at(3 * DAY) });
    const rotated = await writeKey(keys, { companyId: 'acme', name: 'Billing', expiresAt: at(4 * DAY) });
    const deleted = await writeKey(keys, { companyId: 'acme', name: 'Gone', expiresAt: at(5 * DAY) });
    const both = await writeKey(keys, { companyId: 'acme', name: 'Old cron', expiresAt: at(-HOUR) });

    await keys.setEnabled('acme', disabled.keyId, false);
    // A 1-day grace: the old key now expires in a day; its successor in 90 days (not due itself).
    const successor = await rotate(rotated.keyId, at(DAY), at(90 * DAY), 'wsk-v1-Nw7');
    await keys.delete('acme', deleted.keyId);
    // Rotated with no grace, then disabled: both marks; its successor is deleted since.
    const bothSuccessor = await rotate(both.keyId, at(-HOUR), at(90 * DAY), 'wsk-v1-Qq1');
    await keys.setEnabled('acme', both.keyId, false);
    await keys.delete('acme', bothSuccessor.id);

    const doc = createDocumentClient({ endpoint: table.endpoint });
    const counter = countDynamoCalls(doc);
    try {
      const summary = await runExpiryNotifications({
        clock: { now: () => asOf },
        asOf,
        expiryIndex: new DynamoNotificationStore(doc, table.tableName),
        keyStates: new DynamoNotificationStore(doc, table.tableName),
        recipients: store,
        ledger: store,
        mailer: new SesMailer(ses, 'keygate@example.test'),
        logger: silentLogger,
        consoleUrl: 'https://console.example.test/keys',
      });
      expect(summary).toMatchObject({ emailsSent: 1, keysDue: 4, keysDeletedSince: 0, failed: [] });
      // The due keys' state in one request; the two successors' prefixes (not due) in one more.
      const batchGets = counter.calls.filter((call) => call.operation === 'BatchGetItem');
      expect(batchGets.map((call) => [call.consistentRead, call.itemsRead])).toEqual([
        [true, 4],
        [true, 2],
      ]);
    } finally {
      counter.detach();
      doc.destroy();
    }

    const [email, ...more] = await emailsTo(sesEndpoint, to);
    expect(more).toHaveLength(0);
    expect(email?.subject).toBe(
      '[acme] 3 API keys expire this week, 1 expired in the last 24 hours (3 already replaced or disabled)',
    );
    const text = email?.body.text ?? '';
    const block = (name: string) =>
      text
        .slice(text.indexOf(`\u2068${name}\u2069`))
        .split('\n\n')[0]
        ?.split('\n- ')[0];
    for (const name of ['Plain', 'Paused', 'Billing', 'Old cron'])
      expect(text).toContain(`- \u2068${name}\u2069 (`);
    expect(text).not.toContain('Gone');
    expect(block('Plain')).not.toMatch(/disabled:|replaced by rotation:/);
    expect(block('Paused')).toContain('  disabled: it already fails every request');
    expect(block('Paused')).not.toContain('replaced by rotation:');
    // Listed by its shortened expiry, with the key that replaced it.
    expect(block('Billing')).toContain(`expires ${at(DAY).toISOString().slice(0, 10)} 11:00 UTC (in 1 day)`);
    expect(block('Billing')).toContain(
      `  replaced by rotation: wsk-v1-Nw7… (key ${successor.id}); no action needed`,
    );
    expect(block('Old cron')).toContain('  disabled: it already fails every request');
    expect(block('Old cron')).toContain(
      `  replaced by rotation: key ${bothSuccessor.id} (since deleted); no action needed`,
    );
    const html = email?.body.html ?? '';
    expect(html).toContain('<strong>disabled</strong>: it already fails every request');
    expect(html).toContain(`<strong>replaced by rotation</strong>: wsk-v1-Nw7… (key ${successor.id})`);
    expect(html).not.toContain('Gone');
  });

  it('leaves out a key deleted after the index saw it, and sends nothing when it was the only one due', async () => {
    const to = uniqueAddress('acme');
    const store = new DynamoNotificationStore(table.doc, table.tableName);
    await store.putNotificationSettings('acme', { emails: [to] }, { updatedBy: 'test', updatedAt: asOf });
    const only = await writeKey(keys, { companyId: 'acme', name: 'Only', expiresAt: at(2 * DAY) });
    // The index as it was before the delete reached it: DynamoDB Local updates its index at once, so
    // the index read is taken first and the item deleted in between.
    const { keys: indexed } = await store.keysExpiringIn({ after: at(-DAY), until: at(7 * DAY) });
    expect(indexed.map((key) => key.keyId)).toEqual([only.keyId]);
    await keys.delete('acme', only.keyId);
    const summary = await runExpiryNotifications({
      clock: { now: () => asOf },
      asOf,
      expiryIndex: { keysExpiringIn: async () => ({ keys: indexed, itemsRead: indexed.length }) },
      keyStates: store,
      recipients: store,
      ledger: store,
      mailer: new SesMailer(ses, 'keygate@example.test'),
      logger: silentLogger,
      consoleUrl: 'https://console.example.test/keys',
    });
    expect(summary).toMatchObject({ companiesScanned: 0, emailsSent: 0, keysDue: 0, keysDeletedSince: 1 });
    expect(await emailsTo(sesEndpoint, to)).toEqual([]);
  });
});
