import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminTokenRefusedError,
  type AdminTokenSettings,
  CLOCK_SKEW_SECONDS,
  checkTokenFields,
  createAdminTokenVerifier,
  groupsOf,
  InsecureJwksUriError,
} from '../../../shared/adapters/jwt/admin-token-verifier.js';
import type { AdminTokenVerifier } from '../../../shared/domain/auth/admin-token.js';
import { createRequestAuthorizer } from '../../../shared/domain/auth/authorize-request.js';
import { bearer, CountingStore, FakeClock, PREFIX, request } from '../../support/authorizer-fixtures.js';
import { CATALOG } from '../../support/catalog.js';
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
  tokenUse: 'id',
});

/** Any refusal: a 401 for the client; `detail` (for the log) says why. */
const INVALID = { ok: false, reason: 'invalid-token', detail: expect.any(String) };
const refusedFor = (detail: RegExp) => ({
  ok: false,
  reason: 'invalid-token',
  detail: expect.stringMatching(detail),
});
const now = () => Math.floor(Date.now() / 1000);

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
    expect(await verifier.verify(token)).toEqual(INVALID);
  });

  it('rejects a token that is not valid yet (nbf in the future)', async () => {
    const token = await issuer.mint({ nbf: Math.floor(Date.now() / 1000) + 600 });
    expect(await verifier.verify(token)).toEqual(INVALID);
  });

  it('accepts each of several comma-separated audiences (the CLI and console clients) and no other', async () => {
    const both = createAdminTokenVerifier({
      ...settings(issuer.jwksUri),
      audience: `${AUDIENCE}, console-client`,
    });
    expect(await both.verify(await issuer.mint({ aud: 'console-client' }))).toMatchObject({ ok: true });
    expect(await both.verify(await issuer.mint({ aud: AUDIENCE }))).toMatchObject({ ok: true });
    expect(await both.verify(await issuer.mint({ aud: 'console' }))).toEqual(INVALID);
    expect(await both.verify(await issuer.mint({ aud: `${AUDIENCE},console-client` }))).toEqual(INVALID);
  });

  it('rejects a wrong audience and a wrong issuer', async () => {
    expect(await verifier.verify(await issuer.mint({ aud: 'another-app' }))).toEqual(INVALID);
    expect(await verifier.verify(await issuer.mint({ iss: 'https://evil.test/' }))).toEqual(INVALID);
  });

  it('rejects a token signed by another key under the issuer kid, and an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expect(await verifier.verify(await issuer.mint({}, { key: privateKey }))).toEqual(INVALID);
    expect(await verifier.verify(await issuer.mint({}, { kid: 'unknown-kid' }))).toEqual(INVALID);
    // Within the library's back-off after an unknown kid: still invalid, not a fault.
    expect(await verifier.verify(await issuer.mint({}, { kid: 'another-unknown-kid' }))).toEqual(INVALID);
  });

  it('rejects unsigned and symmetric-key tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');
    expect(await verifier.verify(`${header}.${body}.`)).toEqual(INVALID);
    const hs256 = await new SignJWT({ [COMPANY_CLAIM]: 'acme' })
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    expect(await verifier.verify(hs256)).toEqual(INVALID);
  });

  it('rejects a token without a usable company claim or subject', async () => {
    for (const claims of [
      { [COMPANY_CLAIM]: undefined },
      { [COMPANY_CLAIM]: '' },
      { [COMPANY_CLAIM]: 'a b' },
    ]) {
      expect(await verifier.verify(await issuer.mint(claims))).toEqual(INVALID);
    }
    expect(await verifier.verify(await issuer.mint({ [COMPANY_CLAIM]: 42 }))).toEqual(INVALID);
  });

  it('rejects garbage that merely looks like a JWT', async () => {
    expect(await verifier.verify('abc.def.ghi')).toEqual(INVALID);
  });
});

