import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  ExpiryDigestIncompleteError,
  handlerFromEnv,
  makeNotifier,
  scheduledTime,
} from '../../../functions/notifier/notifier.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { createSesClient } from '../../../shared/adapters/ses/ses-client.js';
import { SesMailer } from '../../../shared/adapters/ses/ses-mailer.js';
import { CLAIM_LEASE_MS, deliveryOf, leaseUntil } from '../../../shared/domain/notify/delivery.js';
import type { Mailer } from '../../../shared/domain/notify/ports.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';
import { startPutEventsServer } from '../../support/put-events-server.js';
import { emailsTo, uniqueAddress, writeKey } from './support.js';

const DAY = 86_400_000;
const scheduledAt = `${new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10)}T11:00:00Z`;
const asOf = new Date(scheduledAt);
const sesEndpoint = inject('sesEndpoint');
const sender = 'notifier-handler@example.test';

let table: TestTable;
let store: DynamoNotificationStore;
let handler: ReturnType<typeof handlerFromEnv>;
let bus: Awaited<ReturnType<typeof startPutEventsServer>>;

function scheduledEvent(time: string): ScheduledEvent {
  return {
    version: '0',
    id: 'c5f2f1a4-0000-4000-8000-000000000000',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/keygate-expiry-digest'],
    detail: {},
  };
}

