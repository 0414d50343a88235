import { beforeAll, describe, expect, it } from 'vitest';
import { call, type JsonAnswer } from '../support/local-gateway.js';
import { useLoggedGateway } from '../support/logged-gateway.js';

/**
 * End to end over HTTP (the local gateway `npm start` serves, the real authorizer and handlers,
 * DynamoDB Local): the three escalations of issue 8 refused, and a managing key still doing
 * everything it legitimately may. The managing key is limited to 127.0.0.1, so `gateway.url`
 * (IPv4 loopback) is "from inside its allow-list" and `gateway.urlV6` (::1) is outside.
 */

const CHANNELS = '/v2/conversations/channels/';
const COLLEAGUES = '/api/v1/pbx/colleagues/';
const HOUR_S = 3600;

const e2e = useLoggedGateway();
const { api, createKey, secrets, logged } = e2e;
let admin: string;

beforeAll(async () => {
  admin = await e2e.gateway.adminToken('company-d', 'dora@d.example');
});

function expectProblem(answer: JsonAnswer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

const pointers = (answer: JsonAnswer) =>
  answer.body.errors.map((problem: { pointer: string }) => problem.pointer);

/** The managing key: apikeys:* and messaging:read, limited to 127.0.0.1, 2 hours. */
const managingKey = () =>
  createKey(admin, {
    name: 'integration',
    scopes: ['apikeys:*', 'messaging:read'],
    expiresIn: 2 * HOUR_S,
    allowedIps: ['127.0.0.1'],
  });

const allKeyIds = async () =>
  (await api('GET', '/v1/api-keys?limit=100', { auth: admin })).body.items.map(
    (item: { id: string }) => item.id,
  );

describe('escalation 1: a child that outlives its parent or drops its allow-list', () => {
  it('is refused with 403 naming each limit, and nothing is created', async () => {
    const parent = await managingKey();
    // outside its allow-list the parent gets nothing (as before)
    expectProblem(await call(e2e.gateway.urlV6, 'GET', CHANNELS, { auth: parent.key }), 403);
    const before = await allKeyIds();
    const refused = await api('POST', '/v1/api-keys', {
      auth: parent.key,
      body: {
        name: 'escape',
        scopes: ['apikeys:*', 'messaging:read'],
        expiresIn: 365 * 86_400,
        allowedIps: [],
      },
    });
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/^This key may not create a key beyond its own limits: /);
    expect(refused.body.detail).toContain(`outlive the calling key, which expires at ${parent.expiresAt}`);
    expect(refused.body.detail).toContain('allow-list');
    expect(pointers(refused)).toEqual(['/expiresIn', '/allowedIps']);
    // a wider allow-list than the parent's is refused too, entry by entry
    const wider = await api('POST', '/v1/api-keys', {
      auth: parent.key,
      body: { name: 'wider', scopes: ['messaging:read'], allowedIps: ['127.0.0.1', '::1'] },
    });
    expectProblem(wider, 403);
    expect(pointers(wider)).toEqual(['/allowedIps/1']);
    expect(await allKeyIds()).toEqual(before);
  });

  it('with nothing given, the child inherits the allow-list and gets the parent expiry (shown in the 201)', async () => {
    const parent = await managingKey();
    const child = await createKey(parent.key, { name: 'child', scopes: ['messaging:read'] });
    expect(child.allowedIps).toEqual(['127.0.0.1/32']);
    expect(child.expiresAt).toBe(parent.expiresAt);
    expect((await api('GET', CHANNELS, { auth: child.key })).status).toBe(200);
    expectProblem(await call(e2e.gateway.urlV6, 'GET', CHANNELS, { auth: child.key }), 403);
  });
});

describe('escalation 1b: rotating a key usable beyond the allow-list', () => {
  it('is refused with 403 and recorded, since the new secret would go to the managing key; the key is unchanged', async () => {
    const parent = await managingKey();
    const anywhere = await createKey(admin, { name: 'anywhere', scopes: ['messaging:read'] });
    const refused = await api('POST', `/v1/api-keys/${anywhere.id}/rotate`, { auth: parent.key, body: {} });
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/^This key may not rotate that key: .*every address/);
    expect(refused.body).not.toHaveProperty('key');
    const stored = await api('GET', `/v1/api-keys/${anywhere.id}`, { auth: admin });
    expect(stored.body).toMatchObject({ rotatedTo: null, expiresAt: anywhere.expiresAt });
    expect((await call(e2e.gateway.urlV6, 'GET', CHANNELS, { auth: anywhere.key })).status).toBe(200);
    const denied = await api('GET', `/v1/audit-events?action=access.denied&keyId=${anywhere.id}`, {
      auth: admin,
    });
    expect(denied.body.items).toHaveLength(1);
    expect(denied.body.items[0]).toMatchObject({
      actor: { type: 'key', keyId: parent.id },
      target: { keyId: anywhere.id },
    });
    // A key inside its allow-list it rotates, and the successor keeps that list.
    const inside = await createKey(admin, {
      name: 'inside',
      scopes: ['messaging:read'],
      allowedIps: ['127.0.0.1'],
    });
    const rotated = await api('POST', `/v1/api-keys/${inside.id}/rotate`, { auth: parent.key, body: {} });
    expect(rotated.status).toBe(201);
    expect(rotated.body.allowedIps).toEqual(['127.0.0.1/32']);
    secrets.add(rotated.body.key);
  });
});

