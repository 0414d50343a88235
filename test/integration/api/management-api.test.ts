import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { parseApiKey } from '../../../shared/domain/keys/key-format.js';
import { newKeyId } from '../../../shared/domain/keys/key-id.js';
import { KEY_VIEW_FIELDS } from '../../support/key-view-fields.js';
import { type Harness, startHarness } from './harness.js';

/**
 * The real management handlers, through the shared middy stack, against DynamoDB Local: the
 * contract of DESIGN.md's "Management API" and issue 2's list of bad inputs.
 */

let h: Harness;
/** Every secret this file saw; none may ever appear in a log line or a later response. */
const secrets: string[] = [];

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.table.drop();
});

const admin = (companyId = 'acme'): Caller => ({
  kind: 'root-admin',
  companyId,
  subject: `sub-${companyId}`,
  email: `root@${companyId}.example`,
});
const keyCaller = (scopes: string[], companyId = 'acme'): Caller => ({
  kind: 'key',
  companyId,
  keyId: newKeyId(new Date()),
  keyName: 'automation',
  scopes,
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  allowedIps: [],
});

const PROBLEM_FIELDS = ['detail', 'requestId', 'status', 'title', 'type'];

async function create(body: unknown = { name: 'k', scopes: ['colleagues:read'] }, caller = admin()) {
  const response = await h.call({ method: 'POST', path: '/v1/api-keys', caller, body });
  if (response.status === 201) secrets.push(response.body.key);
  return response;
}

function expectProblem(response: Awaited<ReturnType<Harness['call']>>, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers['Content-Type']).toBe('application/problem+json');
  expect(response.body).toMatchObject({
    status,
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
  });
  expect(response.body.detail.length).toBeGreaterThan(0);
}

