import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import { digestApiKey, displayPrefix, generateApiKey } from '../../shared/domain/keys/key-format.js';
import { newKeyId } from '../../shared/domain/keys/key-id.js';
import { KEY_VIEW_FIELDS } from '../support/key-view-fields.js';
import { call } from '../support/local-gateway.js';
import { useLoggedGateway } from '../support/logged-gateway.js';

/**
 * End to end over HTTP: the local gateway, the real authorizer and management handlers, DynamoDB
 * Local. Every status code of issue 2 on the request path, revocation, tenant isolation, the
 * privilege rule, IP allow-lists over IPv4 and IPv6, lastUsedAt, and no secret in any log line.
 */

const CHANNELS = '/v2/conversations/channels/';
const PREFIX = 'wsk-v1-';

const e2e = useLoggedGateway();
const { api, createKey, secrets, logged } = e2e;
let adminA: string;
let adminB: string;

beforeAll(async () => {
  adminA = await e2e.gateway.adminToken('company-a', 'alice@a.example');
  adminB = await e2e.gateway.adminToken('company-b', 'bob@b.example');
});

const expectProblem = (
  answer: { status: number; headers: Headers; body: Record<string, unknown> },
  status: number,
) => {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  expect(typeof answer.body.detail).toBe('string');
};

