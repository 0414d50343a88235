import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { discoverSignIn } from '../../../cli/sign-in-config.js';
import { freePort } from '../../../local/dynamodb-local.js';
import {
  CLI_REDIRECT_URIS,
  CLI_SIGN_IN_PATH,
  type CliSignInDocument,
  cliSignInDocumentSchema,
} from '../../../shared/adapters/http/cli-sign-in.js';
import { createAdminTokenVerifier } from '../../../shared/adapters/jwt/admin-token-verifier.js';
import {
  COMPANY_CLAIM,
  GROUPS_CLAIM,
  ISSUER,
  ROOT_ADMIN_GROUP,
  startTestIssuer,
  type TestIssuer,
} from '../authorizer/jwks-server.js';

/**
 * `keygate login` against a keygate stack, end to end on this machine: the CLI (its `main`, as the
 * bin runs it) reads `/.well-known/keygate-cli.json` from a stand-in for the console's origin, then
 * signs in at a stand-in for Cognito managed login that, as Cognito does, accepts only a
 * `redirect_uri` equal, character for character, to one of the client's callback URLs (three fixed
 * loopback ports here, free ones, since tests run side by side) and checks the PKCE verifier. The
 * origin's `/v1/scopes` verifies the ID token with the API's own verifier, whose audiences are the
 * pool's API client and the CLI's client (OIDC_AUDIENCE), as the stack configures the authorizer.
 */

const CLI_CLIENT = 'cli-client-id';
const API_CLIENT = 'api-client-id';

interface Listening {
  server: Server;
  origin: string;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString();
  return new URLSearchParams(text);
}
const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

let issuer: TestIssuer;
let cognito: Listening;
let site: Listening;
/** The CLI client's callback URLs, as its Cognito app client registers them. */
let callbacks: string[];
/** What `/.well-known/keygate-cli.json` answers: the document, or a status (an OIDC stack without `cli`). */
let served: CliSignInDocument | number;
/** The `aud` the stand-in puts in ID tokens (the CLI client's, unless a test says otherwise). */
let tokenAudience = CLI_CLIENT;
const seen = { authorize: [] as URLSearchParams[], token: [] as URLSearchParams[] };
let configDir: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  callbacks = [];
  for (let i = 0; i < 3; i++) callbacks.push(`http://127.0.0.1:${await freePort()}/callback`);
  const grants = new Map<string, { challenge: string; redirectUri: string }>();
  cognito = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://cognito');
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const query = url.searchParams;
      seen.authorize.push(query);
      const redirectUri = query.get('redirect_uri') ?? '';
      // Cognito: an exact match with a callback URL, else its error page (no redirect anywhere).
      if (query.get('client_id') !== CLI_CLIENT || !callbacks.includes(redirectUri)) {
        json(res, 400, { error: 'redirect_mismatch' });
        return;
      }
      const scopes = (query.get('scope') ?? '').split(' ');
      if (query.get('response_type') !== 'code' || scopes.some((s) => !['openid', 'email'].includes(s))) {
        json(res, 400, { error: 'invalid_request' });
        return;
      }
      if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
        json(res, 400, { error: 'invalid_request', error_description: 'PKCE expected' });
        return;
      }
      // The admin signs in on managed login; Cognito sends the browser back with a code.
      const code = randomUUID();
      grants.set(code, { challenge: query.get('code_challenge') ?? '', redirectUri });
      const back = new URL(redirectUri);
      back.search = new URLSearchParams({ code, state: query.get('state') ?? '' }).toString();
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      // As a Cognito user pool's discovery document names its managed login endpoints.
      json(res, 200, {
        issuer: cognito.origin,
        authorization_endpoint: `${cognito.origin}/oauth2/authorize`,
        token_endpoint: `${cognito.origin}/oauth2/token`,
        jwks_uri: issuer.jwksUri,
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      const body = await form(req);
      seen.token.push(body);
      const grant = grants.get(body.get('code') ?? '');
      grants.delete(body.get('code') ?? '');
      const verifier = body.get('code_verifier') ?? '';
      if (body.get('client_id') !== CLI_CLIENT) {
        json(res, 400, { error: 'invalid_client' });
      } else if (
        body.get('grant_type') !== 'authorization_code' ||
        grant === undefined ||
        body.get('redirect_uri') !== grant.redirectUri ||
        createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
      ) {
        json(res, 400, { error: 'invalid_grant' });
      } else {
        const idToken = await issuer.mint({ aud: tokenAudience, email: 'root@acme.test' });
        json(res, 200, { id_token: idToken, access_token: 'access', token_type: 'Bearer', expires_in: 3600 });
      }
      return;
    }
    res.writeHead(404).end();
  });
  const verifier = createAdminTokenVerifier({
    issuer: ISSUER,
    audience: `${API_CLIENT},${CLI_CLIENT}`,
    jwksUri: issuer.jwksUri,
    companyClaim: COMPANY_CLAIM,
    groupsClaim: GROUPS_CLAIM,
    rootAdminGroup: ROOT_ADMIN_GROUP,
    tokenUse: 'id',
  });
  site = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (url.pathname === CLI_SIGN_IN_PATH) {
      if (typeof served === 'number') res.writeHead(served).end();
      else json(res, 200, served);
      return;
    }
    if (url.pathname === '/v1/scopes') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const result = await verifier.verify(token);
      if (result.ok && result.rootAdmin) json(res, 200, { items: [] });
      else
        json(res, 401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'invalid token' });
      return;
    }
    res.writeHead(404).end();
  });
});

