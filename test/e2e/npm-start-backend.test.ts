import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../../local/dev-issuer.js';
import { freePort } from '../../local/dynamodb-local.js';
import {
  CALLER_HEADERS,
  CREDENTIAL_HEADERS,
  CREDENTIAL_PLACEHOLDER,
} from '../../shared/adapters/apigateway/backend-headers.js';
import { rawRequest } from '../support/raw-http.js';
import {
  killStarted,
  READY,
  type Started,
  spawnStart,
  stop,
  waitForOutput,
} from '../support/start-process.js';

/**
 * `npm start` as an operator runs it to put their own API behind keygate: `KEYGATE_CONFIG` names a
 * config whose `catalog` is an OpenAPI document in YAML (`orders` and `billing` namespaces), `orders`
 * sent to an HTTP backend this test runs and `billing` to a port nothing listens on. A real key, the
 * real authorizer, the request proxied for real. What the backend received is checked header by
 * header, and nothing it received holds the key. (The local gateway's proxying in detail, with a
 * stand-in authorizer, is `gateway-http-backend.test.ts`.)
 */

const TIMEOUT_MS = 1_500;

const OPENAPI_YAML = `openapi: 3.0.3
info:
  title: Orders
  version: "1"
x-keygate-namespace: orders
paths:
  /orders:
    get:
      operationId: ListOrders
      summary: List orders
      responses: { "200": { description: OK } }
    post:
      operationId: CreateOrder
      responses: { "201": { description: Created } }
  /orders/{orderId}:
    get:
      operationId: GetOrder
      responses: { "200": { description: OK } }
  /invoices:
    x-keygate-namespace: billing
    get:
      operationId: ListInvoices
      responses: { "200": { description: OK } }
`;

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

