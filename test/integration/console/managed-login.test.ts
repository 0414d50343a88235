import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../../../console/build.js';
import { CONSOLE_HEADERS, consoleCsp, HSTS } from '../../../console/security-headers.js';
import { browserTests, cspViolationsOf } from '../../support/browser-tests.js';
import { type Browser, launchBrowser } from '../../support/console-browser.js';

/**
 * The console as the stack deploys it, in Chromium: the built bundle with a deploy-time `config.json`
 * and the CDN's headers (the CSP naming only the console's origin and the token endpoint), signing in
 * against a stand-in for Cognito managed login on ANOTHER origin — `/oauth2/authorize` redirects back
 * with a code, `/oauth2/token` checks the PKCE verifier (and answers CORS, as Cognito does), `/logout`
 * ends its session. Proves the sign-in code path works from `config.json` alone, under that CSP.
 */

const CLIENT_ID = 'console-client-id';
const COMPANY = 'acme';

interface Listening {
  server: Server;
  origin: string;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: string,
): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  return { server, origin: `http://${host}:${typeof address === 'object' && address ? address.port : 0}` };
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => resolve(text));
  });
const base64Url = (text: string) => Buffer.from(text).toString('base64url');

let site: Listening;
let issuer: Listening;
let browser: Browser;
let cspViolations: string[] = [];
/** What the stand-in issuer saw. */
const seen = {
  authorize: [] as URLSearchParams[],
  token: [] as URLSearchParams[],
  logout: [] as URLSearchParams[],
};
let idToken = '';

const browserTest = browserTests(async () => {
  await ensureConsoleBuilt();
  const grants = new Map<string, { challenge: string; redirectUri: string }>();
  issuer = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://issuer');
    const cors = { 'access-control-allow-origin': site.origin, vary: 'Origin' };
    if (url.pathname === '/oauth2/authorize') {
      seen.authorize.push(url.searchParams);
      const code = randomUUID();
      grants.set(code, {
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
      res.writeHead(302, { location: back.href }).end();
    } else if (url.pathname === '/oauth2/token' && req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-headers': 'content-type' }).end();
    } else if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      const form = new URLSearchParams(await body(req));
      seen.token.push(form);
      const grant = grants.get(form.get('code') ?? '');
      grants.delete(form.get('code') ?? '');
      const verified =
        grant !== undefined &&
        createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url') === grant.challenge &&
        form.get('redirect_uri') === grant.redirectUri &&
        form.get('client_id') === CLIENT_ID;
      if (!verified) {
        res.writeHead(400, { ...cors, 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      const claims = {
        sub: 'admin-1',
        email: 'root@acme.test',
        'custom:companyId': COMPANY,
        exp: Math.floor(Date.now() / 1000) + 3600,
      };
      idToken = `${base64Url('{"alg":"RS256"}')}.${base64Url(JSON.stringify(claims))}.c2ln`;
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ id_token: idToken, access_token: 'a', expires_in: 3600, token_type: 'Bearer' }),
      );
    } else if (url.pathname === '/logout') {
      seen.logout.push(url.searchParams);
      res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' }).end();
    } else {
      res.writeHead(404).end();
    }
  }, '127.0.0.1');

  const tokenEndpoint = `${issuer.origin}/oauth2/token`;
  // The headers of the CloudFront response headers policy (infra/constructs/console-site.ts).
  const headers = {
    'content-security-policy': consoleCsp([tokenEndpoint]),
    ...CONSOLE_HEADERS,
    'strict-transport-security': HSTS,
  };
  const config = {
    authorizationEndpoint: `${issuer.origin}/oauth2/authorize`,
    tokenEndpoint,
    logoutEndpoint: `${issuer.origin}/logout`,
    clientId: CLIENT_ID,
    scope: 'openid email',
    apiBaseUrl: '',
  };
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
  };
  site = await listen(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path === '/v1/api-keys') {
      const authorized = req.headers.authorization === `Bearer ${idToken}` && idToken !== '';
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(authorized ? { items: [] } : { status: 401, title: 'Unauthorized' }));
      return;
    }
    if (path === '/console/config.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(config));
      return;
    }
    const relative = path === '/console/' ? 'index.html' : normalize(path.replace(/^\/console\//, ''));
    if (!path.startsWith('/console/') || relative.startsWith('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const file = await readFile(join(CONSOLE_DIST, relative));
      res.writeHead(200, {
        ...headers,
        'content-type': types[extname(relative)] ?? 'application/octet-stream',
      });
      res.end(file);
    } catch {
      res.writeHead(404).end();
    }
  }, 'localhost');
  browser = await launchBrowser();
  cspViolations = cspViolationsOf(browser.page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    [site, issuer].map((s) => s && new Promise((resolve) => s.server.close(() => resolve(undefined)))),
  );
});

describe('the deployed console signing in with managed login (code + PKCE, another origin)', () => {
  browserTest(
    'signs in from config.json alone, under the CDN CSP, and signs out at the issuer',
    async () => {
      const { page } = browser;
      const consoleUrl = `${site.origin}/console/`;
      await page.goto(consoleUrl);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Company API Keys' }).waitFor();
      await page.getByText('No API keys yet').waitFor();

      const authorize = seen.authorize[0] as URLSearchParams;
      expect(Object.fromEntries(authorize)).toMatchObject({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: consoleUrl,
        scope: 'openid email',
        code_challenge_method: 'S256',
      });
      expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Redeemed once, from the page, with the verifier (checked above against the challenge).
      expect(seen.token).toHaveLength(1);
      expect(seen.token[0]?.get('grant_type')).toBe('authorization_code');
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect(new URL(page.url()).search).toBe('');
      expect(await page.getByText(`root@acme.test · ${COMPANY}`).count()).toBe(1);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(seen.logout.map((query) => Object.fromEntries(query))).toEqual([
        { client_id: CLIENT_ID, logout_uri: consoleUrl },
      ]);
      expect(await page.evaluate("sessionStorage.getItem('keygate.console.session')")).toBeNull();
      expect(cspViolations).toEqual([]);
    },
    90_000,
  );
});
