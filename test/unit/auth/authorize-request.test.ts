import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRequestAuthorizer,
  type DecideRequest,
  lastUseIsStale,
  type Verdict,
} from '../../../shared/domain/auth/authorize-request.js';
import { generateApiKey } from '../../../shared/domain/keys/key-format.js';
import {
  ADMIN_TOKEN,
  bearer,
  CountingStore,
  createKey,
  FakeClock,
  FakeTokenVerifier,
  PREFIX,
  request,
  T0,
  USER_TOKEN,
} from '../../support/authorizer-fixtures.js';
import { CATALOG } from '../../support/catalog.js';

const INTERVAL_SECONDS = 60;

let store: CountingStore;
let clock: FakeClock;
let tokens: FakeTokenVerifier;
let onLastUsedError: ReturnType<
  typeof vi.fn<(error: unknown, ids: { companyId: string; keyId: string }) => void>
>;
let decide: DecideRequest;

beforeEach(() => {
  store = new CountingStore();
  clock = new FakeClock();
  tokens = new FakeTokenVerifier({
    [ADMIN_TOKEN]: {
      ok: true,
      subject: 'admin-1',
      companyId: 'acme',
      email: 'root@acme.test',
      rootAdmin: true,
    },
    [USER_TOKEN]: { ok: true, subject: 'user-1', companyId: 'acme', rootAdmin: false },
  });
  onLastUsedError = vi.fn<(error: unknown, ids: { companyId: string; keyId: string }) => void>();
  decide = createRequestAuthorizer({
    store,
    catalog: CATALOG,
    clock,
    keyPrefix: PREFIX,
    adminTokens: tokens,
    lastUsedIntervalSeconds: INTERVAL_SECONDS,
    onLastUsedError,
  });
});

function expectUnauthorized(verdict: Verdict, reason: string) {
  expect(verdict).toMatchObject({ effect: 'unauthorized', status: 401, reason });
}

function expectDenied(verdict: Verdict, code: string): Extract<Verdict, { effect: 'deny' }> {
  expect(verdict).toMatchObject({ effect: 'deny', status: 403, code });
  return verdict as Extract<Verdict, { effect: 'deny' }>;
}

/** Changes one character of the key's body to another base62 character. */
function mistype(key: string, index: number): string {
  const current = key[index];
  const replacement = current === 'a' ? 'b' : 'a';
  return key.slice(0, index) + replacement + key.slice(index + 1);
}

