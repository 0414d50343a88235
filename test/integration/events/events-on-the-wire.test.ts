import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeNotifier, notifierDepsFromEnv } from '../../../functions/notifier/notifier.js';
import {
  makeAuditEventPublisher,
  publisherDepsFromEnv,
} from '../../../functions/publish-audit-events/publish-audit-events.js';
import {
  type AuditStreamPoller,
  type AuditStreamPollerOptions,
  startAuditStreamPoller,
} from '../../../local/audit-stream-poller.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { AuditEvent } from '../../../shared/domain/audit/audit-event.js';
import { newKeyId } from '../../../shared/domain/keys/key-id.js';
import type { ApiKeyRecord } from '../../../shared/domain/ports.js';
import { auditInsertRecord, sampleAuditEvent } from '../../support/audit-stream-records.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';
import { startPutEventsServer, type WireEntry } from '../../support/put-events-server.js';
import { writeKey } from '../notifier/support.js';

/**
 * Events counted on the wire: the real EventBridge SDK client, as the publisher Lambda and the
 * notifier build it from their environment, pointed at a PutEvents server this test runs. The stream
 * path runs on DynamoDB Local: a key change written by the real key store (audit item in the change's
 * own transaction) reaches the bus as exactly one event, through the stream and the publisher's code.
 */

const BUS = 'keygate-test-bus';
const silent = { info: () => {}, warn: () => {}, error: () => {} };
let bus: Awaited<ReturnType<typeof startPutEventsServer>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  bus = await startPutEventsServer();
  env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    EVENT_BUS_NAME: BUS,
    EVENTBRIDGE_ENDPOINT: bus.url,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
});
afterAll(() => bus.close());
beforeEach(() => {
  bus.calls.length = 0;
  bus.setRefuse(() => false);
});

const detailOf = (entry: WireEntry) => JSON.parse(entry.Detail) as Record<string, unknown>;
const waitFor = async (count: number, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (bus.entries().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return bus.entries();
};

describe('the publisher on the wire', () => {
  it('sends 23 audit records as PutEvents calls of 10, 10 and 3 entries, source keygate, on the configured bus', async () => {
    const handler = makeAuditEventPublisher({ ...publisherDepsFromEnv(env), logger: silent });
    const records = Array.from({ length: 23 }, (_, index) =>
      auditInsertRecord(sampleAuditEvent({ id: `event-${index}` }), String(1000 + index), {
        targetScopes: ['pbx:*'],
      }),
    );
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(bus.calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    const entries = bus.entries();
    expect(entries.map((entry) => detailOf(entry).id)).toEqual(records.map((_, index) => `event-${index}`));
    for (const entry of entries) {
      expect(entry).toMatchObject({ Source: 'keygate', DetailType: 'api-key.rotated', EventBusName: BUS });
      expect(entry.Detail).not.toContain('pbx:*');
    }
  });

  it('reports the record whose entry EventBridge keeps refusing as a batch item failure, and only that one', async () => {
    bus.setRefuse((entry) => detailOf(entry).id === 'event-4');
    const handler = makeAuditEventPublisher({ ...publisherDepsFromEnv(env), logger: silent });
    const records = Array.from({ length: 6 }, (_, index) =>
      auditInsertRecord(sampleAuditEvent({ id: `event-${index}` }), String(2000 + index)),
    );
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: '2004' }] });
    // Six entries, then the refused one retried twice more.
    expect(bus.calls.map((entries) => entries.length)).toEqual([6, 1, 1]);
  });
});

