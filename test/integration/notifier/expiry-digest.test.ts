import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import { createSesClient } from '../../../shared/adapters/ses/ses-client.js';
import { SesMailer } from '../../../shared/adapters/ses/ses-mailer.js';
import type { Mailer } from '../../../shared/domain/notify/ports.js';
import { runExpiryNotifications } from '../../../shared/domain/notify/run-expiry-notifications.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';
import { bulkWriteKeys, emailsTo, uniqueAddress, writeKey } from './support.js';

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A run at 11:00 UTC a month ahead of the real time, so the keys' TTLs lie in the future.
const asOf = new Date(`${new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10)}T11:00:00.000Z`);
const at = (offsetMs: number) => new Date(asOf.getTime() + offsetMs);
const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

const sesEndpoint = inject('sesEndpoint');
const ses = createSesClient({ endpoint: sesEndpoint });
const sender = 'keygate@example.test';
let table: TestTable;
let keys: DynamoKeyStore;
let store: DynamoNotificationStore;

beforeEach(async () => {
  // A table per test: the notifier reads every company's keys, so tests must not see each other's.
  table = await createTestTable();
  keys = new DynamoKeyStore(table.doc, table.tableName);
  // Small pages, so every query in these tests spans several pages.
  store = new DynamoNotificationStore(table.doc, table.tableName, 7);
});
afterEach(async () => {
  await table.drop();
});
afterAll(() => ses.destroy());

function run(options: { asOf?: Date; mailer?: Mailer; wall?: Date } = {}) {
  return runExpiryNotifications({
    clock: { now: () => options.wall ?? options.asOf ?? asOf },
    asOf: options.asOf ?? asOf,
    expiryIndex: store,
    keyStates: store,
    recipients: store,
    ledger: store,
    mailer: options.mailer ?? new SesMailer(ses, sender),
    logger: silentLogger,
    consoleUrl: 'https://console.example.test/keys',
  });
}

async function companyWithRecipient(companyId: string): Promise<string> {
  const address = uniqueAddress(companyId);
  await store.putNotificationSettings(
    companyId,
    { emails: [address] },
    { updatedBy: 'test', updatedAt: asOf },
  );
  return address;
}

