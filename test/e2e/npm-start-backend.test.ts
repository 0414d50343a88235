import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../../local/dev-issuer.js';
import { freePort } from '../../local/dynamodb-local.js';

/**
 * `npm start` with a config whose `integrations` send the built-in catalog's `messaging` and `users`
 * namespaces to an HTTP backend this test runs, and `company` to a port nothing listens on: a real
 * key, the real authorizer, the request proxied for real. What the backend received is checked
 * header by header, and nothing it received holds the key.
 * (The config's own `catalog` — an OpenAPI file — is the catalog branch's; until it lands this uses
 * the shipped catalog.)
 */

const ROOT = new URL('../../', import.meta.url);
const TSX_CLI = new URL('node_modules/tsx/dist/cli.mjs', ROOT).pathname;
const TIMEOUT_MS = 1_500;

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let backend: Server;
let child: ChildProcess;
let output = '';
let dataDir: string;
let url: string;
let key: string;
let keyId: string;
const companyId = 'acme-backend';

beforeAll(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url?.startsWith('/v2/users/me/')) return; // never answers: the 504 case
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'real' });
      res.end(JSON.stringify({ backend: true, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-backend-e2e-'));
  const config = join(dataDir, 'keygate.config.json');
  await writeFile(
    config,
    JSON.stringify({
      integrations: {
        messaging: { type: 'http', baseUrl },
        users: { type: 'http', baseUrl },
        company: { type: 'http', baseUrl: `http://127.0.0.1:${await freePort()}` },
      },
    }),
  );
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [TSX_CLI, 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      SES_PORT: String(await freePort()),
      KEYGATE_DATA_DIR: dataDir,
      KEYGATE_CONFIG: config,
      KEYGATE_INTEGRATION_TIMEOUT_MS: String(TIMEOUT_MS),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 90_000;
  while (!output.includes('keygate is running locally')) {
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = await (await loadDevIssuer(dataDir)).mintRootAdminToken({ companyId });
  const created = await fetch(`${url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'backend e2e',
      scopes: ['messaging:read', 'users:read', 'company:read'],
      expiresIn: 3600,
    }),
  });
  if (created.status !== 201)
    // The log lines after start-up (they hold no credential; the printed banner holds a token).
    throw new Error(
      `creating a key: ${created.status} ${await created.text()}\n${output
        .split('\n')
        .filter((line) => line.startsWith('{') || line.startsWith('[gateway]'))
        .join('\n')}`,
    );
  ({ key, id: keyId } = (await created.json()) as { key: string; id: string });
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

beforeEach(() => {
  seen.length = 0;
});

describe('npm start proxies HTTP backends', () => {
  it('forwards an allowed request and tells the backend who called, never with the key', async () => {
    const response = await fetch(`${url}/v2/conversations/channels/?limit=5`, {
      headers: { authorization: `Bearer ${key}`, 'x-keygate-company-id': 'someone-else' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-backend')).toBe('real');
    expect(await response.json()).toEqual({ backend: true, path: '/v2/conversations/channels/?limit=5' });
    expect(seen).toHaveLength(1);
    const headers = seen[0]?.headers ?? {};
    expect(headers['x-keygate-company-id']).toBe(companyId);
    expect(headers['x-keygate-key-id']).toBe(keyId);
    expect(headers['x-keygate-scopes']).toBe('company:read messaging:read users:read');
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain(key);
    expect(JSON.stringify(seen)).not.toContain(key.slice(-20));
  });

  it('also strips X-API-Key when the key comes that way', async () => {
    const response = await fetch(`${url}/v2/conversations/channels/`, { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    expect(seen[0]?.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain(key);
  });

  it('denies a route the key has no scope for, and the backend never hears of it', async () => {
    const response = await fetch(`${url}/v2/conversations/channels/c-1/messages/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(seen).toHaveLength(0);
  });

  it('answers HEAD on a GET route, forwarded as HEAD, without a body', async () => {
    const response = await fetch(`${url}/v2/conversations/channels/`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-backend')).toBe('real');
    expect(await response.text()).toBe('');
    expect(seen.map((s) => s.method)).toEqual(['HEAD']);
  });

  it('answers 502 problem JSON when the backend is down', async () => {
    const response = await fetch(`${url}/v2/company/`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'https://keygate.dev/problems/server-error' });
  });

  it('answers 504 problem JSON when the backend does not answer within the integration timeout', async () => {
    const started = Date.now();
    const response = await fetch(`${url}/v2/users/me/`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(seen.map((s) => s.url)).toEqual(['/v2/users/me/']);
  });

  it('never logs the key', () => {
    expect(output).not.toContain(key);
  });
});