describe('a key from creation to revocation (201, 200, 204, then 401)', () => {
  it('creates a key, shows its secret once, lets it call a protected route, renames, lists and deletes it', async () => {
    const created = await api('POST', '/v1/api-keys', {
      auth: adminA,
      body: { name: 'Billing sync', scopes: ['messaging:read'], expiresIn: 86_400 },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const key: string = created.body.key;
    secrets.add(key);
    expect(key).toMatch(/^wsk-v1-[A-Za-z0-9]{93}$/);
    expect(Object.keys(created.body).sort()).toEqual([...KEY_VIEW_FIELDS, 'key'].sort());
    expect(created.body).toMatchObject({
      name: 'Billing sync',
      keyPrefix: key.slice(0, PREFIX.length + 3),
      scopes: ['messaging:read'],
      allowedIps: [],
      createdBy: 'admin:alice@a.example',
      expired: false,
      lastUsedAt: null,
    });
    const id: string = created.body.id;

    const echo = await api('GET', CHANNELS, { auth: key });
    expect(echo.status).toBe(200);
    expect(echo.body).toEqual({
      route: 'GET /v2/conversations/channels/',
      companyId: 'company-a',
      keyId: id,
      scopes: ['messaging:read'],
    });
    // X-API-Key works too, and the Bearer scheme is case-insensitive.
    expect((await api('GET', CHANNELS, { headers: { 'X-API-Key': key } })).status).toBe(200);
    expect((await api('GET', CHANNELS, { headers: { Authorization: `bearer ${key}` } })).status).toBe(200);

    const fetched = await api('GET', `/v1/api-keys/${id}`, { auth: adminA });
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty('key');
    expect(JSON.stringify(fetched.body)).not.toContain(key);

    const renamed = await api('PATCH', `/v1/api-keys/${id}`, {
      auth: adminA,
      body: { name: 'Billing sync v2' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'Billing sync v2', scopes: ['messaging:read'] });

    const listed = await api('GET', '/v1/api-keys', { auth: adminA });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({
      name: 'Billing sync v2',
    });
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const deleted = await fetch(`${e2e.gateway.url}/v1/api-keys/${id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${adminA}` },
    });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');

    // Revoked at once: the very next request with the key is refused.
    expectProblem(await api('GET', CHANNELS, { auth: key }), 401);
    expectProblem(await api('GET', `/v1/api-keys/${id}`, { auth: adminA }), 404);
  });

  it('serves the scope catalog to any key, whatever its scopes', async () => {
    const { key } = await createKey(adminA, { scopes: ['company:GetCompanyInfo'] });
    const scopes = await api('GET', '/v1/scopes', { auth: key });
    expect(scopes.status).toBe(200);
    expect(JSON.stringify(scopes.body)).toContain('messaging');
  });

  it('sets lastUsedAt on first use (null before)', async () => {
    const { id, key } = await createKey(adminA, { scopes: ['messaging:ListChannels'] });
    expect((await api('GET', `/v1/api-keys/${id}`, { auth: adminA })).body.lastUsedAt).toBeNull();
    const before = Date.now();
    expect((await api('GET', CHANNELS, { auth: key })).status).toBe(200);
    const { lastUsedAt } = (await api('GET', `/v1/api-keys/${id}`, { auth: adminA })).body;
    expect(Date.parse(lastUsedAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(lastUsedAt)).toBeLessThanOrEqual(Date.now());
  });
});

describe('401: missing, malformed, bad checksum, unknown, expired credentials', () => {
  it('refuses a request without credentials, on protected, management and unknown routes alike', async () => {
    for (const [method, path] of [
      ['GET', CHANNELS],
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys'],
      ['GET', '/v9/not-a-route'],
    ] as const) {
      const answer = await api(method, path);
      expectProblem(answer, 401);
      expect(answer.body.requestId).toBe(answer.headers.get('x-amzn-requestid'));
    }
  });

  it('refuses a malformed key, a key with a bad checksum, an unknown key and two different credentials', async () => {
    const { key } = await createKey(adminA, { scopes: ['messaging:read'] });
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    const badChecksum = `${key.slice(0, -1)}${last}`;
    const unknown = generateApiKey(PREFIX);
    secrets.add(unknown);
    for (const credential of [
      'abc',
      `${PREFIX}short`,
      key.replace(PREFIX, 'xyz-v1-'),
      badChecksum,
      unknown,
    ]) {
      expectProblem(await api('GET', CHANNELS, { auth: credential }), 401);
    }
    expectProblem(await api('GET', CHANNELS, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), 401);
    expectProblem(await api('GET', CHANNELS, { auth: key, headers: { 'X-API-Key': unknown } }), 401);
  });

  it('refuses an expired key (now >= expiresAt) while it is still stored and listed as expired', async () => {
    // Written straight to the table: the API never creates a key that is already expired.
    const store = new DynamoKeyStore(e2e.table.doc, e2e.table.tableName);
    const key = generateApiKey(PREFIX);
    secrets.add(key);
    const now = new Date();
    const expiresAt = new Date(now.getTime() - 1_000);
    const id = newKeyId(now);
    await store.create(
      {
        id,
        companyId: 'company-a',
        name: 'expired one',
        keyPrefix: displayPrefix(key, PREFIX),
        scopes: ['messaging:read'],
        allowedIps: [],
        createdAt: new Date(now.getTime() - 3_601_000).toISOString(),
        createdBy: 'admin:alice@a.example',
        expiresAt: expiresAt.toISOString(),
        lastUsedAt: null,
        enabled: true,
        rotatedFrom: null,
        rotatedTo: null,
      },
      digestApiKey(key),
      Math.floor(expiresAt.getTime() / 1000) + 30 * 86_400,
    );
    expectProblem(await api('GET', CHANNELS, { auth: key }), 401);
    expect((await api('GET', `/v1/api-keys/${id}`, { auth: adminA })).body).toMatchObject({
      id,
      expired: true,
    });
  });

  it('refuses a root-admin token that is not from the issuer', async () => {
    const [header, payload] = adminA.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    expectProblem(await api('GET', '/v1/api-keys', { auth: forged }), 401);
  });
});

describe('403: valid credentials, but not for this', () => {
  it('refuses a key whose scopes do not cover the route, naming the scopes that would', async () => {
    const { key } = await createKey(adminA, { scopes: ['users:GetUserInfo'] });
    const answer = await api('GET', CHANNELS, { auth: key });
    expectProblem(answer, 403);
    expect(answer.body.detail).toContain('messaging:read');
    expect((await api('GET', '/v2/users/me/', { auth: key })).status).toBe(200);
  });

  it('refuses a route outside the catalog with a valid key', async () => {
    const { key } = await createKey(adminA, { scopes: ['messaging:read'] });
    const answer = await api('GET', '/v9/not/in/the/catalog', { auth: key });
    expectProblem(answer, 403);
    expect(answer.body.detail).toContain('not in the catalog');
    expectProblem(await api('DELETE', CHANNELS, { auth: key }), 403);
  });

  it('refuses routes not open to keys: root-admin-only settings for a key, protected routes for an admin token', async () => {
    const { key } = await createKey(adminA, { scopes: ['apikeys:*'] });
    const settings = await api('GET', '/v1/settings/notifications', { auth: key });
    expectProblem(settings, 403);
    expect(settings.body.detail).toContain('not open to API keys');
    expectProblem(await api('GET', CHANNELS, { auth: adminA }), 403);
  });

  it('enforces an IPv4 allow-list against the TCP peer', async () => {
    const { key } = await createKey(adminA, { scopes: ['messaging:read'], allowedIps: ['127.0.0.1/32'] });
    expect((await call(e2e.gateway.url, 'GET', CHANNELS, { auth: key })).status).toBe(200);
    // X-Forwarded-For is the client's to write: it changes nothing.
    const viaV6 = await call(e2e.gateway.urlV6, 'GET', CHANNELS, {
      auth: key,
      headers: { 'X-Forwarded-For': '127.0.0.1' },
    });
    expectProblem(viaV6, 403);
    expect(viaV6.body.detail).toContain('source IP not allowed');
  });

  it('enforces an IPv6 allow-list against the TCP peer', async () => {
    const { key } = await createKey(adminA, { scopes: ['messaging:read'], allowedIps: ['::1/128'] });
    expect((await call(e2e.gateway.urlV6, 'GET', CHANNELS, { auth: key })).status).toBe(200);
    expectProblem(await call(e2e.gateway.url, 'GET', CHANNELS, { auth: key }), 403);
  });

  it('refuses every caller outside a 10.0.0.0/8 allow-list', async () => {
    const { key } = await createKey(adminA, { scopes: ['messaging:read'], allowedIps: ['10.0.0.0/8'] });
    expectProblem(await call(e2e.gateway.url, 'GET', CHANNELS, { auth: key }), 403);
    expectProblem(await call(e2e.gateway.urlV6, 'GET', CHANNELS, { auth: key }), 403);
  });
});

describe('management with keys', () => {
  it('lets an apikeys:read key list and get, but not create or delete', async () => {
    const target = await createKey(adminA, { scopes: ['messaging:read'] });
    // It also holds messaging:read: a key sees only the keys its scopes cover (delegation rule).
    const { key: reader } = await createKey(adminA, { scopes: ['apikeys:read', 'messaging:read'] });
    expect((await api('GET', '/v1/api-keys', { auth: reader })).status).toBe(200);
    expect((await api('GET', `/v1/api-keys/${target.id}`, { auth: reader })).status).toBe(200);
    expectProblem(
      await api('POST', '/v1/api-keys', { auth: reader, body: { name: 'x', scopes: ['messaging:read'] } }),
      403,
    );
    expectProblem(await api('DELETE', `/v1/api-keys/${target.id}`, { auth: reader }), 403);
    expect((await api('GET', CHANNELS, { auth: target.key })).status).toBe(200);
  });

  it('lets a key grant only scopes it holds: users:* is refused by name, messaging:ListChannels is granted', async () => {
    const { key: manager, id: managerId } = await createKey(adminA, {
      scopes: ['apikeys:*', 'messaging:read'],
    });
    const before = (await api('GET', '/v1/api-keys?limit=100', { auth: adminA })).body.items.length;
    const refused = await api('POST', '/v1/api-keys', {
      auth: manager,
      body: { name: 'escalation', scopes: ['messaging:read', 'users:*'] },
    });
    expectProblem(refused, 403);
    expect(refused.body.detail).toContain('users:*');
    expect((await api('GET', '/v1/api-keys?limit=100', { auth: adminA })).body.items.length).toBe(before);

    const granted = await createKey(manager, { scopes: ['messaging:ListChannels'] });
    expect(granted.createdBy).toBe(`key:${managerId}`);
    expect((await api('GET', CHANNELS, { auth: granted.key })).body.companyId).toBe('company-a');
  });
});

describe('tenant isolation', () => {
  it("answers 404 to company B for company A's key, on every verb, and never lists it", async () => {
    const keyOfA = await createKey(adminA, { scopes: ['messaging:read'] });
    const { key: managerOfB } = await createKey(adminB, { scopes: ['apikeys:*'] });
    for (const token of [adminB, managerOfB]) {
      expectProblem(await api('GET', `/v1/api-keys/${keyOfA.id}`, { auth: token }), 404);
      expectProblem(
        await api('PATCH', `/v1/api-keys/${keyOfA.id}`, { auth: token, body: { name: 'mine' } }),
        404,
      );
      expectProblem(await api('DELETE', `/v1/api-keys/${keyOfA.id}`, { auth: token }), 404);
      const listed = await api('GET', '/v1/api-keys?limit=100', { auth: token });
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(keyOfA.id);
    }
    // Untouched: still A's, still named as created, still working.
    expect((await api('GET', `/v1/api-keys/${keyOfA.id}`, { auth: adminA })).body.name).toBe('test key');
    expect((await api('GET', CHANNELS, { auth: keyOfA.key })).body.companyId).toBe('company-a');
  });
});

describe('logs', () => {
  it('never carry a secret, though the handlers logged every decision', () => {
    expect(logged.join('')).toContain('authorization decision');
    expect(secrets.size).toBeGreaterThan(5);
    const everything = logged.join('');
    for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
    expect(everything.includes(adminA)).toBe(false);
  });
});

describe('rotation, disabling and enabling over HTTP (issue 11)', () => {
  it('rotates with a 1-hour grace: both keys work, the old one listed with its new expiry', async () => {
    const old = await createKey(adminA, { scopes: ['messaging:read'], expiresIn: 7 * 86_400 });
    const rotated = await api('POST', `/v1/api-keys/${old.id}/rotate`, {
      auth: adminA,
      body: { gracePeriodSeconds: 3600 },
    });
    expect(rotated.status).toBe(201);
    secrets.add(rotated.body.key);
    expect(Object.keys(rotated.body).sort()).toEqual([...KEY_VIEW_FIELDS, 'key'].sort());
    expect(rotated.body).toMatchObject({ rotatedFrom: old.id, rotatedTo: null, enabled: true });
    const lifetime = Date.parse(rotated.body.expiresAt) - Date.parse(rotated.body.createdAt);
    expect(lifetime).toBe(Date.parse(old.expiresAt as string) - Date.parse(old.createdAt as string));
    expect((await api('GET', CHANNELS, { auth: old.key })).status).toBe(200);
    expect((await api('GET', CHANNELS, { auth: rotated.body.key })).status).toBe(200);
    const listed = await api('GET', '/v1/api-keys', { auth: adminA });
    const oldListed = listed.body.items.find((item: { id: string }) => item.id === old.id);
    expect(oldListed).toMatchObject({ rotatedTo: rotated.body.id, expired: false });
    const graceLeft = Date.parse(oldListed.expiresAt) - Date.parse(rotated.body.createdAt);
    expect(graceLeft).toBe(3_600_000);
    const again = await api('POST', `/v1/api-keys/${old.id}/rotate`, { auth: adminA, body: {} });
    expectProblem(again, 409);
  });

  it('rotates with 0: the old key gets 401 at once, the new one works', async () => {
    const old = await createKey(adminA, { scopes: ['messaging:read'] });
    const rotated = await api('POST', `/v1/api-keys/${old.id}/rotate`, {
      auth: adminA,
      body: { gracePeriodSeconds: 0 },
    });
    expect(rotated.status).toBe(201);
    secrets.add(rotated.body.key);
    expectProblem(await api('GET', CHANNELS, { auth: old.key }), 401);
    expect((await api('GET', CHANNELS, { auth: rotated.body.key })).status).toBe(200);
    expectProblem(
      await api('POST', `/v1/api-keys/${old.id}/rotate`, {
        auth: adminA,
        body: { gracePeriodSeconds: 604_801 },
      }),
      400,
    );
  });

  it('lets a key rotate itself; a key that does not cover another gets 404', async () => {
    const self = await createKey(adminA, { scopes: ['apikeys:RotateApiKey', 'messaging:read'] });
    const rotated = await api('POST', `/v1/api-keys/${self.id}/rotate`, { auth: self.key, body: {} });
    expect(rotated.status).toBe(201);
    secrets.add(rotated.body.key);
    expect(rotated.body).toMatchObject({ rotatedFrom: self.id, createdBy: `key:${self.id}` });
    // The successor holds the same scopes, so it may rotate itself in turn.
    const next = await api('POST', `/v1/api-keys/${rotated.body.id}/rotate`, {
      auth: rotated.body.key,
      body: { gracePeriodSeconds: 60 },
    });
    expect(next.status).toBe(201);
    secrets.add(next.body.key);
    const wider = await createKey(adminA, { scopes: ['messaging:*'] });
    expectProblem(
      await api('POST', `/v1/api-keys/${wider.id}/rotate`, { auth: next.body.key, body: {} }),
      404,
    );
    // Another company's admin does not see it either.
    expectProblem(await api('POST', `/v1/api-keys/${self.id}/disable`, { auth: adminB }), 404);
  });

  it('disable → 401 on the very next request → enable → 200, the expiry unchanged', async () => {
    const key = await createKey(adminA, { scopes: ['messaging:read'] });
    expect((await api('GET', CHANNELS, { auth: key.key })).status).toBe(200);
    const disabled = await api('POST', `/v1/api-keys/${key.id}/disable`, { auth: adminA });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: key.id, enabled: false, expiresAt: key.expiresAt });
    expectProblem(await api('GET', CHANNELS, { auth: key.key }), 401);
    const twice = await api('POST', `/v1/api-keys/${key.id}/disable`, { auth: adminA });
    expect(twice.status).toBe(200);
    expect(twice.body).toEqual(disabled.body);
    const listed = await api('GET', '/v1/api-keys', { auth: adminA });
    expect(listed.body.items.find((item: { id: string }) => item.id === key.id)).toMatchObject({
      enabled: false,
    });
    expectProblem(await api('POST', `/v1/api-keys/${key.id}/rotate`, { auth: adminA, body: {} }), 409);
    const enabled = await api('POST', `/v1/api-keys/${key.id}/enable`, { auth: adminA });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, expiresAt: key.expiresAt });
    expect((await api('GET', CHANNELS, { auth: key.key })).status).toBe(200);
  });
});
