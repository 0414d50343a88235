import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import type { LambdaHandler } from '../../local/functions.js';
import { type LocalGateway, startLocalGateway } from '../../local/gateway.js';
import { CATALOG } from '../support/catalog.js';
import { rawRequest } from '../support/raw-http.js';

/**
 * The local gateway proxying protected routes to a real HTTP backend, with a stand-in authorizer:
 * path, query, method (HEAD stays HEAD) and body forwarded; the caller as `X-Keygate-*` headers; no
 * credential and no hop-by-hop header reaches the backend or comes back; 502 and 504 as API Gateway.
 */

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

const SECRET = 'wsk-v1-the-client-secret-never-forwarded';
const seen: Seen[] = [];
let answer: (seen: Seen) => { status: number; headers?: Record<string, string | string[]>; body?: string };
let backend: Server;
let gateway: LocalGateway;
let slowGateway: LocalGateway;
let downGateway: LocalGateway;
const logs: string[] = [];

beforeAll(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      if (req.url?.startsWith('/v2/users/me/')) return; // never answers: the timeout's case
      const { status, headers, body } = answer(request);
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const loadHandler = async (name: string): Promise<LambdaHandler> => {
    if (name !== 'authorizer') return async () => ({ statusCode: 200, body: `{"from":"${name}"}` });
    return async (event) => {
      const e = event as APIGatewayRequestAuthorizerEvent;
      return {
        principalId: 'key-1',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: e.methodArn }],
        },
        context: {
          principalType: 'key',
          companyId: 'acme',
          keyId: 'key-1',
          scopes: 'messaging:read company:read',
        },
      };
    };
  };
  const options = {
    catalog: CATALOG,
    loadHandler,
    log: (line: string) => logs.push(line),
    // messaging and users go to the backend; company stays on echo.
    backendOf: (route: { namespace: string }) =>
      route.namespace === 'company' ? ({ type: 'echo' } as const) : ({ type: 'http', baseUrl } as const),
  };
  gateway = await startLocalGateway(options);
  slowGateway = await startLocalGateway({ ...options, integrationTimeoutMs: 200 });
  const closedPort = await freePort();
  downGateway = await startLocalGateway({
    ...options,
    backendOf: () => ({ type: 'http', baseUrl: `http://127.0.0.1:${closedPort}/prefix` }),
  });
});