describe('escalation 2: renaming and deleting keys the managing key does not cover', () => {
  it('answers 404, exactly as for an unknown key, and the keys stay as they were', async () => {
    const parent = await managingKey();
    const global = await createKey(admin, { name: 'root automation', scopes: ['*:*'], expiresIn: 86_400 });
    const pbx = await createKey(admin, { name: 'pbx integration', scopes: ['pbx:*'] });
    const unknown = await api('GET', '/v1/api-keys/0190a0b0-0000-7000-8000-00000000ffff', {
      auth: parent.key,
    });
    expectProblem(unknown, 404);

    const renamed = await api('PATCH', `/v1/api-keys/${global.id}`, {
      auth: parent.key,
      body: { name: 'innocent' },
    });
    expectProblem(renamed, 404);
    expect(renamed.body.detail).toBe(unknown.body.detail);
    const deleted = await api('DELETE', `/v1/api-keys/${pbx.id}`, { auth: parent.key });
    expectProblem(deleted, 404);
    expect(deleted.body.detail).toBe(unknown.body.detail);
    expectProblem(await api('GET', `/v1/api-keys/${pbx.id}`, { auth: parent.key }), 404);

    expect((await api('GET', `/v1/api-keys/${global.id}`, { auth: admin })).body.name).toBe(
      'root automation',
    );
    expect((await api('GET', COLLEAGUES, { auth: pbx.key })).status).toBe(200);
  });

  it('still lets the managing key create, rename and delete keys it covers', async () => {
    const parent = await managingKey();
    const child = await createKey(parent.key, { name: 'covered', scopes: ['messaging:ListChannels'] });
    const renamed = await api('PATCH', `/v1/api-keys/${child.id}`, {
      auth: parent.key,
      body: { name: 'renamed' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('renamed');
    expect((await api('GET', `/v1/api-keys/${child.id}`, { auth: parent.key })).body.name).toBe('renamed');
    expect((await api('DELETE', `/v1/api-keys/${child.id}`, { auth: parent.key })).status).toBe(204);
    expect((await api('GET', CHANNELS, { auth: child.key })).status).toBe(401);
  });
});

describe('escalation 3: apikeys:read listing every key and its allow-list', () => {
  it('lists only the keys the reader covers; the others and their allow-lists never appear', async () => {
    const hidden = await createKey(admin, {
      name: 'admin global key',
      scopes: ['*:*'],
      expiresIn: 86_400,
      allowedIps: ['203.0.113.99'],
    });
    const visible = await createKey(admin, {
      name: 'channel reader',
      scopes: ['messaging:read'],
      allowedIps: ['10.9.8.7'],
    });
    const { key: reader } = await createKey(admin, {
      name: 'auditor',
      scopes: ['apikeys:read', 'messaging:read'],
    });
    const listed = await api('GET', '/v1/api-keys?limit=100', { auth: reader });
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(visible.id);
    expect(ids).not.toContain(hidden.id);
    const body = JSON.stringify(listed.body);
    expect(body).not.toContain('203.0.113.99');
    expect(body).not.toContain('admin global key');
    expect(body).not.toContain('*:*');
    expect(body).toContain('10.9.8.7/32');
    expectProblem(await api('GET', `/v1/api-keys/${hidden.id}`, { auth: reader }), 404);
    // every key it lists is one its scopes cover
    for (const item of listed.body.items as Array<{ scopes: string[] }>) {
      expect(
        item.scopes.every((scope) =>
          ['messaging:read', 'messaging:ListChannels', 'apikeys:read'].includes(scope),
        ),
      ).toBe(true);
    }
    // root admins still see everything
    expect(await allKeyIds()).toContain(hidden.id);
  });
});

describe('secrets', () => {
  it('sent where a path segment or an id belongs, are refused and redacted from what is logged', async () => {
    const misused = await createKey(admin, { name: 'misused', scopes: ['messaging:read'] });
    const inPath = await api('GET', `/v2/${misused.key}/`, { auth: misused.key });
    expectProblem(inPath, 403);
    expect(inPath.body.detail).toBe('route GET /v2/wsk-v1-[redacted]/ is not in the catalog');
    expectProblem(await api('GET', `/v1/api-keys/${misused.key}`, { auth: admin }), 404);
    expect(logged.join('')).toContain('GET /v1/api-keys/wsk-v1-[redacted] → 404');
  });

  it('never appear in anything logged', () => {
    expect(secrets.size).toBeGreaterThan(5);
    const everything = logged.join('');
    for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
  });
});