describe('the stream path on DynamoDB Local', () => {
  let table: TestTable;
  let poller: AuditStreamPoller;
  const startPoller = (pace: Pick<AuditStreamPollerOptions, 'intervalMs' | 'idleIntervalMs' | 'onPolled'>) =>
    startAuditStreamPoller({
      dynamo: table.client,
      endpoint: table.endpoint,
      tableName: table.tableName,
      handler: makeAuditEventPublisher({ ...publisherDepsFromEnv(env), logger: silent }),
      log: (line) => console.error(line),
      ...pace,
    });
  beforeEach(async () => {
    table = await createTestTable();
    // A steady pace, so a wrong extra event would arrive within the waits below.
    poller = await startPoller({ intervalMs: 100, idleIntervalMs: 100 });
  });
  afterEach(async () => {
    await poller.stop();
    await table.drop();
  });

  it('turns one key change into exactly one event, and writes that are not audit items into none', async () => {
    const store = new DynamoKeyStore(table.doc, table.tableName);
    const { record, digest, created } = stampedKey('Stream key', ['10.9.8.0/24']);
    const audit = (action: AuditEvent['action'], changes: AuditEvent['changes'], name = record.name) =>
      sampleAuditEvent({
        id: newKeyId(new Date()),
        at: new Date().toISOString(),
        action,
        target: { keyId: record.id, name },
        changes,
      });
    await store.create(record, digest, Math.floor(Date.now() / 1000) + 90_000, created);

    const [event] = await waitFor(1);
    expect(event).toMatchObject({ Source: 'keygate', DetailType: 'api-key.created', EventBusName: BUS });
    expect(detailOf(event as WireEntry)).toMatchObject({
      id: created.id,
      companyId: 'acme',
      target: { keyId: record.id, name: 'Stream key' },
      changes: { expiresAt: record.expiresAt },
    });
    expect(event?.Detail).not.toContain('messaging:read');
    expect(event?.Detail).not.toContain('10.9.8.0/24');
    expect(event?.Detail).not.toContain(digest);

    // Not audit items: the throttled lastUsedAt write touches the lookup item only.
    await store.touchLastUsed(digest, new Date(), 1);
    await store.rename('acme', record.id, 'Renamed', undefined, () =>
      audit('api-key.renamed', { oldName: 'Stream key', newName: 'Renamed' }),
    );
    const entries = await waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a wrong third one to arrive
    expect(bus.entries().map((entry) => entry.DetailType)).toEqual(['api-key.created', 'api-key.renamed']);
    expect(detailOf(entries[1] as WireEntry).changes).toEqual({ oldName: 'Stream key', newName: 'Renamed' });

    // A deletion records no changes (an empty map): it still becomes its one event.
    await store.delete('acme', record.id, undefined, () => audit('api-key.deleted', {}, 'Renamed'));
    const all = await waitFor(3);
    expect(all.map((entry) => entry.DetailType)).toEqual([
      'api-key.created',
      'api-key.renamed',
      'api-key.deleted',
    ]);
    expect(detailOf(all[2] as WireEntry)).toMatchObject({ target: { keyId: record.id }, changes: {} });
  });

  it('polls less while nothing comes, and a nudge brings the next poll back at once', async () => {
    await poller.stop();
    let backedOff: () => void = () => {};
    const waited = new Promise<void>((resolve) => {
      backedOff = resolve;
    });
    // Idle polls back off from 100 ms (200, 400, 800, 1,600, 3,200 ms …): wait for a long pause.
    poller = await startPoller({
      intervalMs: 100,
      idleIntervalMs: 30_000,
      onPolled: (nextDelayMs) => {
        if (nextDelayMs >= 3_200) backedOff();
      },
    });
    await waited;
    const store = new DynamoKeyStore(table.doc, table.tableName);
    const { record, digest, created } = stampedKey('Backoff key');
    await store.create(record, digest, Math.floor(Date.now() / 1000) + 90_000, created);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bus.entries()).toEqual([]); // the poller has not looked since the write
    poller.nudge();
    // Within 1.5 s of the nudge, while the next poll would otherwise be 2 s or more away.
    const [event] = await waitFor(1, 1_500);
    expect(event).toMatchObject({ DetailType: 'api-key.created' });
    expect(detailOf(event as WireEntry)).toMatchObject({ id: created.id });
  });
});

/** A key record, a stand-in digest and the creation's audit event, as the key store writes them. */
function stampedKey(name: string, allowedIps: string[] = []) {
  const now = new Date();
  const record: ApiKeyRecord = {
    id: randomUUID(),
    companyId: 'acme',
    name,
    keyPrefix: 'wsk-v1-abc',
    scopes: ['messaging:read'],
    allowedIps,
    createdAt: now.toISOString(),
    createdBy: 'admin:alice@acme.test',
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
  };
  const created = sampleAuditEvent({
    id: newKeyId(now),
    at: now.toISOString(),
    action: 'api-key.created',
    target: { keyId: record.id, name },
    changes: { scopes: record.scopes, allowedIps: record.allowedIps, expiresAt: record.expiresAt },
  });
  return { record, digest: randomBytes(32).toString('hex'), created };
}

describe('the notifier on the wire', () => {
  let table: TestTable;
  beforeEach(async () => {
    table = await createTestTable();
  });
  afterEach(() => table.drop());

  it('publishes one expiry event per key due, and none on a rerun of the same day', async () => {
    const asOf = new Date(
      `${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T11:00:00.000Z`,
    );
    const keys = new DynamoKeyStore(table.doc, table.tableName);
    const expiring = await writeKey(keys, {
      companyId: 'acme',
      expiresAt: new Date(asOf.getTime() + 86_400_000),
    });
    const expired = await writeKey(keys, {
      companyId: 'acme',
      expiresAt: new Date(asOf.getTime() - 3_600_000),
    });
    // The company has no recipients set: no email, but the events go out all the same.
    const notifierEnv = {
      ...env,
      TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      SES_SENDER: 'keygate@example.test',
      SES_ENDPOINT: inject('sesEndpoint'),
      CONSOLE_URL: 'https://console.example.test/',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };
    const deps = notifierDepsFromEnv(notifierEnv);
    const notifier = makeNotifier({ ...deps, logger: silent });
    const first = await notifier({ time: asOf.toISOString() });
    expect(first.eventsPublished).toBe(2);
    const entries = bus.entries();
    expect(entries.map((entry) => [entry.DetailType, detailOf(entry).keyId])).toEqual([
      ['api-key.expired', expired.keyId],
      ['api-key.expiring', expiring.keyId],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ Source: 'keygate', EventBusName: BUS });
      expect(Object.keys(detailOf(entry)).sort()).toEqual(
        ['companyId', 'day', 'enabled', 'expiresAt', 'keyId', 'keyPrefix', 'name', 'rotatedTo'].sort(),
      );
      // The state read from the key's own item after the index: both enabled, neither rotated.
      expect(detailOf(entry)).toMatchObject({ enabled: true, rotatedTo: null });
    }
    const rerun = await notifier({ time: asOf.toISOString() });
    expect(rerun.eventsPublished).toBe(0);
    expect(bus.entries()).toHaveLength(2);
  });
});