afterAll(async () => {
  await Promise.all([cognito && close(cognito.server), site && close(site.server), issuer?.close()]);
});

let stderr = '';
beforeEach(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'keygate-cognito-login-'));
  vi.stubEnv('KEYGATE_CONFIG_DIR', configDir);
  vi.stubEnv('KEYGATE_URL', '');
  vi.stubEnv('KEYGATE_TOKEN', '');
  served = cliSignInDocumentSchema.parse({
    authorizationEndpoint: `${cognito.origin}/oauth2/authorize`,
    tokenEndpoint: `${cognito.origin}/oauth2/token`,
    clientId: CLI_CLIENT,
    scope: 'openid email',
    redirectUris: callbacks,
  });
  tokenAudience = CLI_CLIENT;
  seen.authorize.length = 0;
  seen.token.length = 0;
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await rm(configDir, { recursive: true, force: true });
});

/** The authorize URL the CLI prints, once it does. */
async function printedAuthorizeUrl(): Promise<string> {
  const pattern = new RegExp(`${cognito.origin}/oauth2/authorize\\?\\S+`);
  for (let waited = 0; waited < 10_000; waited += 20) {
    const match = pattern.exec(stderr);
    if (match) return match[0];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no authorize URL printed:\n${stderr}`);
}

/** The browser: opens the authorize URL, follows Cognito's redirect to the CLI, returns the CLI's page. */
async function signInInBrowser(authorizeUrl: string): Promise<Response> {
  const signedIn = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(signedIn.status, await signedIn.clone().text()).toBe(302);
  return fetch(signedIn.headers.get('location') as string);
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

/** Holds `uri`'s port, as another program would. */
async function occupy(uri: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(Number(new URL(uri).port), '127.0.0.1', resolve));
  return server;
}

describe('keygate login against a stack (Cognito managed login, exact callback URLs)', () => {
  it('signs in with PKCE on the first registered redirect URI and saves the ID token, which the API accepts', async () => {
    const exit = main(['login', '--url', site.origin, '--no-browser']);
    const authorizeUrl = await printedAuthorizeUrl();
    const query = new URL(authorizeUrl).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      response_type: 'code',
      client_id: CLI_CLIENT,
      redirect_uri: callbacks[0],
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    const landing = await signInInBrowser(authorizeUrl);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in to keygate');
    expect(await exit, stderr).toBe(0);
    expect(stderr).toContain(`Logged in to ${site.origin}`);

    // The code went back with the verifier whose S256 challenge was sent, and the same redirect URI.
    const [grant] = seen.token;
    expect(grant?.get('redirect_uri')).toBe(callbacks[0]);
    expect(
      createHash('sha256')
        .update(grant?.get('code_verifier') ?? '')
        .digest('base64url'),
    ).toBe(query.get('code_challenge'));
    const file = join(configDir, 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { url: string; token: string };
    expect(saved.url).toBe(site.origin);
    expect(claimsOf(saved.token)).toMatchObject({ aud: CLI_CLIENT, token_use: 'id', iss: ISSUER });
  });

  it('moves on to the next registered port when one is busy', async () => {
    const busy = await occupy(callbacks[0] as string);
    try {
      const exit = main(['login', '--url', site.origin, '--no-browser']);
      const authorizeUrl = await printedAuthorizeUrl();
      expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(callbacks[1]);
      expect((await signInInBrowser(authorizeUrl)).status).toBe(200);
      expect(await exit, stderr).toBe(0);
    } finally {
      await close(busy);
    }
  });

  it('says so (exit 1) when every registered port is busy, and saves nothing', async () => {
    const busy = await Promise.all(callbacks.map(occupy));
    try {
      expect(await main(['login', '--url', site.origin, '--no-browser'])).toBe(1);
      const ports = callbacks.map((uri) => new URL(uri).host).join(', ');
      expect(stderr).toContain(`${ports} are all in use`);
      expect(seen.authorize).toEqual([]);
      await expect(stat(join(configDir, 'credentials.json'))).rejects.toThrow(/ENOENT/);
    } finally {
      await Promise.all(busy.map(close));
    }
  });

  it('is refused by the stand-in, as by Cognito, on any redirect URI but a registered one', async () => {
    const registered = new URL(callbacks[0] as string);
    const unregistered = [
      `http://127.0.0.1:${await freePort()}/callback`,
      `http://localhost:${registered.port}/callback`,
      `${callbacks[0]}/`,
      `http://[::1]:${registered.port}/callback`,
    ];
    for (const redirectUri of unregistered) {
      const authorize = new URL(`${cognito.origin}/oauth2/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: CLI_CLIENT,
        redirect_uri: redirectUri,
        scope: 'openid email',
        state: 's',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      }).toString();
      const answer = await fetch(authorize, { redirect: 'manual' });
      expect(answer.status, redirectUri).toBe(400);
      expect(await answer.json()).toEqual({ error: 'redirect_mismatch' });
    }
  });

  it('saves nothing when the API refuses the token (an audience it does not accept)', async () => {
    tokenAudience = 'another-client';
    const exit = main(['login', '--url', site.origin, '--no-browser']);
    await signInInBrowser(await printedAuthorizeUrl());
    expect(await exit).toBe(1);
    expect(stderr).toContain('Unauthorized (401)');
    await expect(stat(join(configDir, 'credentials.json'))).rejects.toThrow(/ENOENT/);
  });

  it('tells how to use KEYGATE_TOKEN when the stack serves no sign-in document (OIDC without `cli`)', async () => {
    served = 404;
    expect(await main(['login', '--url', site.origin, '--no-browser'])).toBe(1);
    expect(stderr).toContain('does not offer browser sign-in for the CLI');
    expect(stderr).toContain('KEYGATE_URL and KEYGATE_TOKEN');
    expect(stderr).toContain('keygate login --token');
  });

  it('refuses a document that is not a keygate sign-in document, naming the field', async () => {
    served = 200;
    expect(await main(['login', '--url', site.origin, '--no-browser'])).toBe(1);
    expect(stderr).toContain('is not a JSON object');
    served = {
      ...cliSignInDocumentSchema.parse({
        authorizationEndpoint: `${cognito.origin}/oauth2/authorize`,
        tokenEndpoint: `${cognito.origin}/oauth2/token`,
        clientId: CLI_CLIENT,
        scope: 'openid email',
      }),
      redirectUris: ['http://localhost:28431/callback'],
    };
    stderr = '';
    expect(await main(['login', '--url', site.origin, '--no-browser'])).toBe(1);
    expect(stderr).toMatch(/is not a keygate sign-in document \(redirectUris\.0: a loopback redirect URI/);
  });

  it('with --issuer and --client-id, reads the issuer’s discovery document and uses the fixed redirect URIs a client registers', async () => {
    const config = await discoverSignIn({ url: site.origin, issuer: cognito.origin, clientId: CLI_CLIENT });
    expect(config).toEqual({
      authorizationEndpoint: `${cognito.origin}/oauth2/authorize`,
      tokenEndpoint: `${cognito.origin}/oauth2/token`,
      clientId: CLI_CLIENT,
      scope: 'openid email',
      redirectUris: [...CLI_REDIRECT_URIS],
    });
  });
});