describe('expiry digest against DynamoDB Local and the SES emulator', () => {
  it('includes and excludes keys at both window boundaries, to the second', async () => {
    const to = await companyWithRecipient('acme');
    const cases = [
      { name: 'expired exactly 24h ago', offset: -DAY, listed: false },
      { name: 'expired 24h minus 1s ago', offset: -DAY + SECOND, listed: true },
      { name: 'expires exactly now', offset: 0, listed: true },
      { name: 'expires in 1s', offset: SECOND, listed: true },
      { name: 'expires in exactly 7d', offset: 7 * DAY, listed: true },
      { name: 'expires in 7d plus 1s', offset: 7 * DAY + SECOND, listed: false },
    ];
    for (const c of cases) await writeKey(keys, { companyId: 'acme', name: c.name, expiresAt: at(c.offset) });

    const summary = await run();
    expect(summary).toMatchObject({
      companiesScanned: 1,
      emailsSent: 1,
      itemsRead: 4,
      keysDue: 4,
      failed: [],
    });
    const [email, ...more] = await emailsTo(sesEndpoint, to);
    expect(more).toHaveLength(0);
    expect(email?.from).toBe(sender);
    expect(email?.subject).toBe('[acme] 2 API keys expire this week, 2 expired in the last 24 hours');
    for (const c of cases) {
      expect(email?.body.text?.includes(`\u2068${c.name}\u2069 (`), c.name).toBe(c.listed);
      expect(email?.body.html?.includes(`>${c.name}<`), c.name).toBe(c.listed);
    }
    // "expires exactly now" is expired (a key is expired from the instant now >= expiresAt).
    expect(email?.body.text).toMatch(
      /Expired in the last 24 hours \(2\):\n- \u2068expired 24h minus 1s ago[\s\S]*- \u2068expires exactly now/,
    );
  });

  it('shows each company only its own keys', async () => {
    const acme = await companyWithRecipient('acme');
    const globex = await companyWithRecipient('globex');
    await writeKey(keys, { companyId: 'acme', name: 'Acme billing', expiresAt: at(2 * DAY) });
    await writeKey(keys, { companyId: 'globex', name: 'Globex crm', expiresAt: at(3 * DAY) });
    await writeKey(keys, { companyId: 'globex', name: 'Globex old', expiresAt: at(-HOUR) });

    expect(await run()).toMatchObject({ companiesScanned: 2, emailsSent: 2 });
    const [acmeMail] = await emailsTo(sesEndpoint, acme);
    const [globexMail] = await emailsTo(sesEndpoint, globex);
    expect(acmeMail?.destination.to).toEqual([acme]);
    expect(acmeMail?.body.text).toContain('Acme billing');
    expect(acmeMail?.body.text).not.toContain('Globex');
    expect(globexMail?.destination.to).toEqual([globex]);
    expect(globexMail?.body.text).toContain('Globex crm');
    expect(globexMail?.body.text).toContain('Globex old');
    expect(globexMail?.body.text).not.toContain('Acme');
  });

  it('sends once per company per UTC day: a rerun sends nothing, the next day sends again', async () => {
    const to = await companyWithRecipient('acme');
    await writeKey(keys, { companyId: 'acme', name: 'Nightly export', expiresAt: at(3 * DAY) });

    expect(await run()).toMatchObject({ emailsSent: 1, alreadySent: 0 });
    expect(await run({ asOf: at(0), wall: at(2 * HOUR) })).toMatchObject({ emailsSent: 0, alreadySent: 1 });
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(1);

    const marker = await table.doc.send(
      new GetCommand({
        TableName: table.tableName,
        Key: itemKeys.delivery('acme', asOf.toISOString().slice(0, 10), to),
      }),
    );
    const [email] = await emailsTo(sesEndpoint, to);
    expect(marker.Item).toMatchObject({ status: 'sent', messageId: email?.messageId, attempts: 1 });
    expect(marker.Item?.ttl).toBeGreaterThan(asOf.getTime() / 1000);

    expect(await run({ asOf: at(DAY) })).toMatchObject({ emailsSent: 1, alreadySent: 0 });
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(2);
  });

  it('sends to the other companies when one fails, and the next run retries only that one', async () => {
    const addresses = {
      acme: await companyWithRecipient('acme'),
      globex: await companyWithRecipient('globex'),
      initech: await companyWithRecipient('initech'),
    };
    for (const companyId of Object.keys(addresses)) {
      await writeKey(keys, { companyId, name: `${companyId} key`, expiresAt: at(DAY) });
    }
    const ses = new SesMailer(createSesClient({ endpoint: sesEndpoint }), sender);
    const failingForGlobex: Mailer = {
      send: (email) =>
        email.to === addresses.globex ? Promise.reject(new Error('MessageRejected')) : ses.send(email),
    };

    expect(await run({ mailer: failingForGlobex })).toMatchObject({ emailsSent: 2, failed: ['globex'] });
    expect(await emailsTo(sesEndpoint, addresses.acme)).toHaveLength(1);
    expect(await emailsTo(sesEndpoint, addresses.initech)).toHaveLength(1);
    expect(await emailsTo(sesEndpoint, addresses.globex)).toHaveLength(0);

    const retry = await run({ wall: at(5 * 60_000) });
    expect(retry).toMatchObject({ emailsSent: 1, alreadySent: 2, failed: [] });
    expect(await emailsTo(sesEndpoint, addresses.globex)).toHaveLength(1);
    expect(await emailsTo(sesEndpoint, addresses.acme)).toHaveLength(1);
  });

  it("sends each recipient its own message; one recipient's failed send is retried alone, once", async () => {
    const ops = uniqueAddress('ops');
    const sec = uniqueAddress('sec');
    await store.putNotificationSettings(
      'acme',
      { emails: [ops, sec] },
      { updatedBy: 'test', updatedAt: asOf },
    );
    await writeKey(keys, { companyId: 'acme', name: 'Partner feed', expiresAt: at(2 * DAY) });
    const ses = new SesMailer(createSesClient({ endpoint: sesEndpoint }), sender);
    const sends: string[] = [];
    let failFor: string | undefined = sec;
    // SES refuses sec@'s message (as it does an unverified address in the sandbox); ops@'s goes out.
    const mailer: Mailer = {
      send: (email) => {
        sends.push(email.to);
        return email.to === failFor
          ? Promise.reject(new Error('MessageRejected: not verified'))
          : ses.send(email);
      },
    };

    const first = await run({ mailer });
    expect(first).toMatchObject({ emailsSent: 1, failedRecipients: 1, failed: ['acme'], alreadySent: 0 });
    expect(sends).toEqual([ops, sec]);
    const [opsMail, ...opsMore] = await emailsTo(sesEndpoint, ops);
    expect(opsMore).toHaveLength(0);
    expect(opsMail?.destination.to).toEqual([ops]);
    expect(opsMail?.body.text).toContain('Partner feed');
    expect(await emailsTo(sesEndpoint, sec)).toHaveLength(0);

    // The rerun (minutes later, the same scheduled day) sends sec@ alone: one SES call.
    failFor = undefined;
    sends.length = 0;
    const rerun = await run({ mailer, wall: at(5 * 60_000) });
    expect(rerun).toMatchObject({ emailsSent: 1, alreadySent: 1, failedRecipients: 0, failed: [] });
    expect(sends).toEqual([sec]);
    const [secMail, ...secMore] = await emailsTo(sesEndpoint, sec);
    expect(secMore).toHaveLength(0);
    expect(secMail?.destination.to).toEqual([sec]);
    expect(secMail?.subject).toBe(opsMail?.subject);
    expect(secMail?.body.text).toBe(opsMail?.body.text);
    expect(await emailsTo(sesEndpoint, ops)).toHaveLength(1);

    // A third run sends nobody anything.
    sends.length = 0;
    expect(await run({ mailer, wall: at(HOUR) })).toMatchObject({
      emailsSent: 0,
      alreadySent: 2,
      failed: [],
    });
    expect(sends).toEqual([]);
  });

  it('escapes key names in the HTML body that SES receives', async () => {
    const to = await companyWithRecipient('acme');
    await writeKey(keys, {
      companyId: 'acme',
      name: `<script>alert('x')</script> & "Partners"`,
      expiresAt: at(DAY),
    });
    await run();
    const [email] = await emailsTo(sesEndpoint, to);
    expect(email?.body.html).not.toContain('<script>');
    expect(email?.body.html).toContain(
      '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Partners&quot;',
    );
  });

  it('lists 1,000 due keys of one company in one email, under the SES size limit', async () => {
    const to = await companyWithRecipient('acme');
    const written = await bulkWriteKeys(
      table.doc,
      table.tableName,
      Array.from({ length: 1_000 }, (_, i) => ({
        companyId: 'acme',
        name: `Integration ${String(i).padStart(4, '0')}`,
        scopes: ['pbx:read', 'messaging:*', 'users:GetUserInfo'],
        expiresAt: at(-DAY + (i + 1) * 10 * 60_000),
      })),
    );
    const summary = await run();
    expect(summary).toMatchObject({ emailsSent: 1, keysDue: 1_000, itemsRead: 1_000 });
    const emails = await emailsTo(sesEndpoint, to);
    expect(emails).toHaveLength(1);
    const html = emails[0]?.body.html ?? '';
    const text = emails[0]?.body.text ?? '';
    for (const key of written) {
      expect(html).toContain(`>${key.name}<`);
      expect(text).toContain(`- \u2068${key.name}\u2069 (`);
    }
    const bytes = Buffer.byteLength(html) + Buffer.byteLength(text);
    // Measured: about 0.5 MB for 1,000 keys, a twentieth of SES's 10 MB message limit.
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('reads only the keys in the windows: 10 inside, 500 outside, 10 items read', async () => {
    await companyWithRecipient('acme');
    const outside = Array.from({ length: 500 }, (_, i) => {
      // Half on the boundary days' partitions just outside the range, half on other days.
      const offsets = [
        -DAY - (i + 1) * 60_000,
        7 * DAY + (i + 1) * 60_000,
        -(2 + (i % 20)) * DAY,
        (8 + (i % 20)) * DAY,
      ];
      return { companyId: i % 2 ? 'acme' : 'globex', expiresAt: at(offsets[i % 4] ?? 0) };
    });
    const inside = Array.from({ length: 10 }, (_, i) => ({
      companyId: 'acme',
      expiresAt: at(-DAY + (i + 1) * 17 * HOUR),
    }));
    await bulkWriteKeys(table.doc, table.tableName, [...outside, ...inside]);

    const summary = await run();
    expect(summary).toMatchObject({ itemsRead: 10, keysDue: 10, companiesScanned: 1, emailsSent: 1 });
  });

  it('skips a company with keys due but no recipients (never set, or set to none), and counts it', async () => {
    const acme = await companyWithRecipient('acme');
    await store.putNotificationSettings('stopped', { emails: [] }, { updatedBy: 'test', updatedAt: asOf });
    await writeKey(keys, { companyId: 'acme', expiresAt: at(DAY) });
    await writeKey(keys, { companyId: 'nobody-listens', expiresAt: at(DAY) });
    await writeKey(keys, { companyId: 'stopped', expiresAt: at(DAY) });
    expect(await run()).toMatchObject({
      companiesScanned: 3,
      emailsSent: 1,
      skippedNoRecipients: 2,
      failed: [],
    });
    expect(await emailsTo(sesEndpoint, acme)).toHaveLength(1);
  });

  it('sends no email when no key is due', async () => {
    const to = await companyWithRecipient('acme');
    await writeKey(keys, { companyId: 'acme', expiresAt: at(30 * DAY) });
    expect(await run()).toMatchObject({ companiesScanned: 0, emailsSent: 0, itemsRead: 0 });
    expect(await emailsTo(sesEndpoint, to)).toHaveLength(0);
  });
});

describe('SES adapter', () => {
  it('fails within the request timeout when the endpoint never answers', async () => {
    const { createServer } = await import('node:net');
    // A server that accepts connections and never answers, as the emulator does for unimplemented calls.
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const client = createSesClient({
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
      requestTimeoutMs: 500,
    });
    const started = Date.now();
    await expect(
      new SesMailer(client, sender).send({ to: 'a@example.test', subject: 's', text: 't', html: 'h' }),
    ).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeLessThan(3_000);
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });
});

beforeAll(() => {
  expect(asOf.getUTCHours()).toBe(11);
});
