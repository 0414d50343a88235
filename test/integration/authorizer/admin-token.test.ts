import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AdminTokenSettings,
  type AdminTokenVerifier,
  createAdminTokenVerifier,
  groupsOf,
  InsecureJwksUriError,
} from '../../../shared/auth/admin-token.js';
import { createRequestAuthorizer } from '../../../shared/auth/authorize-request.js';
import { CATALOG } from '../../../shared/catalog/catalog.js';
import { bearer, CountingStore, FakeClock, PREFIX, request } from '../../support/authorizer-fixtures.js';
import {
  AUDIENCE,
  COMPANY_CLAIM,
  closedPortUrl,
  GROUPS_CLAIM,
  generateKeyPair,
  ISSUER,
  ROOT_ADMIN_GROUP,
  startTestIssuer,
  type TestIssuer,
} from './jwks-server.js';

let issuer: TestIssuer;
let verifier: AdminTokenVerifier;

const settings = (jwksUri: string): AdminTokenSettings => ({
  issuer: ISSUER,
  audience: AUDIENCE,
  jwksUri,
  companyClaim: COMPANY_CLAIM,
  groupsClaim: GROUPS_CLAIM,
  rootAdminGroup: ROOT_ADMIN_GROUP,
});

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});
beforeEach(() => {
  issuer.mode = 'ok';
  // A fresh verifier per test: each starts with an empty JWKS cache.
  verifier = createAdminTokenVerifier(settings(issuer.jwksUri));
});

describe('valid tokens', () => {
  it('reads subject, company, email and the root-admin role from the claims', async () => {
    expect(await verifier.verify(await issuer.mint())).toEqual({
      ok: true,
      subject: 'admin-1',
      companyId: 'acme',
      email: 'root@acme.test',
      rootAdmin: true,
    });
  });

  it('reads groups given as an array, a space-separated or a comma-separated string', async () => {
    for (const groups of [
      ['staff', ROOT_ADMIN_GROUP],
      `staff ${ROOT_ADMIN_GROUP}`,
      `staff,${ROOT_ADMIN_GROUP}`,
    ]) {
      const result = await verifier.verify(await issuer.mint({ [GROUPS_CLAIM]: groups }));
      expect(result).toMatchObject({ ok: true, rootAdmin: true });
    }
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf([1, 'a'])).toEqual(['a']);
  });

  it('reports a valid token without the root-admin group as not a root admin', async () => {
    for (const groups of [['staff'], 'root-admins-readonly', undefined]) {
      const result = await verifier.verify(await issuer.mint({ [GROUPS_CLAIM]: groups }));
      expect(result).toMatchObject({ ok: true, companyId: 'acme', rootAdmin: false });
    }
  });

  it('fetches the JWKS once and verifies later tokens from the cache', async () => {
    const before = issuer.hits;
    for (let i = 0; i < 5; i++) {
      expect((await verifier.verify(await issuer.mint({ sub: `admin-${i}` }))).ok).toBe(true);
    }
    expect(issuer.hits - before).toBe(1);
  });
});

describe('invalid tokens (401, data not exceptions)', () => {
  it('rejects an expired token', async () => {
    const token = await issuer.mint({}, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
    expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'invalid-token' });
  });

  it('rejects a token that is not valid yet (nbf in the future)', async () => {
    const token = await issuer.mint({ nbf: Math.floor(Date.now() / 1000) + 600 });
    expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'invalid-token' });
  });

  it('rejects a wrong audience and a wrong issuer', async () => {
    expect(await verifier.verify(await issuer.mint({ aud: 'another-app' }))).toEqual({
      ok: false,
      reason: 'invalid-token',
    });
    expect(await verifier.verify(await issuer.mint({ iss: 'https://evil.test/' }))).toEqual({
      ok: false,
      reason: 'invalid-token',
    });
  });

  it('rejects a token signed by another key under the issuer kid, and an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expect(await verifier.verify(await issuer.mint({}, { key: privateKey }))).toEqual({
      ok: false,
      reason: 'invalid-token',
    });
    expect(await verifier.verify(await issuer.mint({}, { kid: 'unknown-kid' }))).toEqual({
      ok: false,
      reason: 'invalid-token',
    });
    // Within the library's back-off after an unknown kid: still invalid, not a fault.
    expect(await verifier.verify(await issuer.mint({}, { kid: 'another-unknown-kid' }))).toEqual({
      ok: false,
      reason: 'invalid-token',
    });
  });

  it('rejects unsigned and symmetric-key tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');
    expect(await verifier.verify(`${header}.${body}.`)).toEqual({ ok: false, reason: 'invalid-token' });
    const hs256 = await new SignJWT({ [COMPANY_CLAIM]: 'acme' })
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    expect(await verifier.verify(hs256)).toEqual({ ok: false, reason: 'invalid-token' });
  });

  it('rejects a token without a usable company claim or subject', async () => {
    for (const claims of [
      { [COMPANY_CLAIM]: undefined },
      { [COMPANY_CLAIM]: '' },
      { [COMPANY_CLAIM]: 'a b' },
    ]) {
      expect(await verifier.verify(await issuer.mint(claims))).toEqual({
        ok: false,
        reason: 'invalid-token',
      });
    }
    expect(await verifier.verify(await issuer.mint({ [COMPANY_CLAIM]: 42 }))).toEqual({
      ok: false,
      reason: 'invalid-token',
    });
  });

  it('rejects garbage that merely looks like a JWT', async () => {
    expect(await verifier.verify('abc.def.ghi')).toEqual({ ok: false, reason: 'invalid-token' });
  });
});

