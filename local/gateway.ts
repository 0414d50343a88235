import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import ipaddr from 'ipaddr.js';
import {
  type GatewayResponseType,
  renderGatewayResponse,
} from '../shared/adapters/apigateway/gateway-responses.js';
import { docsAnswer } from '../shared/adapters/http/openapi/docs-site.js';
import type { CatalogRoute, RouteCatalog } from '../shared/domain/catalog/route-catalog.js';
import {
  type ApiIdentity,
  buildAuthorizerEvent,
  buildProxyEvent,
  type IncomingRequest,
  LOCAL_API,
  lambdaContext,
  type MatchedResource,
} from './api-gateway-events.js';
import type { HandlerLoader, LambdaHandler } from './functions.js';
import { evaluatePolicy } from './iam-policy-evaluation.js';
import { BAD_TARGET_MESSAGE, badTargetAnswer, parseRequestTarget } from './request-target.js';

/**
 * The local API Gateway: a `node:http` server that does what the deployed REST API does for each
 * request — route it from the catalog, run the Lambda REQUEST authorizer, evaluate the IAM policy it
 * returns against the method ARN, pass its context on, invoke the integration (the management
 * Lambda, or the echo Lambda for protected routes) with a v1 proxy event, and map the result back.
 * When the gateway itself rejects a request it answers with the deployed gateway responses' bodies.
 */

export interface LocalGatewayOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Addresses to listen on, all on the same port. Default: both loopbacks, so IPv4 and IPv6 clients work. */
  hosts?: string[];
  /** The routes, as the stack builds them. */
  catalog: RouteCatalog;
  /** Creates a function's handler (`functionLoader` in `functions.ts`); called once per function. */
  loadHandler: HandlerLoader;
  /** The JSON Web Key Set served at `GET /.well-known/jwks.json` (the local development issuer's keys). */
  jwks?: () => unknown;
  api?: ApiIdentity;
  /** API Gateway's payload limit (10 MB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** API Gateway's integration timeout (29 s); a slower integration gets 504. */
  integrationTimeoutMs?: number;
  authorizerTimeoutMs?: number;
  /** Access and fault log; never receives credentials. Default: silent. */
  log?: (line: string) => void;
  /**
   * Awaited after a management write (any method but GET, HEAD and OPTIONS) and before its answer:
   * local mode's wait for DynamoDB Local's queued commit (`dynamodb-commit-barrier.ts`). If it fails,
   * the answer is a 502, never an acknowledgement of a write that may not be stored. Default: none.
   */
  commitBarrier?: () => Promise<void>;
  /** Serves what local mode adds beside the API (the console, the issuer's sign-in); false: not its path. */
  localRoutes?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
}

