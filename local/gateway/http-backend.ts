import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  CALLER_HEADERS,
  CREDENTIAL_HEADERS,
  CREDENTIAL_PLACEHOLDER,
  GATEWAY_SET_HEADERS,
} from '../../shared/adapters/apigateway/backend-headers.js';
import type { IncomingRequest } from '../api-gateway-events.js';
import { connectionOptions, isHopByHop } from './hop-by-hop.js';
import type { IntegrationResponse } from './proxy-result.js';

/**
 * An HTTP backend as API Gateway's HTTP proxy integration reaches it: the request path appended to
 * the base URL, the method (HEAD stays HEAD), the query and the body as sent; the client's headers
 * minus hop-by-hop ones, credentials replaced by a fixed placeholder, plus the caller as `X-Keygate-*` headers and the
 * `X-Forwarded-*` ones. The whole answer must arrive within the integration timeout.
 */

/** What became of a forwarded request. */
export type BackendOutcome =
  | { kind: 'response'; response: IntegrationResponse }
  /** No connection, or it broke before a whole answer (API Gateway: 502). */
  | { kind: 'unreachable'; error: Error }
  /** No whole answer within the timeout (API Gateway: 504). */
  | { kind: 'timeout' }
  /** The answer is larger than API Gateway passes on (10 MB; 502). */
  | { kind: 'too-large' };

export interface ForwardOptions {
  /** `http(s)://host[:port][/prefix]`, without a trailing slash. */
  baseUrl: string;
  request: IncomingRequest;
  /** The query as the client sent it, `?…` or empty. */
  search: string;
  /** The authorizer's context: `companyId`, `keyId` and `scopes` become the caller headers. */
  caller: Readonly<Record<string, string | number>>;
  /** The port the client reached the gateway on (`X-Forwarded-Port`). */
  gatewayPort: number;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Keep-alive connections to the backends, per protocol. */
  agents: { http: Agent; https: Agent };
}

/** Set by the proxy itself: the backend's host, the body's real length, the forwarding chain. */
const REPLACED = new Set([
  'host',
  'content-length',
  'expect',
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
]);

/**
 * Raw `[name, value, …]` pairs grouped by name (the first spelling kept, values in order), without
 * hop-by-hop headers, the ones `Connection` names, and those `drop` refuses (lower-case names).
 */
function forwardable(raw: readonly string[], drop: (lowerName: string) => boolean): Record<string, string[]> {
  const connection: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'connection') connection.push(raw[i + 1] as string);
  }
  const perHop = connectionOptions(connection);
  const headers: Record<string, string[]> = {};
  const spelling = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (isHopByHop(lower) || perHop.has(lower) || drop(lower)) continue;
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    const values = headers[key] ?? [];
    values.push(raw[i + 1] as string);
    headers[key] = values;
  }
  return headers;
}

/** The headers a backend receives for this request (names as the client spelled them). */
export function backendRequestHeaders(
  request: Pick<IncomingRequest, 'rawHeaders' | 'sourceIp' | 'body'>,
  caller: Readonly<Record<string, string | number>>,
  gatewayPort: number,
): Record<string, string[]> {
  const headers = forwardable(
    request.rawHeaders,
    (name) => GATEWAY_SET_HEADERS.has(name) || REPLACED.has(name),
  );
  // As the stack's parameter mapping does (it can overwrite a header, not remove it): one behaviour.
  for (const header of CREDENTIAL_HEADERS) headers[header] = [CREDENTIAL_PLACEHOLDER];
  for (const [header, field] of Object.entries(CALLER_HEADERS)) {
    const value = caller[field];
    if (value !== undefined && value !== '') headers[header] = [String(value)];
  }
  const raw = request.rawHeaders;
  const chain: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'x-forwarded-for') chain.push(raw[i + 1] as string);
  }
  chain.push(request.sourceIp);
  headers['X-Forwarded-For'] = [chain.join(', ')];
  headers['X-Forwarded-Port'] = [String(gatewayPort)];
  headers['X-Forwarded-Proto'] = ['http'];
  if (request.body !== undefined) headers['Content-Length'] = [String(request.body.length)];
  return headers;
}

/** The length a backend's answer to HEAD announces for its GET's body, or null when none (or not a length). */
function announcedLength(headers: IncomingHttpHeaders): number | null {
  const value = headers['content-length'];
  if (value === undefined || !/^[0-9]+$/.test(value)) return null;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : null;
}

/** Sends the request to the backend and reads its whole answer (API Gateway buffers it too). */
export function forwardToHttpBackend(options: ForwardOptions): Promise<BackendOutcome> {
  const { request } = options;
  const target = new URL(`${options.baseUrl}${request.path}${options.search}`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: BackendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const outgoing = send(target, {
      method: request.method,
      headers: backendRequestHeaders(request, options.caller, options.gatewayPort),
      agent: target.protocol === 'https:' ? options.agents.https : options.agents.http,
    });
    const timer = setTimeout(() => {
      settle({ kind: 'timeout' });
      outgoing.destroy();
    }, options.timeoutMs);
    outgoing.on('error', (error) => settle({ kind: 'unreachable', error }));
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          settle({ kind: 'too-large' });
          outgoing.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => settle({ kind: 'unreachable', error }));
      response.on('aborted', () =>
        settle({ kind: 'unreachable', error: new Error('the backend closed the connection mid-answer') }),
      );
      response.on('end', () =>
        settle({
          kind: 'response',
          response: {
            statusCode: response.statusCode ?? 502,
            headers: forwardable(response.rawHeaders, (name) => name === 'content-length'),
            body: Buffer.concat(chunks),
            ...(request.method === 'HEAD' ? { announcedLength: announcedLength(response.headers) } : {}),
          },
        }),
      );
    });
    outgoing.end(request.body);
  });
}