describe('faults (fail closed: throw, never 401, never allow)', () => {
  it('throws when the JWKS cannot be reached', async () => {
    const unreachable = createAdminTokenVerifier(settings(await closedPortUrl('/jwks.json')));
    await expect(unreachable.verify(await issuer.mint())).rejects.toThrow(/Failed to fetch/);
  });

  it('throws when the JWKS endpoint answers an error or something that is not a JWKS', async () => {
    issuer.mode = 'error-500';
    await expect(verifier.verify(await issuer.mint())).rejects.toThrow(/Status code is 500/);
    issuer.mode = 'garbage';
    await expect(
      createAdminTokenVerifier(settings(issuer.jwksUri)).verify(await issuer.mint()),
    ).rejects.toThrow(/JWKS/);
  });

  it('refuses a plain-http JWKS URI on any host but this machine', () => {
    expect(() => createAdminTokenVerifier(settings('http://issuer.example.com/jwks.json'))).toThrow(
      InsecureJwksUriError,
    );
    expect(() => createAdminTokenVerifier(settings('http://localhost:8080/jwks.json'))).not.toThrow();
    expect(() => createAdminTokenVerifier(settings('https://issuer.example.com/jwks.json'))).not.toThrow();
  });
});

describe('root admin tokens through the decision service', () => {
  const decideWith = (tokens: AdminTokenVerifier) =>
    createRequestAuthorizer({
      store: new CountingStore(),
      catalog: CATALOG,
      clock: new FakeClock(new Date()),
      keyPrefix: PREFIX,
      adminTokens: tokens,
      lastUsedIntervalSeconds: 60,
    });

  it('allows a valid root admin token on management routes only', async () => {
    const decide = decideWith(verifier);
    const token = await issuer.mint();
    expect(
      await decide(request({ method: 'POST', path: '/v1/api-keys', headers: bearer(token) })),
    ).toMatchObject({
      effect: 'allow',
      caller: { kind: 'root-admin', companyId: 'acme', subject: 'admin-1', email: 'root@acme.test' },
    });
    expect(await decide(request({ path: '/v2/company/', headers: bearer(token) }))).toMatchObject({
      effect: 'deny',
      code: 'admin-token-on-protected-route',
    });
  });

  it('answers 401 for expired, wrong-audience and wrong-issuer tokens, 403 for a token without the group', async () => {
    const decide = decideWith(verifier);
    const path = '/v1/api-keys';
    for (const token of [
      await issuer.mint({}, { expiresIn: Math.floor(Date.now() / 1000) - 1 }),
      await issuer.mint({ aud: 'other' }),
      await issuer.mint({ iss: 'https://other.test/' }),
      await issuer.mint({ [COMPANY_CLAIM]: undefined }),
    ]) {
      expect(await decide(request({ path, headers: bearer(token) }))).toMatchObject({
        effect: 'unauthorized',
        status: 401,
        reason: 'invalid-token',
      });
    }
    const noGroup = await issuer.mint({ [GROUPS_CLAIM]: ['staff'] });
    expect(await decide(request({ path, headers: bearer(noGroup) }))).toMatchObject({
      effect: 'deny',
      status: 403,
      code: 'not-root-admin',
    });
  });

  it('throws when the JWKS server is down', async () => {
    const decide = decideWith(createAdminTokenVerifier(settings(await closedPortUrl('/jwks.json'))));
    await expect(
      decide(request({ path: '/v1/api-keys', headers: bearer(await issuer.mint()) })),
    ).rejects.toThrow();
  });
});
