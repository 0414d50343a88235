import type {
  APIGatewayEventIdentity,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { boundedMemo } from './bounded-memo.js';

/**
 * Builders of the events API Gateway (REST API, v1 payload) hands to Lambda: the REQUEST authorizer
 * event and the proxy integration event. Pure functions of the incoming request, so their shape is
 * unit-tested apart from the HTTP server. The one builder: local mode's gateway, the bench and the
 * functions' tests (`test/support/api-gateway-events.ts`) all build their events here.
 */

/** Where the local API "is deployed": the parts of the method ARN and request context. */
export interface ApiIdentity {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
}

export const LOCAL_API: ApiIdentity = {
  region: 'us-east-1',
  accountId: '123456789012',
  apiId: 'keygatelocal',
  stage: 'local',
};

/** An HTTP request as the gateway read it, before routing. */
export interface IncomingRequest {
  requestId: string;
  method: string;
  /** URL path as sent, e.g. `/v2/conversations/channels/`. */
  path: string;
  /** Raw `[name, value, name, value, …]` pairs as Node gives them (`IncomingMessage.rawHeaders`). */
  rawHeaders: string[];
  /** Query string pairs in order, already URL-decoded. */
  query: Array<[string, string]>;
  /** The TCP peer's address, IPv4-mapped IPv6 addresses unwrapped (`127.0.0.1`, `::1`). */
  sourceIp: string;
  /** The request body, or undefined when there is none. */
  body: Buffer | undefined;
  receivedAt: Date;
}

/** The API Gateway resource the request matched (`/v1/api-keys/{id}`, or the catch-all `/{proxy+}`). */
export interface MatchedResource {
  resource: string;
  pathParameters: Record<string, string>;
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path without its leading slash>`. */
export function methodArn(api: ApiIdentity, method: string, path: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${method}/${path.startsWith('/') ? path.slice(1) : path}`;
}

/**
 * Single- and multi-value header maps. API Gateway keeps the first spelling of a name, lists every
 * value in `multiValueHeaders` and the last one in `headers`; it adds the X-Forwarded-* headers.
 */
export function headerMaps(
  request: Pick<IncomingRequest, 'rawHeaders' | 'sourceIp'>,
  localPort: number,
): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const { headers, multiValueHeaders } = spelledHeaderMaps(request, localPort);
  return { headers, multiValueHeaders };
}

/** `headerMaps`, and each name's spelling by its lower case (to read a header without a scan). */
function spelledHeaderMaps(
  request: Pick<IncomingRequest, 'rawHeaders' | 'sourceIp'>,
  localPort: number,
): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  spelling: Map<string, string>;
} {
  // Plain loops, no copies: the gateway builds these twice per request (authorizer and integration).
  const multiValueHeaders: Record<string, string[]> = {};
  const spelling = new Map<string, string>();
  const { rawHeaders } = request;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const lower = name.toLowerCase();
    const key = spelling.get(lower);
    if (key === undefined) {
      spelling.set(lower, name);
      setOwn(multiValueHeaders, name, [rawHeaders[i + 1] as string]);
    } else (multiValueHeaders[key] as string[]).push(rawHeaders[i + 1] as string);
  }
  const forwardedFor = spelling.get('x-forwarded-for');
  const chain = forwardedFor ? multiValueHeaders[forwardedFor]?.at(-1) : undefined;
  setOnly(
    multiValueHeaders,
    spelling,
    'X-Forwarded-For',
    chain ? `${chain}, ${request.sourceIp}` : request.sourceIp,
  );
  setOnly(multiValueHeaders, spelling, 'X-Forwarded-Port', String(localPort));
  setOnly(multiValueHeaders, spelling, 'X-Forwarded-Proto', 'http');
  const headers: Record<string, string> = {};
  for (const name of Object.keys(multiValueHeaders)) {
    const values = multiValueHeaders[name] as string[];
    setOwn(headers, name, values[values.length - 1] as string);
  }
  return { headers, multiValueHeaders, spelling };
}

/**
 * `target[name] = value` as an own property whatever the name: a header or query parameter called
 * `__proto__` is data in API Gateway's event (the Lambda runtime's `JSON.parse` makes it an own
 * property), where plain assignment would replace the map's prototype instead.
 */
function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  } else target[name] = value;
}

function setOnly(
  multiValueHeaders: Record<string, string[]>,
  spelling: Map<string, string>,
  name: string,
  value: string,
) {
  const existing = spelling.get(name.toLowerCase());
  if (existing) delete multiValueHeaders[existing];
  spelling.set(name.toLowerCase(), name);
  setOwn(multiValueHeaders, name, [value]);
}