export interface LocalGateway {
  /** `http://127.0.0.1:<port>` (or the first host's URL). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Thrown when the gateway's port is taken. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use: stop what is using it or set PORT to another port.`);
    this.name = 'PortInUseError';
  }
}

const CATCH_ALL_RESOURCE = '/{proxy+}';
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const ERROR_TYPES: Record<GatewayResponseType, string> = {
  UNAUTHORIZED: 'UnauthorizedException',
  ACCESS_DENIED: 'AccessDeniedException',
  MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
  AUTHORIZER_FAILURE: 'AuthorizerFailureException',
  AUTHORIZER_CONFIGURATION_ERROR: 'AuthorizerConfigurationException',
  REQUEST_TOO_LARGE: 'RequestTooLargeException',
  THROTTLED: 'ThrottlingException',
  DEFAULT_4XX: 'BadRequestException',
  DEFAULT_5XX: 'InternalServerErrorException',
};

/** Starts the local gateway. Handlers are created on first use. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const loader = options.loadHandler;
  const loaded = new Map<string, Promise<LambdaHandler>>();
  const loadOnce = (name: string) => {
    let handler = loaded.get(name);
    if (!handler) {
      handler = loader(name);
      // A failed import is retried on the next request (e.g. after fixing a syntax error under `tsx watch`).
      handler.catch(() => loaded.delete(name));
      loaded.set(name, handler);
    }
    return handler;
  };
  const settings: GatewaySettings = {
    api: options.api ?? LOCAL_API,
    catalog: options.catalog,
    loadHandler: loadOnce,
    jwks: options.jwks,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    integrationTimeoutMs: options.integrationTimeoutMs ?? 29_000,
    authorizerTimeoutMs: options.authorizerTimeoutMs ?? 10_000,
    log: options.log ?? (() => {}),
    commitBarrier: options.commitBarrier,
    localRoutes: options.localRoutes,
    port: 0,
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(settings, req, res).catch((error: unknown) => {
      settings.log(`gateway fault: ${describe(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const servers = await listenOnAll(listener, options.hosts ?? ['127.0.0.1', '::1'], options.port ?? 0);
  const address = servers[0]?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  settings.port = port;
  return {
    url: `http://${urlHost(address && typeof address === 'object' ? address.address : '127.0.0.1')}:${port}`,
    port,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}

interface GatewaySettings {
  api: ApiIdentity;
  catalog: RouteCatalog;
  loadHandler: HandlerLoader;
  jwks: (() => unknown) | undefined;
  maxBodyBytes: number;
  integrationTimeoutMs: number;
  authorizerTimeoutMs: number;
  log: (line: string) => void;
  commitBarrier: (() => Promise<void>) | undefined;
  localRoutes: LocalGatewayOptions['localRoutes'];
  port: number;
}

/** A host as it appears in a URL: wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(address: string): string {
  if (address === '::' || address === '0.0.0.0') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/** Listens on every host with one port (the first host picks it when `port` is 0). */
async function listenOnAll(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  hosts: string[],
  port: number,
): Promise<Server[]> {
  const servers: Server[] = [];
  let chosen = port;
  for (const [index, host] of hosts.entries()) {
    const server = createServer(listener);
    answerUnservableRequests(server);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(chosen, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A machine without IPv6 (or IPv4) loopback still serves the other family.
      if (index > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      if (code === 'EADDRINUSE') throw new PortInUseError(chosen);
      throw error;
    }
    const address = server.address();
    if (typeof address === 'object' && address) chosen = address.port;
    servers.push(server);
  }
  return servers;
}

/**
 * Requests Node answers itself unless told otherwise: a target its parser refuses gets the gateway's
 * 400 problem instead of a bare 400, and `CONNECT` the same instead of a dropped connection. Other
 * parse errors keep Node's own answers.
 */
function answerUnservableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_INVALID_URL') socket.end(badTargetAnswer(randomUUID(), ''));
    else if (error.code === 'HPE_HEADER_OVERFLOW')
      socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  server.on('connect', (req: IncomingMessage, socket) => {
    socket.end(badTargetAnswer(randomUUID(), req.method ?? 'CONNECT'));
  });
}

async function handle(settings: GatewaySettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = randomUUID();
  const target = req.url ?? '/';
  const url = parseRequestTarget(target);
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url?.pathname ?? target;
  const reply = new Reply(res, requestId, method, path);
  res.on('finish', () => settings.log(`${method} ${path} → ${res.statusCode} (${Date.now() - started} ms)`));
  if (!url) {
    // Drained first, as for any other answer, so the client reads the 400 rather than a reset.
    await readBody(req, 0);
    reply.gatewayResponse('DEFAULT_4XX', undefined, 400, BAD_TARGET_MESSAGE);
    return;
  }

  if (settings.localRoutes && (await settings.localRoutes(req, res, path))) return;
  if (method === 'GET' && path === '/.well-known/jwks.json' && settings.jwks) {
    reply.json(200, settings.jwks());
    return;
  }
  // The OpenAPI document and its reference page need no credentials, as in the deployed API.
  const docs = docsAnswer(settings.catalog, method, path);
  if (docs) {
    res.writeHead(docs.status, { ...docs.headers, 'x-amzn-RequestId': requestId, 'x-request-id': requestId });
    res.end(method === 'HEAD' ? undefined : docs.body);
    return;
  }

  const body = await readBody(req, settings.maxBodyBytes);
  if (body === 'too-large') {
    reply.gatewayResponse('REQUEST_TOO_LARGE');
    return;
  }

  const request: IncomingRequest = {
    requestId,
    method,
    path,
    rawHeaders: req.rawHeaders,
    query: [...url.searchParams.entries()],
    sourceIp: peerAddress(req),
    body,
    receivedAt: new Date(started),
  };
  let match: ReturnType<RouteCatalog['match']>;
  try {
    match = settings.catalog.match(method, path);
  } catch (error) {
    // A path parameter with broken percent-encoding (`%E0%A4%A`) cannot be decoded: API Gateway's 400.
    if (!(error instanceof URIError)) throw error;
    reply.gatewayResponse('DEFAULT_4XX', undefined, 400, 'The request path is not valid percent-encoding.');
    return;
  }
  if (!match && path === '/') {
    // The catch-all `/{proxy+}` needs at least one segment, so API Gateway has no method for `/`.
    reply.gatewayResponse('MISSING_AUTHENTICATION_TOKEN');
    return;
  }
  const matched: MatchedResource = match
    ? { resource: settings.catalog.gatewayPath(match.route), pathParameters: match.pathParameters }
    : { resource: CATCH_ALL_RESOURCE, pathParameters: { proxy: path.slice(1) } };

  const verdict = await authorize(settings, request, matched);
  if (verdict.kind === 'reject') {
    reply.gatewayResponse(verdict.type, verdict.reason);
    return;
  }
  if (!match) {
    // Only a misbehaving authorizer allows a route outside the catalog; the deployed API has nothing behind it.
    reply.gatewayResponse('MISSING_AUTHENTICATION_TOKEN');
    return;
  }
  await integrate(settings, reply, request, matched, match.route, verdict.context);
}

type AuthorizerVerdict =
  | { kind: 'allow'; context: Record<string, string | number> }
  | { kind: 'reject'; type: GatewayResponseType; reason?: string };

/** Runs the REQUEST authorizer and decides as API Gateway does. */
async function authorize(
  settings: GatewaySettings,
  request: IncomingRequest,
  matched: MatchedResource,
): Promise<AuthorizerVerdict> {
  const event = buildAuthorizerEvent(settings.api, request, matched, settings.port);
  let result: unknown;
  try {
    const authorizer = await settings.loadHandler('authorizer');
    const context = lambdaContext(
      settings.api,
      'keygate-authorizer',
      randomUUID(),
      settings.authorizerTimeoutMs,
    );
    result = await withTimeout(authorizer(event, context), settings.authorizerTimeoutMs);
  } catch (error) {
    // API Gateway answers 401 exactly when the authorizer fails with the message "Unauthorized".
    if (error instanceof Error && error.message === 'Unauthorized')
      return { kind: 'reject', type: 'UNAUTHORIZED' };
    settings.log(`authorizer failed: ${describe(error)}`);
    return { kind: 'reject', type: 'AUTHORIZER_FAILURE' };
  }
  const output = authorizerOutput(result);
  if (typeof output === 'string') {
    settings.log(`authorizer returned an invalid result: ${output}`);
    return { kind: 'reject', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
  }
  const decision = evaluatePolicy(output.policyDocument, event.methodArn);
  if (decision.outcome === 'malformed') {
    settings.log(`authorizer returned an invalid policy: ${decision.problem}`);
    return { kind: 'reject', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
  }
  if (decision.outcome === 'deny') {
    const reason = output.context.reason;
    return {
      kind: 'reject',
      type: 'ACCESS_DENIED',
      ...(reason === undefined ? {} : { reason: String(reason) }),
    };
  }
  return { kind: 'allow', context: { ...output.context, principalId: output.principalId } };
}

/**
 * Validates the authorizer's output: a `principalId` string, a `policyDocument`, and a flat context
 * whose values API Gateway passes on as strings (objects and arrays make it fail the request).
 */
function authorizerOutput(
  result: unknown,
): { principalId: string; policyDocument: unknown; context: Record<string, string> } | string {
  if (typeof result !== 'object' || result === null) return 'not an object';
  const { principalId, policyDocument, context } = result as Record<string, unknown>;
  if (typeof principalId !== 'string' || principalId.length === 0)
    return 'principalId is not a non-empty string';
  if (policyDocument === undefined) return 'policyDocument is missing';
  const flat: Record<string, string> = {};
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object' || Array.isArray(context)) return 'context is not an object';
    for (const [name, value] of Object.entries(context)) {
      if (value === null || value === undefined) continue;
      if (!['string', 'number', 'boolean'].includes(typeof value))
        return `context.${name} is not a string, number or boolean`;
      flat[name] = String(value);
    }
  }
  return { principalId, policyDocument, context: flat };
}

/** Invokes the integration Lambda with a proxy event and writes its result. */
async function integrate(
  settings: GatewaySettings,
  reply: Reply,
  request: IncomingRequest,
  matched: MatchedResource,
  route: CatalogRoute,
  authorizerContext: Record<string, string | number>,
): Promise<void> {
  const name = route.kind === 'management' ? route.handler : 'echo';
  if (!name) {
    settings.log(`route ${route.id} has no handler`);
    reply.gatewayResponse('DEFAULT_5XX');
    return;
  }
  let handler: LambdaHandler;
  try {
    handler = await settings.loadHandler(name);
  } catch (error) {
    // Like a Lambda API Gateway may not invoke: a 500, and the reason in the log.
    settings.log(`cannot load functions/${name}: ${describe(error)}`);
    reply.gatewayResponse('DEFAULT_5XX');
    return;
  }
  const event = buildProxyEvent(settings.api, request, matched, settings.port, {
    ...authorizerContext,
    integrationLatency: Date.now() - request.receivedAt.getTime(),
  });
  const context = lambdaContext(settings.api, `keygate-${name}`, randomUUID(), settings.integrationTimeoutMs);
  let result: unknown;
  try {
    result = await withTimeout(handler(event, context), settings.integrationTimeoutMs);
  } catch (error) {
    if (error instanceof TimeoutError) {
      reply.gatewayResponse('DEFAULT_5XX', undefined, 504);
      return;
    }
    // A Lambda that fails: API Gateway answers 502 (its DEFAULT_5XX response).
    settings.log(`functions/${name} failed: ${describe(error)}`);
    reply.gatewayResponse('DEFAULT_5XX', undefined, 502);
    return;
  }
  const response = proxyResult(result);
  if (typeof response === 'string') {
    settings.log(`functions/${name} returned a malformed proxy response: ${response}`);
    reply.gatewayResponse('DEFAULT_5XX', undefined, 502);
    return;
  }
  if (settings.commitBarrier && route.kind === 'management' && !READ_ONLY_METHODS.has(request.method)) {
    try {
      await settings.commitBarrier();
    } catch (error) {
      settings.log(`the database did not confirm the write of functions/${name}: ${describe(error)}`);
      reply.gatewayResponse('DEFAULT_5XX', undefined, 502);
      return;
    }
  }
  reply.proxy(response);
}

/** Methods that never write, so their answers need no commit barrier. */
const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface ProxyResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: Buffer;
}

/**
 * Reads a Lambda proxy result as API Gateway does: `statusCode`, `headers` and `multiValueHeaders`
 * merged (a name in `multiValueHeaders` replaces the same name in `headers`), and a text or base64 body.
 */
function proxyResult(result: unknown): ProxyResponse | string {
  if (typeof result !== 'object' || result === null) return 'not an object';
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return 'statusCode is not an HTTP status';
  }
  if (body !== undefined && body !== null && typeof body !== 'string') return 'body is not a string';
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean')
    return 'isBase64Encoded is not a boolean';
  const merged: Record<string, string[]> = {};
  const lowerNames = new Map<string, string>();
  const put = (name: string, values: string[]) => {
    const existing = lowerNames.get(name.toLowerCase());
    if (existing) delete merged[existing];
    lowerNames.set(name.toLowerCase(), name);
    merged[name] = values;
  };
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object') return 'headers is not an object';
    for (const [name, value] of Object.entries(headers)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') return `headers.${name} is not a scalar`;
      put(name, [String(value)]);
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (typeof multiValueHeaders !== 'object') return 'multiValueHeaders is not an object';
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values)) return `multiValueHeaders.${name} is not a list`;
      put(name, values.map(String));
    }
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers: merged,
    body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