describe('POST /v1/api-keys', () => {
  it('answers 201 with the record and the secret once, never cached, and stores two items with a TTL', async () => {
    const response = await create({
      name: 'Billing sync',
      scopes: ['messaging:read', 'colleagues:*'],
      expiresIn: 3 * 86_400,
      allowedIps: ['192.0.2.0/24', '2001:db8::/32'],
    });
    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
    const { key, ...record } = response.body;
    expect(parseApiKey(key, 'wsk-v1-')).toEqual({ ok: true, key });
    expect(Object.keys(record).sort()).toEqual(KEY_VIEW_FIELDS);
    expect(record).toMatchObject({
      name: 'Billing sync',
      keyPrefix: key.slice(0, 10),
      scopes: ['colleagues:*', 'messaging:read'],
      allowedIps: ['192.0.2.0/24', '2001:db8::/32'],
      createdBy: 'admin:root@acme.example',
      expired: false,
      lastUsedAt: null,
    });
    expect(Date.parse(record.expiresAt) - Date.parse(record.createdAt)).toBe(3 * 86_400_000);

    const items = await h.scan();
    const digest = createHash('sha256').update(key).digest('hex');
    const ttl = Math.floor(Date.parse(record.expiresAt) / 1000) + 30 * 86_400;
    const companyItem = items.find((item) => item.sk === `KEY#${record.id}`);
    const lookupItem = items.find((item) => item.pk === `DIGEST#${digest}`);
    expect(companyItem).toMatchObject({
      pk: 'COMPANY#acme',
      ttl,
      gsi1pk: `EXPIRES#${record.expiresAt.slice(0, 10)}`,
    });
    expect(lookupItem).toMatchObject({ sk: 'DIGEST', ttl, companyId: 'acme', keyId: record.id });
    expect(JSON.stringify(items)).not.toContain(key);
  });

  const valid = { name: 'valid', scopes: ['colleagues:read'] };
  const badRequests: Array<[string, unknown, string[]]> = [
    ['malformed JSON', '{"name": "x", "scopes": [', ['']],
    ['an empty body', '', ['']],
    ['a JSON array', [valid], ['']],
    ['an unknown field', { ...valid, scope: ['colleagues:read'] }, ['/scope']],
    ['a name of the wrong type', { ...valid, name: ['x'] }, ['/name']],
    ['scopes of the wrong type', { ...valid, scopes: { colleagues: 'read' } }, ['/scopes']],
    ['an empty name', { ...valid, name: ' \t ' }, ['/name']],
    ['an over-long name', { ...valid, name: 'é'.repeat(101) }, ['/name']],
    ['a name with a control character', { ...valid, name: 'line\nbreak' }, ['/name']],
    ['empty scopes', { ...valid, scopes: [] }, ['/scopes']],
    ['an unknown scope', { ...valid, scopes: ['colleagues:read', 'weather:read'] }, ['/scopes/1']],
    ['a malformed scope', { ...valid, scopes: ['colleagues'] }, ['/scopes/0']],
    ['an expiry under 1 hour', { ...valid, expiresIn: 60 }, ['/expiresIn']],
    [
      'an expiry over 1 year',
      { ...valid, expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() },
      ['/expiresAt'],
    ],
    ['*:* beyond 7 days', { ...valid, scopes: ['*:*'], expiresIn: 8 * 86_400 }, ['/expiresIn']],
    [
      'expiresAt and expiresIn together',
      { ...valid, expiresAt: new Date(Date.now() + 7_200_000).toISOString(), expiresIn: 7200 },
      ['/expiresAt', '/expiresIn'],
    ],
    ['an invalid CIDR', { ...valid, allowedIps: ['300.0.0.0/8'] }, ['/allowedIps/0']],
    [
      'more than 50 allowedIps',
      { ...valid, allowedIps: Array.from({ length: 51 }, (_, i) => `198.51.100.${i}/32`) },
      ['/allowedIps'],
    ],
  ];

  it.each(badRequests)(
    'answers 400 problem JSON for %s, naming the fields, and changes nothing',
    async (_what, body, pointers) => {
      const before = await h.scan();
      const response = await create(body);
      expectProblem(response, 400);
      expect(response.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual(pointers);
      expect(await h.scan()).toEqual(before);
    },
  );

  it('answers 413 for a body over 16 KiB and 415 for a body that is not JSON, changing nothing', async () => {
    const before = await h.scan();
    const padding = 'a'.repeat(16 * 1024 + 1 - JSON.stringify({ ...valid, name: '' }).length);
    const big = JSON.stringify({ ...valid, name: padding });
    expect(Buffer.byteLength(big)).toBe(16 * 1024 + 1);
    expectProblem(await create(big), 413);
    const form = await h.call({
      method: 'POST',
      path: '/v1/api-keys',
      caller: admin(),
      body: 'name=x&scopes=colleagues:read',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(form, 415);
    expect(await h.scan()).toEqual(before);
  });

  it('lets a key grant only scopes it holds itself (403 naming each other scope), changing nothing but recording the refusals', async () => {
    const caller = keyCaller(['apikeys:*', 'messaging:read', 'colleagues:read']);
    const allowed = await create(
      { name: 'narrower', scopes: ['messaging:ListChannels', 'colleagues:read'] },
      caller,
    );
    expect(allowed.status).toBe(201);
    expect(allowed.body.createdBy).toBe(`key:${caller.kind === 'key' ? caller.keyId : ''}`);

    const before = await h.scanRefused();
    const denied = await create(
      { name: 'wider', scopes: ['colleagues:read', 'colleagues:*', 'pbx:read'] },
      caller,
    );
    expectProblem(denied, 403);
    expect(denied.body.detail).toContain('colleagues:*');
    expect(denied.body.detail).toContain('pbx:read');
    expect(denied.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual([
      '/scopes/1',
      '/scopes/2',
    ]);
    expectProblem(await create(valid, keyCaller(['apikeys:read', 'colleagues:*'])), 403);
    const after = await h.scanRefused();
    expect(after.unchanged).toEqual(before.unchanged);
    expect(after.refusals.length - before.refusals.length).toBe(2);
    const creations = (refusals: unknown[][]) =>
      refusals.filter(([, operation]) => operation === 'CreateApiKey').length;
    expect(creations(after.refusals) - creations(before.refusals)).toBe(
      after.refusals.length - before.refusals.length,
    );
  });

  it('fails closed with a 500 problem when the gateway passed no caller, and logs the fault', async () => {
    const before = await h.scan();
    const response = await h.call({ method: 'POST', path: '/v1/api-keys', caller: null, body: valid });
    expectProblem(response, 500);
    expect(Object.keys(response.body).sort()).toEqual(PROBLEM_FIELDS);
    expect(await h.scan()).toEqual(before);
    expect(h.logged.some((line) => line.includes('MissingCallerError'))).toBe(true);
  });
});

describe('GET, PATCH, DELETE /v1/api-keys/{id}', () => {
  it('reads a key right after creating it, renames it, and after DELETE it is gone at once (both items)', async () => {
    const created = await create({ name: 'temp', scopes: ['colleagues:read'] });
    const { key, ...record } = created.body;
    const listed = await h.call({ method: 'GET', path: '/v1/api-keys', caller: admin() });
    expect(listed.body.items[0]).toEqual(record);

    const got = await h.call({ method: 'GET', path: `/v1/api-keys/${record.id}`, caller: admin() });
    expect(got.status).toBe(200);
    expect(got.headers['Cache-Control']).toBe('no-store');
    expect(got.body).toEqual(record);

    const renamed = await h.call({
      method: 'PATCH',
      path: `/v1/api-keys/${record.id}`,
      caller: admin(),
      body: { name: 'permanent 🔑' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...record, name: 'permanent 🔑' });
    const digest = createHash('sha256').update(key).digest('hex');
    const lookup = (await h.scan()).find((item) => item.pk === `DIGEST#${digest}`);
    expect(lookup?.name).toBe('permanent 🔑');

    const deleted = await h.call({ method: 'DELETE', path: `/v1/api-keys/${record.id}`, caller: admin() });
    expect(deleted.status).toBe(204);
    expect(deleted.raw).toBe('');
    const after = await h.call({
      method: 'GET',
      path: '/v1/api-keys',
      caller: admin(),
      query: { limit: '100' },
    });
    expect(after.body.items.map((item: { id: string }) => item.id)).not.toContain(record.id);
    expectProblem(await h.call({ method: 'GET', path: `/v1/api-keys/${record.id}`, caller: admin() }), 404);
    const items = await h.scan();
    expect(items.filter((item) => item.pk === `DIGEST#${digest}` || item.sk === `KEY#${record.id}`)).toEqual(
      [],
    );
  });

  it("answers 404 for another company's key on every verb, exactly as for an unknown id, changing nothing", async () => {
    const theirs = (await create({ name: 'globex key', scopes: ['colleagues:read'] }, admin('globex'))).body;
    const before = await h.scan();
    const unknownId = newKeyId(new Date());
    const answers = [];
    for (const id of [theirs.id, unknownId, 'not-a-key-id', theirs.id.toUpperCase()]) {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'mine' }], ['DELETE']] as const) {
        const response = await h.call({ method, path: `/v1/api-keys/${id}`, caller: admin(), body });
        expectProblem(response, 404);
        const { requestId: _requestId, ...problem } = response.body;
        answers.push(JSON.stringify(problem));
      }
    }
    expect(new Set(answers).size).toBe(1);
    const list = await h.call({
      method: 'GET',
      path: '/v1/api-keys',
      caller: admin(),
      query: { limit: '100' },
    });
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(theirs.id);
    expect(await h.scan()).toEqual(before);
  });

  it('rename accepts only {name}: other fields get a 400 saying scopes and expiry cannot change', async () => {
    const { id } = (await create()).body;
    const before = await h.scan();
    for (const body of [
      { name: 'x', scopes: ['*:*'] },
      { expiresIn: 7200 },
      { name: 'x', expiresAt: '2030-01-01T00:00:00Z' },
      { allowedIps: [] },
    ]) {
      const response = await h.call({ method: 'PATCH', path: `/v1/api-keys/${id}`, caller: admin(), body });
      expectProblem(response, 400);
      expect(response.body.detail).toMatch(/scopes, expiry .*cannot change.*create a new key/i);
      expect(response.body.errors.length).toBeGreaterThan(0);
    }
    for (const body of [{ name: '' }, {}, '{bad json']) {
      const response = await h.call({ method: 'PATCH', path: `/v1/api-keys/${id}`, caller: admin(), body });
      expectProblem(response, 400);
      expect(response.body.errors.length).toBeGreaterThan(0);
    }
    expect(await h.scan()).toEqual(before);
  });

  it('lets apikeys:read keys read, and only keys covering the write routes rename and delete', async () => {
    const { id } = (await create()).body;
    // Each also covers the key's colleagues:read: the delegation rule hides keys a caller does not cover.
    const reader = keyCaller(['apikeys:read', 'colleagues:read']);
    expect((await h.call({ method: 'GET', path: `/v1/api-keys/${id}`, caller: reader })).status).toBe(200);
    expect((await h.call({ method: 'GET', path: '/v1/api-keys', caller: reader })).status).toBe(200);
    const before = await h.scanRefused();
    expectProblem(
      await h.call({ method: 'PATCH', path: `/v1/api-keys/${id}`, caller: reader, body: { name: 'x' } }),
      403,
    );
    expectProblem(await h.call({ method: 'DELETE', path: `/v1/api-keys/${id}`, caller: reader }), 403);
    expectProblem(
      await h.call({ method: 'GET', path: '/v1/api-keys', caller: keyCaller(['colleagues:*']) }),
      403,
    );
    // The two refused writes are recorded, about the key they named; the refused read is not (read
    // functions stay read-only).
    const after = await h.scanRefused();
    expect(after.unchanged).toEqual(before.unchanged);
    expect(after.refusals.length - before.refusals.length).toBe(2);
    expect(after.refusals).toEqual(
      expect.arrayContaining([
        ['access.denied', 'UpdateApiKey', id],
        ['access.denied', 'DeleteApiKey', id],
      ]),
    );
    const writer = keyCaller(['apikeys:*', 'colleagues:*']);
    expect((await h.call({ method: 'DELETE', path: `/v1/api-keys/${id}`, caller: writer })).status).toBe(204);
  });
});

describe('GET /v1/api-keys and GET /v1/scopes', () => {
  it('shows lastUsedAt and marks keys expired from expiresAt, without the secret or its digest', async () => {
    const store = new DynamoKeyStore(createDocumentClient({ endpoint: h.table.endpoint }), h.table.tableName);
    const used = (await create({ name: 'used', scopes: ['colleagues:read'] }, admin('lastused'))).body;
    const digest = createHash('sha256').update(used.key).digest('hex');
    const when = new Date(Date.now() - 5_000);
    await store.touchLastUsed(digest, when, 60);
    const past = new Date(Date.now() - 60_000);
    const expiredId = newKeyId(new Date());
    await store.create(
      {
        id: expiredId,
        companyId: 'lastused',
        name: 'expired',
        keyPrefix: 'wsk-v1-Old',
        scopes: ['colleagues:read'],
        allowedIps: [],
        createdAt: new Date(past.getTime() - 3_600_000).toISOString(),
        createdBy: 'admin:root@lastused.example',
        expiresAt: past.toISOString(),
        lastUsedAt: null,
        enabled: true,
        rotatedFrom: null,
        rotatedTo: null,
      },
      createHash('sha256').update(expiredId).digest('hex'),
      Math.floor(past.getTime() / 1000) + 30 * 86_400,
    );
    const page = await h.call({ method: 'GET', path: '/v1/api-keys', caller: admin('lastused') });
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    expect(
      page.body.items.map((item: { name: string; expired: boolean; lastUsedAt: string | null }) => [
        item.name,
        item.expired,
        item.lastUsedAt,
      ]),
    ).toEqual([
      ['expired', true, null],
      ['used', false, when.toISOString()],
    ]);
    expect(page.raw).not.toContain(used.key);
    expect(page.raw).not.toContain(digest);
    expect(page.raw).not.toContain('companyId');
  });

  it('answers 400 for a bad limit or cursor', async () => {
    const queries: Array<Record<string, string | string[]>> = [
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { cursor: 'bm90IGEgY3Vyc29y' },
      { limit: ['5', '6'] },
    ];
    for (const query of queries) {
      const response = await h.call({ method: 'GET', path: '/v1/api-keys', caller: admin(), query });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([{ parameter: expect.any(String), detail: expect.any(String) }]);
    }
  });

  it('serves the scope catalog to any caller', async () => {
    const response = await h.call({
      method: 'GET',
      path: '/v1/scopes',
      caller: keyCaller(['colleagues:read']),
    });
    expect(response.status).toBe(200);
    expect(response.body.scopes.map((scope: { scope: string }) => scope.scope)).toEqual(
      expect.arrayContaining(['*:*', 'apikeys:read', 'messaging:ListChannels', 'pbx:read', 'colleagues:*']),
    );
  });
});

describe('secrets', () => {
  // Runs last in this file (vitest keeps declaration order): every secret made above is checked.
  it('never appear in anything the handlers logged', () => {
    expect(secrets.length).toBeGreaterThan(5);
    expect(h.logged.length).toBeGreaterThan(0);
    const output = h.logged.join('');
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice(7));
    }
  });
});