const seen: Seen[] = [];
let backend: Server;
let started: Started;
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
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'orders' });
        res.end(JSON.stringify({ backend: true, path: req.url }));
      };
      // Slower than the integration timeout: the 504 case (the answer comes, too late).
      if (req.url === '/orders/slow') setTimeout(answer, TIMEOUT_MS + 1_000);
      else answer();
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-backend-e2e-'));
  await mkdir(join(dataDir, 'api'));
  await writeFile(join(dataDir, 'api', 'orders.yaml'), OPENAPI_YAML);
  const config = join(dataDir, 'keygate.config.json');
  await writeFile(
    config,
    JSON.stringify({
      catalog: ['api/orders.yaml'],
      integrations: {
        orders: { type: 'http', baseUrl },
        billing: { type: 'http', baseUrl: `http://127.0.0.1:${await freePort()}` },
      },
    }),
  );
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  started = spawnStart({
    PORT: String(port),
    SES_PORT: String(await freePort()),
    KEYGATE_DATA_DIR: join(dataDir, 'data'),
    KEYGATE_CONFIG: config,
    KEYGATE_INTEGRATION_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  await waitForOutput(started, READY, 90_000);
  const token = await (await loadDevIssuer(join(dataDir, 'data'))).mintRootAdminToken({ companyId });
  const created = await fetch(`${url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'backend e2e', scopes: ['orders:read', 'billing:read'], expiresIn: 3600 }),
  });
  if (created.status !== 201)
    // The log lines after start-up (they hold no credential; the printed banner holds a token).
    throw new Error(
      `creating a key: ${created.status} ${await created.text()}\n${started
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') || line.startsWith('[gateway]'))
        .join('\n')}`,
    );
  ({ key, id: keyId } = (await created.json()) as { key: string; id: string });
}, 120_000);

afterAll(async () => {
  if (started && started.child.exitCode === null) await stop(started);
  killStarted();
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

beforeEach(() => {
  seen.length = 0;
});

/** Everything the backend received, as one string: method, URL, every raw header, body. */
const everythingSeen = () => JSON.stringify(seen);

describe('npm start with an OpenAPI catalog and an HTTP backend', () => {
  it('prints the OpenAPI catalog’s first read route as the example, not the demo’s', () => {
    expect(started.output()).toContain(`${url.replace('127.0.0.1', 'localhost')}/orders`);
    expect(started.output()).not.toContain('/v2/conversations/');
  });

  it('forwards an allowed request and tells the backend who called, never with the key', async () => {
    const response = await fetch(`${url}/orders?limit=5`, {
      headers: {
        authorization: `Bearer ${key}`,
        'x-api-key': key,
        'x-keygate-company-id': 'someone-else',
        'x-keygate-key-id': 'someone-elses-key',
        'x-keygate-scopes': '*:*',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-backend')).toBe('orders');
    expect(await response.json()).toEqual({ backend: true, path: '/orders?limit=5' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /orders?limit=5']);
    const headers = seen[0]?.headers ?? {};
    const expected: Record<keyof typeof CALLER_HEADERS, string> = {
      'X-Keygate-Company-Id': companyId,
      'X-Keygate-Key-Id': keyId,
      'X-Keygate-Scopes': 'billing:read orders:read',
    };
    for (const header of Object.keys(CALLER_HEADERS) as (keyof typeof CALLER_HEADERS)[]) {
      expect(headers[header.toLowerCase()], header).toBe(expected[header]);
    }
    // Each caller header once: the client's values replaced, not appended.
    const names = (seen[0]?.rawHeaders ?? []).filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names.filter((n) => n.startsWith('x-keygate-')).sort()).toEqual(
      Object.keys(CALLER_HEADERS)
        .map((n) => n.toLowerCase())
        .sort(),
    );
    for (const header of CREDENTIAL_HEADERS) {
      expect(headers[header.toLowerCase()], header).toBe(CREDENTIAL_PLACEHOLDER);
    }
    expect(everythingSeen()).not.toContain(key);
    expect(everythingSeen()).not.toContain(key.slice(-20));
  });

  it('replaces X-API-Key when the key comes that way, and the backend never sees it', async () => {
    const response = await fetch(`${url}/orders/o-1`, { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/orders/o-1']);
    expect(seen[0]?.headers['x-api-key']).toBe(CREDENTIAL_PLACEHOLDER);
    expect(seen[0]?.headers.authorization).toBe(CREDENTIAL_PLACEHOLDER);
    expect(everythingSeen()).not.toContain(key);
  });

  it('denies an operation the key has no scope for (orders:CreateOrder), and the backend never hears of it', async () => {
    const response = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"item":"x"}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain('orders:CreateOrder');
    expect(seen).toHaveLength(0);
  });

  it('answers HEAD on a GET route with the read scope, forwarded as HEAD, without a body', async () => {
    const response = await fetch(`${url}/orders`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-backend')).toBe('orders');
    expect(await response.text()).toBe('');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['HEAD /orders']);
    expect(seen[0]?.headers['x-keygate-key-id']).toBe(keyId);
    expect(everythingSeen()).not.toContain(key);
  });

  it.each([
    ['an encoded dot segment', '/x/%2E%2E/orders', 'encoded dot'],
    ['a dot segment', '/x/../orders', 'dot segment'],
    ['a trailing dot segment', '/orders/.', 'dot segment'],
    ['a backslash', '/x\\..\\orders', 'backslash'],
  ])(
    'refuses a path with %s, though it resolves to an allowed route, and the backend never hears of it',
    async (_, path, reason) => {
      // Sent as written: fetch (a WHATWG URL) would resolve the dot segments before sending.
      const answer = await rawRequest(`${url}/`, { path, headers: { authorization: `Bearer ${key}` } });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 403, detail: expect.stringContaining(reason) });
      expect(seen).toHaveLength(0);
    },
  );

  it('answers 502 Bad Gateway problem JSON when the backend is down', async () => {
    const response = await fetch(`${url}/invoices`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://keygate.dev/problems/bad-gateway',
      title: 'Bad Gateway',
      status: 502,
    });
    expect(seen).toHaveLength(0);
  });

  it('answers 504 Gateway Timeout problem JSON when the backend is slower than the integration timeout', async () => {
    const began = Date.now();
    const response = await fetch(`${url}/orders/slow`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://keygate.dev/problems/gateway-timeout',
      title: 'Gateway Timeout',
      status: 504,
    });
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(took).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(seen.map((s) => s.url)).toEqual(['/orders/slow']);
  });

  it('never logs the key', () => {
    expect(started.output()).not.toContain(key);
  });
});