/** Single- and multi-value query maps (last value wins in the single map), or nulls when there is no query. */
export function queryMaps(query: Array<[string, string]>): {
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
} {
  if (query.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const multi: Record<string, string[]> = {};
  const single: Record<string, string> = {};
  for (const [name, value] of query) {
    const values = Object.hasOwn(multi, name) ? multi[name] : undefined;
    if (values === undefined) setOwn(multi, name, [value]);
    else values.push(value);
    setOwn(single, name, value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

function identity(request: IncomingRequest, userAgent: string | undefined): APIGatewayEventIdentity {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: userAgent ?? null,
    userArn: null,
  } as APIGatewayEventIdentity;
}

/** `09/Apr/2015:12:34:56 +0000`, the format of `requestContext.requestTime`. */
export function requestTime(date: Date): string {
  // Both events of a request, and most requests of a second, carry the same string.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastRequestTime.second) lastRequestTime = { second, text: formatRequestTime(date) };
  return lastRequestTime.text;
}

let lastRequestTime = { second: Number.NaN, text: '' };

function formatRequestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function requestContext<T>(
  api: ApiIdentity,
  request: IncomingRequest,
  matched: MatchedResource,
  userAgent: string | undefined,
  authorizer: T,
  host: string | undefined,
): APIGatewayEventRequestContextWithAuthorizer<T> {
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    authorizer,
    domainName: host ?? 'localhost',
    domainPrefix: (host ?? 'localhost').split('.')[0] ?? 'localhost',
    extendedRequestId: request.requestId,
    httpMethod: request.method,
    identity: identity(request, userAgent),
    path: `/${api.stage}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    resourceId: resourceId(matched.resource),
    resourcePath: matched.resource,
    stage: api.stage,
  };
}

/**
 * A stable, API Gateway-looking resource id (6 lowercase alphanumerics) derived from the resource
 * path; remembered, as the resources are the catalog's and the catch-all.
 */
const resourceId = boundedMemo((resource) => {
  let hash = 2166136261;
  for (const char of resource) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(-6);
}, 10_000);

/** A header's last value by its lower-case name, through the spelling `spelledHeaderMaps` kept. */
function headerValue(
  maps: { headers: Record<string, string>; spelling: Map<string, string> },
  name: string,
): string | undefined {
  const key = maps.spelling.get(name);
  return key === undefined ? undefined : maps.headers[key];
}

/** The REQUEST authorizer event API Gateway sends for this request. */
export function buildAuthorizerEvent(
  api: ApiIdentity,
  request: IncomingRequest,
  matched: MatchedResource,
  localPort: number,
): APIGatewayRequestAuthorizerEvent {
  const maps = spelledHeaderMaps(request, localPort);
  const { headers, multiValueHeaders } = maps;
  const { queryStringParameters, multiValueQueryStringParameters } = queryMaps(request.query);
  return {
    type: 'REQUEST',
    methodArn: methodArn(api, request.method, request.path),
    resource: matched.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: queryStringParameters ?? {},
    multiValueQueryStringParameters: multiValueQueryStringParameters ?? {},
    pathParameters: matched.pathParameters,
    stageVariables: {},
    requestContext: requestContext(
      api,
      request,
      matched,
      headerValue(maps, 'user-agent'),
      undefined,
      headerValue(maps, 'host'),
    ),
  };
}

/** Content types API Gateway passes as text; anything else reaches the integration base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/javascript' ||
    type === ''
  );
}

/** The REST (v1) proxy integration event, with the authorizer's context as API Gateway passes it on. */
export function buildProxyEvent(
  api: ApiIdentity,
  request: IncomingRequest,
  matched: MatchedResource,
  localPort: number,
  /** `null`: no authorizer context at all (only tests build that: a gateway fault). */
  authorizer: Record<string, string | number> | null,
): APIGatewayProxyEvent {
  const maps = spelledHeaderMaps(request, localPort);
  const { headers, multiValueHeaders } = maps;
  const { queryStringParameters, multiValueQueryStringParameters } = queryMaps(request.query);
  const text = isTextContentType(headerValue(maps, 'content-type'));
  const hasBody = request.body !== undefined && request.body.length > 0;
  return {
    resource: matched.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: Object.keys(matched.pathParameters).length > 0 ? matched.pathParameters : null,
    stageVariables: null,
    requestContext: requestContext(
      api,
      request,
      matched,
      headerValue(maps, 'user-agent'),
      authorizer,
      headerValue(maps, 'host'),
    ),
    body: hasBody ? (request.body as Buffer).toString(text ? 'utf8' : 'base64') : null,
    isBase64Encoded: hasBody && !text,
  };
}

/**
 * A Lambda context object like the Node.js runtime's: middy, Powertools and handlers read
 * `awsRequestId`, `functionName` and `getRemainingTimeInMillis()`. A class, so the gateway's two
 * invocations per request share its methods instead of making closures.
 */
export function lambdaContext(
  api: ApiIdentity,
  functionName: string,
  awsRequestId: string,
  timeoutMs: number,
): Context {
  return new LocalLambdaContext(api, functionName, awsRequestId, Date.now() + timeoutMs);
}

class LocalLambdaContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = true;
  readonly functionVersion = '$LATEST';
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB = '256';
  readonly logGroupName: string;
  /** `2026/12/02/[$LATEST]<request id without dashes>`, as the runtime names a stream. */
  readonly logStreamName: string;

  constructor(
    api: ApiIdentity,
    readonly functionName: string,
    readonly awsRequestId: string,
    private readonly deadline: number,
  ) {
    this.invokedFunctionArn = `arn:aws:lambda:${api.region}:${api.accountId}:function:${functionName}`;
    this.logGroupName = `/aws/lambda/${functionName}`;
    this.logStreamName = `${today()}/[$LATEST]${awsRequestId.replaceAll('-', '')}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  done(): never {
    return unsupportedCompletion();
  }

  fail(): never {
    return unsupportedCompletion();
  }

  succeed(): never {
    return unsupportedCompletion();
  }
}

/** Today's UTC date as `2026/12/02`, worked out once a day. */
function today(): string {
  const day = Math.floor(Date.now() / 86_400_000);
  if (day !== lastDay.day) {
    lastDay = { day, text: new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '/') };
  }
  return lastDay.text;
}

let lastDay = { day: Number.NaN, text: '' };

function unsupportedCompletion(): never {
  throw new Error('callback-style Lambda completion is not supported; return a promise');
}
