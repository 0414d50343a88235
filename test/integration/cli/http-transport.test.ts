import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../../cli/http-transport.js';
import { freePort } from '../../../local/dynamodb-local.js';

/** The CLI's `fetch` over node:http, against a loopback server: what openapi-fetch relies on. */

let server: Server;
let base: string;
let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
    if (req.url === '/empty') return res.writeHead(204).end();
    if (req.url === '/problem') {
      return res
        .writeHead(404, 'Not Found', { 'content-type': 'application/problem+json' })
        .end('{"title":"Not Found"}');
    }
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(200, { 'content-type': 'application/json', 'x-one': 'yes' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeFetch', () => {
  it('sends the method, path, query, headers and body, and answers status, headers and body', async () => {
    const response = await nodeFetch(
      new Request(`${base}/v1/api-keys?limit=100`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{"name":"é"}',
      }),
    );
    expect(seen).toMatchObject({ method: 'POST', url: '/v1/api-keys?limit=100', body: '{"name":"é"}' });
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"name":"é"}')),
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${base}/v1/api-keys?limit=100`);
    expect(response.headers.get('x-one')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('sends no body on a GET, and answers a 204 with none and an error status as is', async () => {
    const empty = await nodeFetch(new Request(`${base}/empty`));
    expect(seen).toMatchObject({ method: 'GET', body: '' });
    expect(seen.headers).not.toHaveProperty('content-length');
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const problem = await nodeFetch(new Request(`${base}/problem`));
    expect(problem.status).toBe(404);
    expect(problem.ok).toBe(false);
    expect(problem.statusText).toBe('Not Found');
    expect(await problem.json()).toEqual({ title: 'Not Found' });
  });

  it('rejects as fetch does, with the socket error as the cause, when nothing listens', async () => {
    const port = await freePort();
    const failure = await nodeFetch(new Request(`http://127.0.0.1:${port}/`)).catch((error) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.cause.code).toBe('ECONNREFUSED');
  });
});