describe('401: credentials that do not identify a valid key', () => {
  it('answers missing when no credential is sent, or only blank headers', async () => {
    expectUnauthorized(await decide(request()), 'missing');
    expectUnauthorized(
      await decide(request({ headers: { Authorization: '  ', 'X-API-Key': '' } })),
      'missing',
    );
    expectUnauthorized(await decide(request({ headers: null })), 'missing');
    expect(store.reads).toBe(0);
  });

  it('answers malformed for a value not shaped like a key, without reading the store', async () => {
    for (const headers of [
      bearer('not-a-key'),
      bearer(`${PREFIX}short`),
      { 'X-API-Key': 'x'.repeat(100) },
      { Authorization: 'Basic dXNlcjpwYXNz' },
      { Authorization: 'Bearer' },
      { Authorization: `Bearer ${generateApiKey(PREFIX)} extra` },
      bearer(generateApiKey('other-v1-')),
    ]) {
      expectUnauthorized(await decide(request({ headers })), 'malformed');
    }
    expect(store.reads).toBe(0);
  });

  it('answers checksum for a mistyped key, without reading the store', async () => {
    const { key } = await createKey(store);
    expectUnauthorized(await decide(request({ headers: bearer(mistype(key, 20)) })), 'checksum');
    expectUnauthorized(await decide(request({ headers: bearer(mistype(key, key.length - 1)) })), 'checksum');
    expect(store.reads).toBe(0);
  });

  it('answers unknown for a well-formed key that was never stored, after exactly one read', async () => {
    expectUnauthorized(await decide(request({ headers: bearer(generateApiKey(PREFIX)) })), 'unknown');
    expect(store.reads).toBe(1);
    expect(store.touches).toBe(0);
  });

  it('answers unknown on the very next request after the key is deleted', async () => {
    const { key, record } = await createKey(store);
    expect((await decide(request({ headers: bearer(key) }))).effect).toBe('allow');
    expect(await store.delete(record.companyId, record.id)).toBe(true);
    expectUnauthorized(await decide(request({ headers: bearer(key) })), 'unknown');
  });

  it('answers expired from the instant now == expiresAt, and allows 1 ms before', async () => {
    const expiresAt = new Date(T0.getTime() + 3_600_000);
    const { key, record } = await createKey(store, { expiresAt: expiresAt.toISOString() });

    clock.set(new Date(expiresAt.getTime() - 1));
    expect((await decide(request({ headers: bearer(key) }))).effect).toBe('allow');

    clock.set(expiresAt);
    const verdict = await decide(request({ headers: bearer(key) }));
    expectUnauthorized(verdict, 'expired');
    expect(verdict).toMatchObject({ companyId: record.companyId, keyId: record.id });

    clock.advance(86_400_000);
    expectUnauthorized(await decide(request({ headers: bearer(key) })), 'expired');
  });

  it('answers expired before any route, scope or IP check (401 before 403)', async () => {
    const { key } = await createKey(store, {
      expiresAt: T0.toISOString(),
      scopes: ['users:GetUserInfo'],
      allowedIps: ['198.51.100.0/24'],
    });
    expectUnauthorized(await decide(request({ path: '/not/in/catalog', headers: bearer(key) })), 'expired');
  });

  it('answers disabled on the very next request, with one read and no write, and allows again once enabled', async () => {
    const { key, record } = await createKey(store, {
      scopes: ['users:GetUserInfo'],
      allowedIps: ['198.51.100.0/24'],
    });
    await store.setEnabled(record.companyId, record.id, false);
    store.reads = 0;
    // Disabled is a 401, before the allow-list or the route (401 before 403).
    const verdict = await decide(request({ path: '/not/in/catalog', headers: bearer(key) }));
    expectUnauthorized(verdict, 'disabled');
    expect(verdict).toMatchObject({ companyId: record.companyId, keyId: record.id });
    expect(store.reads).toBe(1);
    expect(store.touches).toBe(0);
    await store.setEnabled(record.companyId, record.id, true);
    const allowed = await createKey(store);
    await store.setEnabled(allowed.record.companyId, allowed.record.id, false);
    expectUnauthorized(await decide(request({ headers: bearer(allowed.key) })), 'disabled');
    await store.setEnabled(allowed.record.companyId, allowed.record.id, true);
    expect((await decide(request({ headers: bearer(allowed.key) }))).effect).toBe('allow');
  });

  it('answers conflicting-credentials when Authorization and X-API-Key differ, and allows when equal', async () => {
    const { key } = await createKey(store);
    const other = generateApiKey(PREFIX);
    expectUnauthorized(
      await decide(request({ headers: { ...bearer(key), 'X-API-Key': other } })),
      'conflicting-credentials',
    );
    expect((await decide(request({ headers: { ...bearer(key), 'X-API-Key': key } }))).effect).toBe('allow');
  });

  it('answers conflicting-credentials for a header repeated with different values', async () => {
    const { key } = await createKey(store);
    const verdict = await decide(
      request({
        headers: { 'x-api-key': key },
        multiValueHeaders: { 'x-api-key': [key, generateApiKey(PREFIX)] },
      }),
    );
    expectUnauthorized(verdict, 'conflicting-credentials');
    expect(store.reads).toBe(0);
  });

  it('answers invalid-token for a JWT-shaped bearer the verifier rejects, without reading the store', async () => {
    expectUnauthorized(await decide(request({ headers: bearer('aaa.bbb.ccc') })), 'invalid-token');
    expect(tokens.calls).toBe(1);
    expect(store.reads).toBe(0);
  });

  it('never reads the store for arbitrary header values that are not well-formed keys (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 120 }),
        fc.constantFrom('Authorization', 'X-API-Key'),
        async (value, name) => {
          const headerValue = name === 'Authorization' ? `Bearer ${value}` : value;
          const verdict = await decide(request({ headers: { [name]: headerValue } }));
          expect(verdict.effect).toBe('unauthorized');
        },
      ),
    );
    expect(store.reads).toBe(0);
  });

  it('rejects every one-character mistype of a real key without a read (property)', async () => {
    const { key } = await createKey(store);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: PREFIX.length, max: key.length - 1 }), async (index) => {
        const verdict = await decide(request({ headers: bearer(mistype(key, index)) }));
        expect(verdict).toMatchObject({ effect: 'unauthorized', reason: 'checksum' });
      }),
    );
    expect(store.reads).toBe(0);
  });
});

