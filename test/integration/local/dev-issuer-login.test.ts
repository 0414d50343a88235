import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, type DevIssuer, loadDevIssuer } from '../../../local/dev-issuer.js';
import {
  DEV_CLI_CLIENT_ID,
  DEV_CLIENT_ID,
  devIssuerLogin,
  isAllowedCliRedirect,
  isAllowedRedirect,
} from '../../../local/dev-issuer-login.js';

let dataDir: string;
let issuer: DevIssuer;
let server: Server;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-login-'));
  issuer = await loadDevIssuer(dataDir);
  const handle = devIssuerLogin(issuer);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    handle(req, res, path).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

const REDIRECT = 'http://localhost:3000/console/';
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const authorizeParams = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    response_type: 'code',
    client_id: DEV_CLIENT_ID,
    redirect_uri: REDIRECT,
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

async function signInCode(company: string, overrides: Record<string, string> = {}): Promise<string> {
  const answer = await fetch(
    `${base}/dev-issuer/authorize`,
    form({ ...Object.fromEntries(authorizeParams(overrides)), company }),
  );
  expect(answer.status).toBe(303);
  const location = new URL(answer.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(overrides.redirect_uri ?? REDIRECT);
  expect(location.searchParams.get('state')).toBe('state-123');
  return location.searchParams.get('code') ?? '';
}

const exchange = (code: string, overrides: Record<string, string> = {}) =>
  fetch(
    `${base}/dev-issuer/token`,
    form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: DEV_CLIENT_ID,
      code_verifier: verifier,
      ...overrides,
    }),
  );

describe('development issuer sign-in (authorization code + PKCE)', () => {
  it('shows a page with a Company field and a Sign in button, under a strict CSP', async () => {
    const page = await fetch(`${base}/dev-issuer/authorize?${authorizeParams()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<label for="company">Company</label>');
    expect(html).toContain('<button type="submit">Sign in</button>');
    expect(html).not.toContain('<script');
  });

  it('signs in a root admin of the named company, once per code, only with the verifier', async () => {
    const code = await signInCode('acme');
    expect((await exchange(code, { code_verifier: randomBytes(32).toString('base64url') })).status).toBe(400);
    // The failed attempt spent the code: a code is redeemed at most once, right or wrong.
    expect((await exchange(code)).status).toBe(400);

    const fresh = await signInCode('acme');
    const answer = await exchange(fresh);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { id_token: string; token_type: string };
    expect(body.token_type).toBe('Bearer');
    const { payload } = await jwtVerify(body.id_token, createLocalJWKSet(issuer.jwks()), {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });
    expect(payload).toMatchObject({ 'custom:companyId': 'acme', 'cognito:groups': ['root-admins'] });
    const again = await exchange(fresh);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code for another redirect URI or client', async () => {
    expect(
      (await exchange(await signInCode('acme'), { redirect_uri: 'http://localhost:9/console/' })).status,
    ).toBe(400);
    expect((await exchange(await signInCode('acme'), { client_id: 'other' })).status).toBe(400);
  });

  it('refuses requests without PKCE, with a foreign redirect, or a bad company', async () => {
    const refused: Array<Record<string, string>> = [
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
      { redirect_uri: 'https://evil.example/console/' },
      { client_id: 'other' },
      { response_type: 'token' },
    ];
    for (const overrides of refused) {
      const page = await fetch(`${base}/dev-issuer/authorize?${authorizeParams(overrides)}`);
      expect(page.status).toBe(400);
    }
    const bad = await fetch(
      `${base}/dev-issuer/authorize`,
      form({ ...Object.fromEntries(authorizeParams()), company: 'no spaces' }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('aria-invalid="true"');
  });

  it('accepts only the console on a loopback host as the redirect', () => {
    expect(isAllowedRedirect('http://localhost:3000/console/')).toBe(true);
    expect(isAllowedRedirect('http://127.0.0.1:3000/console/')).toBe(true);
    expect(isAllowedRedirect('http://[::1]:3000/console/')).toBe(true);
    expect(isAllowedRedirect('http://localhost:3000/console/?x=1')).toBe(false);
    expect(isAllowedRedirect('http://localhost.evil.example/console/')).toBe(false);
    expect(isAllowedRedirect('http://localhost:3000/other/')).toBe(false);
  });

  it('signs in the CLI with a loopback redirect on any port, filling in Company from login_hint', async () => {
    const cli = { client_id: DEV_CLI_CLIENT_ID, redirect_uri: 'http://127.0.0.1:49152/callback' };
    const page = await fetch(
      `${base}/dev-issuer/authorize?${authorizeParams({ ...cli, login_hint: 'acme<b>' })}`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="company" value="acme&lt;b&gt;"');
    expect(html).toContain(`name="client_id" value="${DEV_CLI_CLIENT_ID}"`);
    const code = await signInCode('acme', cli);
    // A code issued to the CLI is not the console's to redeem, nor the other way round.
    expect((await exchange(code, { ...cli, client_id: DEV_CLIENT_ID })).status).toBe(400);
    const fresh = await signInCode('acme', cli);
    const answer = await exchange(fresh, cli);
    expect(answer.status).toBe(200);
    const { id_token: token } = (await answer.json()) as { id_token: string };
    const { payload } = await jwtVerify(token, createLocalJWKSet(issuer.jwks()), {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });
    expect(payload).toMatchObject({ 'custom:companyId': 'acme' });
    const consoleCode = await signInCode('acme');
    expect((await exchange(consoleCode, { client_id: DEV_CLI_CLIENT_ID })).status).toBe(400);
    // Each client keeps to its own redirects.
    const crossed = await fetch(
      `${base}/dev-issuer/authorize?${authorizeParams({ client_id: DEV_CLI_CLIENT_ID })}`,
    );
    expect(crossed.status).toBe(400);
  });

  it('accepts only a loopback IP literal with a port and /callback as the CLI redirect', () => {
    expect(isAllowedCliRedirect('http://127.0.0.1:49152/callback')).toBe(true);
    expect(isAllowedCliRedirect('http://[::1]:8080/callback')).toBe(true);
    for (const uri of [
      'http://localhost:49152/callback',
      'http://127.0.0.1/callback',
      'https://127.0.0.1:49152/callback',
      'http://127.0.0.1:49152/callback?x=1',
      'http://127.0.0.1:49152/other',
      'http://user@127.0.0.1:49152/callback',
      'http://127.0.0.1.evil.example:49152/callback',
      'not a url',
    ]) {
      expect(isAllowedCliRedirect(uri), uri).toBe(false);
    }
  });
});
