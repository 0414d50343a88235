import { request as httpRequest, type IncomingMessage } from 'node:http';

/**
 * The `fetch` the CLI hands openapi-fetch: one request over `node:http(s)`, answered as a standard
 * `Response`. Node's built-in `fetch` (undici) costs about 200 ms of start-up and exit on every call
 * (its HTTP parser is WebAssembly, compiled per process), more than the rest of `keygate keys list`;
 * `node:http` loads in a few ms (`node:https`, with TLS and crypto, only for an https URL).
 * openapi-fetch still builds the typed `Request` and reads the `Response`.
 *
 * A redirect is answered as is (the management API never redirects). A failure to connect rejects
 * with a `TypeError` whose `cause` is the socket error, as `fetch` does, so callers read `cause.code`.
 */

/** No answer within this long (connecting or waiting for the body) is a failure, not a hang. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Sends `request` and reads the whole answer: a `Response`, or a `TypeError` whose cause says why not. */
export async function nodeFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  if (body !== undefined) headers['content-length'] = String(body.length);
  const send = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const fail = (cause: unknown) => reject(new TypeError('fetch failed', { cause }));
    const options = { method: request.method, headers, timeout: REQUEST_TIMEOUT_MS };
    const outgoing = send(url, options, (incoming) => {
      readAll(incoming).then((bytes) => resolve(toResponse(incoming, bytes, request.url)), fail);
    });
    outgoing.on('timeout', () => {
      outgoing.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' }));
    });
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

async function readAll(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toResponse(incoming: IncomingMessage, bytes: Buffer, url: string): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const status = incoming.statusCode ?? 502;
  // A Response may not carry a body with these statuses.
  const bodiless = status === 204 || status === 205 || status === 304;
  const response = new Response(bodiless ? null : bytes, {
    status,
    statusText: incoming.statusMessage ?? '',
    headers,
  });
  // `fetch` sets `url` on its answers (messages name it); a constructed Response has it empty.
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