/** Writes responses with the headers API Gateway adds to every answer. */
class Reply {
  constructor(
    private readonly res: ServerResponse,
    private readonly requestId: string,
    private readonly method: string,
    private readonly path: string,
  ) {}

  private base(): Record<string, string> {
    return { 'x-amzn-RequestId': this.requestId, 'x-request-id': this.requestId };
  }

  json(status: number, document: unknown): void {
    const body = JSON.stringify(document);
    this.res.writeHead(status, { ...this.base(), 'content-type': 'application/json' });
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }

  gatewayResponse(type: GatewayResponseType, reason?: string, status?: number, message?: string): void {
    const rendered = renderGatewayResponse(type, {
      requestId: this.requestId,
      httpMethod: this.method,
      path: this.path,
      ...(reason === undefined ? {} : { reason }),
      ...(status === undefined ? {} : { status }),
      ...(message === undefined ? {} : { message }),
    });
    this.res.writeHead(rendered.statusCode, {
      ...this.base(),
      'content-type': rendered.contentType,
      'x-amzn-ErrorType': ERROR_TYPES[type],
    });
    this.res.end(this.method === 'HEAD' ? undefined : rendered.body);
  }

  proxy(response: ProxyResponse): void {
    for (const [name, values] of Object.entries(response.headers)) {
      // Hop-by-hop and length headers are the server's business, as behind API Gateway.
      if (['content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase())) continue;
      this.res.setHeader(name, values);
    }
    for (const [name, value] of Object.entries(this.base())) this.res.setHeader(name, value);
    this.res.writeHead(response.statusCode);
    this.res.end(this.method === 'HEAD' || response.statusCode === 204 ? undefined : response.body);
  }
}

/**
 * Reads the request body, keeping at most `limit` bytes; past that the rest is drained (so the client
 * reads the 413 instead of a reset connection) and `'too-large'` is returned.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : size === 0 ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The TCP peer's address as API Gateway reports it: IPv4-mapped IPv6 (`::ffff:127.0.0.1`) unwrapped. */
export function peerAddress(req: Pick<IncomingMessage, 'socket'>): string {
  const raw = req.socket.remoteAddress ?? '';
  return ipaddr.isValid(raw) ? ipaddr.process(raw).toString() : raw;
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