describe('what aws-jwt-verify leaves to keygate (exp, iat, crit, token_use)', () => {
  it('rejects a token without exp, which would never expire', async () => {
    const token = await issuer.mint({}, { expiresIn: null });
    expect(JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString())).not.toHaveProperty(
      'exp',
    );
    expect(await verifier.verify(token)).toEqual(refusedFor(/^token has no exp claim$/));
  });

  it(`rejects a token issued more than ${CLOCK_SKEW_SECONDS} s in the future, and accepts a small skew`, async () => {
    expect(await verifier.verify(await issuer.mint({}, { issuedAt: now() + 600 }))).toEqual(
      refusedFor(/^token issued in the future: iat \d+ is (599|600) s ahead \(60 s allowed\)$/),
    );
    expect(
      await verifier.verify(await issuer.mint({}, { issuedAt: now() + CLOCK_SKEW_SECONDS + 5 })),
    ).toEqual(INVALID);
    expect(await verifier.verify(await issuer.mint({}, { issuedAt: now() + 30 }))).toMatchObject({
      ok: true,
    });
    expect(await verifier.verify(await issuer.mint({}, { issuedAt: now() - 3000 }))).toMatchObject({
      ok: true,
    });
  });

  it('rejects a token with a crit header (keygate understands no JWS extension)', async () => {
    const token = await issuer.mint(
      {},
      { header: { crit: ['https://ext.example/policy'], 'https://ext.example/policy': 'x' } },
    );
    expect(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString())).toMatchObject({
      crit: ['https://ext.example/policy'],
    });
    expect(await verifier.verify(token)).toEqual(
      refusedFor(
        /^token marks header parameters critical that keygate does not understand: \["https:\/\/ext\.example\/policy"\]$/,
      ),
    );
    expect(await verifier.verify(await issuer.mint({}, { header: { crit: ['b64'], b64: true } }))).toEqual(
      refusedFor(/\["b64"\]$/),
    );
  });

  it('rejects a token whose token_use is not the configured one (a Cognito access token), or has none', async () => {
    expect(await verifier.verify(await issuer.mint({ token_use: 'access' }))).toEqual(
      refusedFor(/^token_use is "access", expected "id"$/),
    );
    expect(await verifier.verify(await issuer.mint({ token_use: undefined }))).toEqual(
      refusedFor(/^token_use is none, expected "id"$/),
    );
    expect(await verifier.verify(await issuer.mint({ token_use: ['id'] }))).toEqual(INVALID);
    expect(await verifier.verify(await issuer.mint({ token_use: 'id' }))).toMatchObject({ ok: true });
  });

  it('does not read token_use when none is configured (a generic OIDC issuer)', async () => {
    const { tokenUse: _none, ...generic } = settings(issuer.jwksUri);
    const oidc = createAdminTokenVerifier(generic);
    for (const claims of [{ token_use: undefined }, { token_use: 'access' }, {}]) {
      expect(await oidc.verify(await issuer.mint(claims))).toMatchObject({ ok: true, companyId: 'acme' });
    }
    // The other checks still hold.
    expect(await oidc.verify(await issuer.mint({}, { expiresIn: null }))).toEqual(refusedFor(/no exp/));
  });

  it('says in the detail what the library refused, without the token', async () => {
    const token = await issuer.mint({ aud: 'another-app' });
    const result = await verifier.verify(token);
    expect(result).toEqual(refusedFor(/audience/i));
    if (!result.ok) expect(result.detail).not.toContain(token.split('.')[2]);
  });

  it('checks the fields only after the signature: a forged token fails on its signature', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await issuer.mint({ token_use: 'access' }, { key: privateKey });
    expect(await verifier.verify(forged)).toEqual(refusedFor(/signature/i));
  });
});

describe('checkTokenFields', () => {
  const valid = { exp: 2_000_000_000, iat: 1_000, token_use: 'id' };
  it('passes a complete token and throws AdminTokenRefusedError for each missing or wrong field', () => {
    expect(() => checkTokenFields({ alg: 'RS256' }, valid, 'id', 1_000)).not.toThrow();
    expect(() => checkTokenFields({ alg: 'RS256' }, { ...valid, iat: 1_060 }, 'id', 1_000)).not.toThrow();
    expect(() => checkTokenFields({ alg: 'RS256' }, { ...valid, iat: 1_061 }, 'id', 1_000)).toThrow(
      AdminTokenRefusedError,
    );
    expect(() => checkTokenFields({ alg: 'RS256' }, { iat: 1_000, token_use: 'id' }, 'id', 1_000)).toThrow(
      /no exp/,
    );
    expect(() => checkTokenFields({ alg: 'RS256', crit: [] }, valid, 'id', 1_000)).toThrow(/critical/);
    expect(() => checkTokenFields({ alg: 'RS256', crit: 'b64' }, valid, 'id', 1_000)).toThrow(/critical/);
    expect(() => checkTokenFields({ alg: 'RS256' }, { ...valid, token_use: 'ID' }, 'id', 1_000)).toThrow(
      /token_use/,
    );
    expect(() =>
      checkTokenFields({ alg: 'RS256' }, { ...valid, token_use: 'anything' }, undefined, 1_000),
    ).not.toThrow();
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