describe('credential extraction', () => {
  it('accepts the Bearer scheme in any letter case, with one or more spaces, and any header-name case', async () => {
    const { key } = await createKey(store);
    for (const headers of [
      { Authorization: `Bearer ${key}` },
      { authorization: `bearer ${key}` },
      { AUTHORIZATION: `BEARER   ${key}` },
      { Authorization: `  BeArEr ${key}  ` },
    ]) {
      expect((await decide(request({ headers }))).effect).toBe('allow');
    }
  });

  it('accepts X-API-Key in any header-name case', async () => {
    const { key } = await createKey(store);
    for (const headers of [{ 'X-API-Key': key }, { 'x-api-key': key }, { 'X-Api-Key': key }]) {
      expect((await decide(request({ headers }))).effect).toBe('allow');
    }
  });
});

describe('403: a valid key that may not call this route', () => {
  it('denies a route outside the catalog, naming it', async () => {
    const { key } = await createKey(store, { scopes: ['*:*'] });
    const verdict = expectDenied(
      await decide(request({ method: 'get', path: '/api/v1/secret/', headers: bearer(key) })),
      'route-not-in-catalog',
    );
    expect(verdict.reason).toBe('route GET /api/v1/secret/ is not in the catalog');
  });

  it('redacts a key sent in the path from the reason (which is logged and answered)', async () => {
    const { key } = await createKey(store, { scopes: ['*:*'] });
    const verdict = expectDenied(
      await decide(request({ path: `/v2/${key}/x/${key}`, headers: bearer(key) })),
      'route-not-in-catalog',
    );
    expect(verdict.reason).toBe('route GET /v2/wsk-v1-[redacted]/x/wsk-v1-[redacted] is not in the catalog');
  });

  it('denies a path below a route (as a greedy proxy would pass it) as not in the catalog', async () => {
    const { key } = await createKey(store, { scopes: ['*:*'] });
    const verdict = await decide(request({ method: 'GET', path: '/v2/company/extra', headers: bearer(key) }));
    expect(expectDenied(verdict, 'route-not-in-catalog').reason).toBe(
      'route GET /v2/company/extra is not in the catalog',
    );
  });

  it('keeps client-supplied text in a reason printable and bounded', async () => {
    const { key } = await createKey(store, { scopes: ['*:*'] });
    const long = await decide(request({ path: `/a'b/${'x'.repeat(300)}`, headers: bearer(key) }));
    expect(expectDenied(long, 'route-not-in-catalog').reason.length).toBeLessThan(260);
    // Quotes, backslashes and control characters never reach a reason: such paths are refused first.
    const verdict = await decide(request({ path: `/a"b\\c\n${'x'.repeat(300)}`, headers: bearer(key) }));
    const { reason } = expectDenied(verdict, 'path-refused');
    expect(reason).not.toMatch(/["\\\n]/);
    expect(reason.length).toBeLessThan(260);
  });

  it('denies root-admin-only routes to every key, even *:*', async () => {
    const { key } = await createKey(store, { scopes: ['*:*'] });
    for (const method of ['GET', 'PUT']) {
      const verdict = await decide(
        request({ method, path: '/v1/settings/notifications', headers: bearer(key) }),
      );
      expect(expectDenied(verdict, 'route-not-open-to-keys').reason).toBe(
        `route ${method} /v1/settings/notifications is not open to API keys`,
      );
    }
  });

  it('denies a route the scopes do not cover, naming every scope that would', async () => {
    const { key } = await createKey(store, { scopes: ['devices:read'] });
    const verdict = await decide(request({ path: '/api/v1/pbx/colleagues/', headers: bearer(key) }));
    const { reason } = expectDenied(verdict, 'scope-not-granted');
    const [prefix, list] = reason.split(' requires one of: ');
    expect(prefix).toBe('route GET /api/v1/pbx/colleagues/');
    expect(new Set(list?.split(', '))).toEqual(
      new Set(['colleagues:read', 'colleagues:*', 'pbx:read', 'pbx:*', '*:*']),
    );
  });

  it('applies umbrella scopes: pbx:read covers a PBX GET but not a PBX POST', async () => {
    const { key } = await createKey(store, { scopes: ['pbx:read'] });
    expect((await decide(request({ path: '/api/v1/pbx/colleagues/', headers: bearer(key) }))).effect).toBe(
      'allow',
    );
    const write = await decide(
      request({ method: 'POST', path: '/api/v1/pbx/colleagues/', headers: bearer(key) }),
    );
    const { reason } = expectDenied(write, 'scope-not-granted');
    expect(new Set(reason.split(' requires one of: ')[1]?.split(', '))).toEqual(
      new Set(['colleagues:*', 'pbx:*', '*:*']),
    );
  });

  it('decides management routes by the apikeys scopes: read on GETs only', async () => {
    const { key } = await createKey(store, { scopes: ['apikeys:read'] });
    const get = await decide(request({ path: '/v1/api-keys', headers: bearer(key) }));
    expect(get).toMatchObject({ effect: 'allow', route: { id: 'GET /v1/api-keys' } });
    const one = await decide(request({ path: '/v1/api-keys/k-1', headers: bearer(key) }));
    expect(one).toMatchObject({ effect: 'allow', route: { id: 'GET /v1/api-keys/{id}' } });
    expectDenied(
      await decide(request({ method: 'POST', path: '/v1/api-keys', headers: bearer(key) })),
      'scope-not-granted',
    );
    expectDenied(
      await decide(
        request({
          method: 'DELETE',
          path: '/v1/api-keys/k-1',
          headers: bearer(key),
        }),
      ),
      'scope-not-granted',
    );
  });

  it('lets any valid key call GET /v1/scopes', async () => {
    const { key } = await createKey(store, { scopes: ['users:GetUserInfo'] });
    expect(await decide(request({ path: '/v1/scopes', headers: bearer(key) }))).toMatchObject({
      effect: 'allow',
      route: { id: 'GET /v1/scopes' },
    });
  });

  it('matches the real request path, parameters and all, as the greedy proxies pass it', async () => {
    const { key } = await createKey(store, { scopes: ['messaging:SendMessage'] });
    const verdict = await decide(
      request({ method: 'POST', path: '/v2/conversations/channels/c-1/messages/', headers: bearer(key) }),
    );
    expect(verdict).toMatchObject({
      effect: 'allow',
      route: { id: 'POST /v2/conversations/channels/{channelId}/messages/' },
    });
  });

  it('answers HEAD wherever GET is, with the same scopes', async () => {
    const reader = await createKey(store, { scopes: ['messaging:read'] });
    expect(
      await decide(
        request({ method: 'HEAD', path: '/v2/conversations/channels/', headers: bearer(reader.key) }),
      ),
    ).toMatchObject({ effect: 'allow', route: { id: 'GET /v2/conversations/channels/' } });
    const other = await createKey(store, { scopes: ['users:read'] });
    expectDenied(
      await decide(
        request({ method: 'HEAD', path: '/v2/conversations/channels/', headers: bearer(other.key) }),
      ),
      'scope-not-granted',
    );
    // HEAD answers GET routes only: never a write route's.
    const writer = await createKey(store, { scopes: ['messaging:SendMessage'] });
    expectDenied(
      await decide(
        request({
          method: 'HEAD',
          path: '/v2/conversations/channels/c-1/messages/',
          headers: bearer(writer.key),
        }),
      ),
      'route-not-in-catalog',
    );
  });

  it('refuses, before matching, paths a backend could read as another route (403 with the reason)', async () => {
    const { key } = await createKey(store, { scopes: ['*:*'] });
    const refused: Array<[string, RegExp]> = [
      ['/v2/users/me/../../company/', /dot segment/],
      ['/v2/users/%2e%2e/company/', /encoded dot/],
      ['/v2/conversations%2Fchannels/', /encoded slash/],
      ['/v2//company/', /empty segment/],
      ['/v2/users/me;x=1/', /;/],
    ];
    for (const [path, reason] of refused) {
      const verdict = expectDenied(await decide(request({ path, headers: bearer(key) })), 'path-refused');
      expect(verdict.reason).toMatch(/^request path refused: /);
      expect(verdict.reason, path).toMatch(reason);
      // The reason never echoes the path.
      expect(verdict.reason).not.toContain(path);
    }
  });
});

describe('403: source IP allow-lists', () => {
  it('allows IPv4 sources inside a CIDR and denies others without echoing the allow-list', async () => {
    const { key } = await createKey(store, { allowedIps: ['198.51.100.0/24', '192.0.2.10/32'] });
    for (const sourceIp of ['198.51.100.1', '198.51.100.254', '192.0.2.10']) {
      expect((await decide(request({ sourceIp, headers: bearer(key) }))).effect).toBe('allow');
    }
    for (const sourceIp of ['198.51.101.1', '192.0.2.11', 'not-an-ip', '']) {
      const { reason } = expectDenied(
        await decide(request({ sourceIp, headers: bearer(key) })),
        'ip-not-allowed',
      );
      expect(reason).toBe('source IP not allowed for this key');
    }
  });

  it('allows IPv6 sources inside a CIDR and denies others', async () => {
    const { key } = await createKey(store, { allowedIps: ['2001:db8::/32'] });
    expect((await decide(request({ sourceIp: '2001:db8::1', headers: bearer(key) }))).effect).toBe('allow');
    expect((await decide(request({ sourceIp: '2001:db8:ffff::9', headers: bearer(key) }))).effect).toBe(
      'allow',
    );
    expectDenied(await decide(request({ sourceIp: '2001:db9::1', headers: bearer(key) })), 'ip-not-allowed');
    expectDenied(await decide(request({ sourceIp: '198.51.100.1', headers: bearer(key) })), 'ip-not-allowed');
  });

  it('matches IPv4-mapped IPv6 sources (::ffff:a.b.c.d) against IPv4 CIDRs', async () => {
    const { key } = await createKey(store, { allowedIps: ['192.0.2.0/24'] });
    expect((await decide(request({ sourceIp: '::ffff:192.0.2.5', headers: bearer(key) }))).effect).toBe(
      'allow',
    );
    expectDenied(
      await decide(request({ sourceIp: '::ffff:192.0.3.5', headers: bearer(key) })),
      'ip-not-allowed',
    );
  });

  it('checks the IP before the route, so a key used from elsewhere learns nothing about its scopes', async () => {
    const { key } = await createKey(store, { scopes: ['devices:read'], allowedIps: ['198.51.100.0/24'] });
    expectDenied(await decide(request({ sourceIp: '203.0.113.9', headers: bearer(key) })), 'ip-not-allowed');
    expectDenied(
      await decide(request({ sourceIp: '203.0.113.9', path: '/nope', headers: bearer(key) })),
      'ip-not-allowed',
    );
  });
});

describe('allow', () => {
  it('returns the caller with the key record fields and the route', async () => {
    const { key, record } = await createKey(store, {
      name: 'CRM sync',
      scopes: ['colleagues:read', 'devices:read'],
      allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
    });
    const verdict = await decide(request({ headers: bearer(key) }));
    expect(verdict).toEqual({
      effect: 'allow',
      caller: {
        kind: 'key',
        companyId: 'acme',
        keyId: record.id,
        keyName: 'CRM sync',
        scopes: ['colleagues:read', 'devices:read'],
        expiresAt: record.expiresAt,
        // For the delegation rule (a child's allow-list inside its parent's), from the same item read.
        allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
      },
      route: CATALOG.match('GET', '/api/v1/pbx/colleagues/')?.route,
    });
  });
});

describe('root admin tokens', () => {
  it('allows a root admin on management routes, including root-admin-only ones, without a store read', async () => {
    for (const [method, path] of [
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys'],
      ['DELETE', '/v1/api-keys/k-1'],
      ['GET', '/v1/scopes'],
      ['PUT', '/v1/settings/notifications'],
    ] as const) {
      const verdict = await decide(request({ method, path, headers: bearer(ADMIN_TOKEN) }));
      expect(verdict).toMatchObject({
        effect: 'allow',
        caller: { kind: 'root-admin', companyId: 'acme', subject: 'admin-1', email: 'root@acme.test' },
      });
    }
    expect(store.reads).toBe(0);
    expect(store.touches).toBe(0);
  });

  it('denies a root admin token on a protected route', async () => {
    const verdict = await decide(request({ path: '/v2/company/', headers: bearer(ADMIN_TOKEN) }));
    expect(expectDenied(verdict, 'admin-token-on-protected-route').reason).toBe(
      'root admin tokens are valid only on the management API; use an API key',
    );
  });

  it('denies a valid token without the root-admin group (authenticated, not authorized)', async () => {
    const verdict = await decide(request({ path: '/v1/api-keys', headers: bearer(USER_TOKEN) }));
    const denied = expectDenied(verdict, 'not-root-admin');
    expect(denied.reason).toBe('not a root admin');
    expect(denied.caller).toEqual({ kind: 'user', companyId: 'acme', subject: 'user-1' });
  });

  it('denies a root admin on a route outside the catalog', async () => {
    expectDenied(
      await decide(request({ path: '/v1/nothing', headers: bearer(ADMIN_TOKEN) })),
      'route-not-in-catalog',
    );
  });
});

describe('cost: reads and lastUsedAt writes', () => {
  it('reads exactly once per well-formed key decision, whatever the outcome', async () => {
    const { key } = await createKey(store, { scopes: ['devices:read'], allowedIps: ['198.51.100.0/24'] });
    await decide(request({ headers: bearer(key), sourceIp: '198.51.100.1', path: '/api/v1/devices/' }));
    expect(store.reads).toBe(1);
    await decide(request({ headers: bearer(key), sourceIp: '198.51.100.1' }));
    expect(store.reads).toBe(2);
    await decide(request({ headers: bearer(key), sourceIp: '203.0.113.1' }));
    expect(store.reads).toBe(3);
  });

  it('writes lastUsedAt at most once per key per interval, deciding from the item it read', async () => {
    const { key, record } = await createKey(store);
    await decide(request({ headers: bearer(key) }));
    expect(store.touches).toBe(1);
    expect((await store.get('acme', record.id))?.lastUsedAt).toBe(T0.toISOString());

    for (let second = 1; second <= INTERVAL_SECONDS; second++) {
      clock.set(new Date(T0.getTime() + second * 1000));
      expect((await decide(request({ headers: bearer(key) }))).effect).toBe('allow');
    }
    expect(store.touches).toBe(1);

    clock.set(new Date(T0.getTime() + INTERVAL_SECONDS * 1000 + 1));
    await decide(request({ headers: bearer(key) }));
    expect(store.touches).toBe(2);
    expect((await store.get('acme', record.id))?.lastUsedAt).toBe(clock.now().toISOString());
  });

  it('keeps writes per key independent', async () => {
    const first = await createKey(store);
    const second = await createKey(store);
    await decide(request({ headers: bearer(first.key) }));
    await decide(request({ headers: bearer(second.key) }));
    await decide(request({ headers: bearer(first.key) }));
    expect(store.touches).toBe(2);
  });

  it('never writes when the decision is 401 or 403 (a refused request is not a use)', async () => {
    const expired = await createKey(store, { expiresAt: T0.toISOString() });
    const narrow = await createKey(store, { scopes: ['devices:read'] });
    const fenced = await createKey(store, { allowedIps: ['198.51.100.0/24'] });
    expectUnauthorized(await decide(request({ headers: bearer(expired.key) })), 'expired');
    expectDenied(await decide(request({ headers: bearer(narrow.key) })), 'scope-not-granted');
    expectDenied(await decide(request({ headers: bearer(fenced.key) })), 'ip-not-allowed');
    expectDenied(
      await decide(request({ path: '/nope', headers: bearer(narrow.key) })),
      'route-not-in-catalog',
    );
    expect(store.touches).toBe(0);
  });

  it('still allows a valid request when the lastUsedAt write fails, and reports the failure', async () => {
    const { key, record } = await createKey(store);
    store.failTouch = true;
    expect((await decide(request({ headers: bearer(key) }))).effect).toBe('allow');
    expect(onLastUsedError).toHaveBeenCalledWith(expect.any(Error), { companyId: 'acme', keyId: record.id });
  });

  it('throws when the store cannot be read (fail closed: a fault, never a verdict)', async () => {
    const { key } = await createKey(store);
    store.failReads = true;
    await expect(decide(request({ headers: bearer(key) }))).rejects.toThrow('ECONNREFUSED');
  });

  it('treats an unset or unreadable lastUsedAt as stale', () => {
    expect(lastUseIsStale(null, T0, 60)).toBe(true);
    expect(lastUseIsStale('garbage', T0, 60)).toBe(true);
    expect(lastUseIsStale(new Date(T0.getTime() - 60_000).toISOString(), T0, 60)).toBe(false);
    expect(lastUseIsStale(new Date(T0.getTime() - 60_001).toISOString(), T0, 60)).toBe(true);
  });
});