afterAll(async () => {
  await Promise.all([gateway.close(), slowGateway.close(), downGateway.close()]);
  backend.closeAllConnections();
  await new Promise((resolve) => backend.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  logs.length = 0;
  answer = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
});

describe('HTTP backend', () => {
  it('forwards path, query, method and body, and passes the answer back', async () => {
    answer = () => ({
      status: 201,
      headers: { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], 'x-backend': 'yes' },
      body: 'created',
    });
    const response = await fetch(`${gateway.url}/v2/conversations/channels/c-9/messages/?q=a%20b&q=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: '{"text":"hi"}',
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('created');
    expect(response.headers.get('x-backend')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v2/conversations/channels/c-9/messages/?q=a%20b&q=2',
      body: '{"text":"hi"}',
    });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers['content-length']).toBe('13');
  });

  it('sends the caller as X-Keygate-* headers, overwriting the client’s, and never the credential', async () => {
    await fetch(`${gateway.url}/v2/conversations/channels/`, {
      headers: {
        authorization: `Bearer ${SECRET}`,
        'x-api-key': SECRET,
        'x-keygate-company-id': 'evil',
        'X-Keygate-Key-Id': 'evil-key',
        'x-keygate-scopes': 'everything:write',
        'x-forwarded-for': '203.0.113.9',
      },
    });
    const headers = seen[0]?.headers ?? {};
    expect(headers['x-keygate-company-id']).toBe('acme');
    expect(headers['x-keygate-key-id']).toBe('key-1');
    expect(headers['x-keygate-scopes']).toBe('messaging:read company:read');
    expect(headers.authorization).toBe('removed-by-keygate');
    expect(headers['x-api-key']).toBe('removed-by-keygate');
    expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(headers.host).toBe(new URL(`http://127.0.0.1:${(backend.address() as AddressInfo).port}`).host);
    // Each X-Keygate header once: the client's values are gone, not appended.
    const names = (seen[0]?.rawHeaders ?? []).filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names.filter((n) => n.startsWith('x-keygate-')).sort()).toEqual([
      'x-keygate-company-id',
      'x-keygate-key-id',
      'x-keygate-scopes',
    ]);
    expect(JSON.stringify(seen[0])).not.toContain(SECRET);
  });

  it('drops hop-by-hop headers and those Connection names, both ways', async () => {
    answer = () => ({
      status: 200,
      headers: { 'keep-alive': 'timeout=77', 'x-hop': 'backend-only', connection: 'x-hop', 'x-end': 'kept' },
      body: 'ok',
    });
    // fetch refuses to send Connection, so this request is written with node:http.
    const response = await rawRequest(`${gateway.url}/v2/conversations/channels/`, {
      headers: { connection: 'x-client-hop', 'x-client-hop': '1', te: 'trailers', 'x-end-to-end': 'kept' },
    });
    const headers = seen[0]?.headers ?? {};
    expect(headers['x-client-hop']).toBeUndefined();
    expect(headers.te).toBeUndefined();
    expect(headers['x-end-to-end']).toBe('kept');
    expect(response.headers['x-hop']).toBeUndefined();
    // The gateway's own connection may carry Keep-Alive; the backend's value must not come through.
    expect(response.headers['keep-alive']).not.toBe('timeout=77');
    expect(response.headers['x-end']).toBe('kept');
    expect(response.body).toBe('ok');
  });

  it('forwards HEAD as HEAD on a GET route, and answers it without a body', async () => {
    answer = () => ({ status: 200, headers: { 'content-type': 'application/json', 'x-backend': 'head' } });
    const response = await fetch(`${gateway.url}/v2/conversations/channels/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-backend')).toBe('head');
    expect(await response.text()).toBe('');
    expect(seen.map((s) => s.method)).toEqual(['HEAD']);
  });

  it("passes on the Content-Length the backend's HEAD answer announces, and none when it announces none", async () => {
    answer = () => ({ status: 200, headers: { 'content-type': 'application/json', 'content-length': '42' } });
    const announced = await fetch(`${gateway.url}/v2/conversations/channels/`, { method: 'HEAD' });
    expect(announced.status).toBe(200);
    expect(announced.headers.get('content-length')).toBe('42');
    expect(await announced.text()).toBe('');
    answer = () => ({ status: 200, headers: { 'content-type': 'application/json' } });
    const unannounced = await fetch(`${gateway.url}/v2/conversations/channels/`, { method: 'HEAD' });
    expect(unannounced.status).toBe(200);
    // Not 0: that would say the GET's body is empty.
    expect(unannounced.headers.get('content-length')).toBeNull();
    expect(seen.map((s) => s.method)).toEqual(['HEAD', 'HEAD']);
  });

  it('keeps echo for a namespace without an HTTP backend', async () => {
    const response = await fetch(`${gateway.url}/v2/company/`);
    expect(await response.json()).toEqual({ from: 'echo' });
    expect(seen).toHaveLength(0);
  });

  it('answers 502 problem JSON when the backend is unreachable', async () => {
    const response = await fetch(`${downGateway.url}/v2/conversations/channels/`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://keygate.dev/problems/bad-gateway',
      title: 'Bad Gateway',
      status: 502,
    });
    expect(logs.join('\n')).toMatch(/prefix unreachable/);
  });

  it('answers 504 problem JSON when the backend does not answer within the integration timeout', async () => {
    const started = Date.now();
    const response = await fetch(`${slowGateway.url}/v2/users/me/`);
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://keygate.dev/problems/gateway-timeout',
      title: 'Gateway Timeout',
      status: 504,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(seen.map((s) => s.url)).toEqual(['/v2/users/me/']);
  });
});