const context = {
  functionName: 'keygate-notifier',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:keygate-notifier',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoNotificationStore(table.doc, table.tableName);
  // The expiry events go to a PutEvents server of this test (counted in test/integration/events/).
  bus = await startPutEventsServer();
  // Powertools reads its own settings from the process; the function's environment is passed in.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
  handler = handlerFromEnv({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SES_ENDPOINT: sesEndpoint,
    SES_SENDER: sender,
    CONSOLE_URL: 'https://console.example.test/',
    EVENT_BUS_NAME: 'default',
    EVENTBRIDGE_ENDPOINT: bus.url,
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await bus.close();
  await table.drop();
});

describe('notifier handler', () => {
  it('runs the digest as of the scheduled event time through DynamoDB and SES', async () => {
    const to = uniqueAddress('handler');
    await store.putNotificationSettings('handler-co', { emails: [to] }, { updatedBy: 't', updatedAt: asOf });
    await writeKey(new DynamoKeyStore(table.doc, table.tableName), {
      companyId: 'handler-co',
      name: 'Handler key',
      expiresAt: new Date(asOf.getTime() + 2 * DAY),
    });

    const summary = await handler(scheduledEvent(scheduledAt), context);
    expect(summary).toMatchObject({ asOf: asOf.toISOString(), emailsSent: 1, failed: [] });
    const [email] = await emailsTo(sesEndpoint, to);
    expect(email?.from).toBe(sender);
    expect(email?.body.text).toContain('Handler key');
    expect(email?.body.text).toContain('(in 2 days)');

    // An EventBridge/Lambda retry of the same event, hours later, sends nothing again.
    const retry = await handler(scheduledEvent(scheduledAt), context);
    expect(retry).toMatchObject({ emailsSent: 0, alreadySent: 1 });
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(1);
  });

  it('throws after trying every company when one failed, and the retry sends only that one', async () => {
    const time = new Date(asOf.getTime() + 20 * DAY);
    const keys = new DynamoKeyStore(table.doc, table.tableName);
    const addresses: Record<string, string> = {};
    for (const companyId of ['fail-a', 'fail-b', 'fail-c']) {
      addresses[companyId] = uniqueAddress(companyId);
      await store.putNotificationSettings(
        companyId,
        { emails: [addresses[companyId] ?? ''] },
        { updatedBy: 't', updatedAt: time },
      );
      await writeKey(keys, { companyId, expiresAt: new Date(time.getTime() + DAY) });
    }
    const ses = new SesMailer(createSesClient({ endpoint: sesEndpoint }), sender);
    let failFor: string | undefined = addresses['fail-b'];
    const mailer: Mailer = {
      send: (email) =>
        failFor && email.to === failFor ? Promise.reject(new Error('Throttling')) : ses.send(email),
    };
    const metrics: Array<[string, number]> = [];
    const notifier = makeNotifier({
      clock: { now: () => time },
      expiryIndex: store,
      keyStates: store,
      recipients: store,
      ledger: store,
      mailer,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      metrics: { addMetric: (name, _unit, value) => metrics.push([name, value]) },
      consoleUrl: 'https://console.example.test/',
    });
    const event = scheduledEvent(time.toISOString());

    const failure = await notifier(event).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExpiryDigestIncompleteError);
    expect((failure as InstanceType<typeof ExpiryDigestIncompleteError>).failedCompanyIds).toEqual([
      'fail-b',
    ]);
    expect(metrics).toEqual(
      expect.arrayContaining([
        ['CompaniesScanned', 3],
        ['EmailsSent', 2],
        ['Skipped', 0],
        ['Failed', 1],
      ]),
    );
    expect(await emailsTo(sesEndpoint, addresses['fail-a'] ?? '')).toHaveLength(1);
    expect(await emailsTo(sesEndpoint, addresses['fail-c'] ?? '')).toHaveLength(1);

    failFor = undefined;
    expect(await notifier(event)).toMatchObject({ emailsSent: 1, alreadySent: 2, failed: [] });
    expect(await emailsTo(sesEndpoint, addresses['fail-b'] ?? '')).toHaveLength(1);
    expect(await emailsTo(sesEndpoint, addresses['fail-a'] ?? '')).toHaveLength(1);
  });

  it('throws while a company is claimed by a run that never finished, and a later retry sends it', async () => {
    const time = new Date(asOf.getTime() + 25 * DAY);
    const day = time.toISOString().slice(0, 10);
    const to = uniqueAddress('claimed');
    await store.putNotificationSettings('claimed-co', { emails: [to] }, { updatedBy: 't', updatedAt: time });
    await writeKey(new DynamoKeyStore(table.doc, table.tableName), {
      companyId: 'claimed-co',
      expiresAt: new Date(time.getTime() + DAY),
    });
    // A run claimed the day and died (Lambda timeout) before sending or recording a failure.
    expect(await store.claim(deliveryOf('claimed-co', day, to), time, leaseUntil(time))).toMatchObject({
      claimed: true,
    });

    let wall = new Date(time.getTime() + 60_000);
    const metrics: Array<[string, number]> = [];
    const notifier = makeNotifier({
      clock: { now: () => wall },
      expiryIndex: store,
      keyStates: store,
      recipients: store,
      ledger: store,
      mailer: new SesMailer(createSesClient({ endpoint: sesEndpoint }), sender),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      metrics: { addMetric: (name, _unit, value) => metrics.push([name, value]) },
      consoleUrl: 'https://console.example.test/',
    });
    const event = scheduledEvent(time.toISOString());

    // Reporting success here would drop the digest for the day: nothing re-runs a successful event.
    const failure = await notifier(event).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExpiryDigestIncompleteError);
    expect((failure as Error).message).toMatch(/1 recipient still claimed by another run/);
    expect(metrics).toEqual(expect.arrayContaining([['InProgress', 1]]));
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(0);

    wall = new Date(time.getTime() + CLAIM_LEASE_MS);
    expect(await notifier(event)).toMatchObject({ emailsSent: 1, inProgress: 0, failed: [] });
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(1);
  });

  it("starts no company with less than the margin left of Lambda's time, and the retry sends it", async () => {
    const time = new Date(asOf.getTime() + 40 * DAY).toISOString();
    const to = uniqueAddress('deadline');
    await store.putNotificationSettings('deadline-co', { emails: [to] }, { updatedBy: 't', updatedAt: asOf });
    await writeKey(new DynamoKeyStore(table.doc, table.tableName), {
      companyId: 'deadline-co',
      expiresAt: new Date(Date.parse(time) + DAY),
    });
    const nearTimeout = { ...context, getRemainingTimeInMillis: () => 1_000 } as Context;

    await expect(handler(scheduledEvent(time), nearTimeout)).rejects.toBeInstanceOf(
      ExpiryDigestIncompleteError,
    );
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(0);
    expect(await handler(scheduledEvent(time), context)).toMatchObject({ emailsSent: 1, failed: [] });
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(1);
  });

  it('uses the event time as the digest time, the clock only when the event has none', () => {
    const clock = { now: () => new Date('2030-01-01T00:00:00Z') };
    expect(scheduledTime({ time: '2026-11-30T11:00:00Z' }, clock).toISOString()).toBe(
      '2026-11-30T11:00:00.000Z',
    );
    expect(scheduledTime({ time: '' }, clock).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(() => scheduledTime({ time: 'yesterday' }, clock)).toThrow(/not a time/);
  });
});
