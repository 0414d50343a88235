import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import {
  type ApiIdentity,
  buildAuthorizerEvent,
  buildProxyEvent,
  type IncomingRequest,
} from '../../local/api-gateway-events.js';
import { encodeCaller } from '../../shared/adapters/apigateway/authorizer-context.js';
import type { Caller } from '../../shared/domain/auth/caller.js';
import { CATALOG } from './catalog.js';

/**
 * API Gateway REST (v1) events for the functions' tests, built by local mode's own builder
 * (`local/api-gateway-events.ts`, the one builder): a proxy event as the deployed gateway hands it to
 * a management Lambda behind the REQUEST authorizer (`resource` and `pathParameters` from the route
 * catalog, the authorizer's context plus the `principalId` and `integrationLatency` API Gateway adds),
 * and the authorizer's own event.
 */
export interface ProxyRequest {
  method: string;
  /** Request path, e.g. `/v1/api-keys/0190…`; must match a catalog route. */
  path: string;
  /** Who the authorizer said is calling; `null` leaves out the authorizer context (a gateway fault). */
  caller: Caller | null;
  /** Query parameters; an array gives a repeated parameter. */
  query?: Record<string, string | string[]>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The body string is already base64 (a binary body as API Gateway passes it). */
  isBase64Encoded?: boolean;
}

/** The stage the proxy events come from. */
const TEST_API: ApiIdentity = {
  region: 'us-east-1',
  accountId: '123456789012',
  apiId: 'keygatetest',
  stage: 'test',
};

/** Raw `[name, value, …]` pairs, as Node reads them off the wire. */
const rawHeaders = (headers: Record<string, string>): string[] => Object.entries(headers).flat();

export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const matched = CATALOG.match(request.method, request.path);
  if (matched === undefined) throw new Error(`no catalog route for ${request.method} ${request.path}`);
  const hasBody = request.body !== undefined;
  const text = !hasBody
    ? undefined
    : typeof request.body === 'string'
      ? request.body
      : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    Host: 'api.keygate.test',
    'User-Agent': 'keygate-tests',
    ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
    ...request.headers,
  };
  const incoming: IncomingRequest = {
    requestId: randomUUID(),
    method: request.method,
    path: request.path,
    rawHeaders: rawHeaders(headers),
    query: Object.entries(request.query ?? {}).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((one): [string, string] => [name, one]),
    ),
    sourceIp: '203.0.113.10',
    body: text === undefined ? undefined : Buffer.from(text, request.isBase64Encoded ? 'base64' : 'utf8'),
    receivedAt: new Date(),
  };
  const event = buildProxyEvent(
    TEST_API,
    incoming,
    { resource: CATALOG.gatewayPath(matched.route), pathParameters: matched.pathParameters },
    443,
    request.caller === null
      ? null
      : { ...encodeCaller(request.caller), principalId: request.caller.companyId, integrationLatency: 3 },
  );
  // A test states the encoding outright (e.g. a JSON body API Gateway passed base64-encoded).
  if (text !== undefined && request.isBase64Encoded !== undefined) {
    event.body = text;
    event.isBase64Encoded = request.isBase64Encoded;
  }
  return event;
}

/** Where the authorizer events come from: the parts of `STAGE_BASE`. */
const AUTHORIZER_API: ApiIdentity = {
  region: 'eu-west-1',
  accountId: '123456789012',
  apiId: 'abc123',
  stage: 'prod',
};

/** The method-ARN prefix of the stage the authorizer events come from. */
export const STAGE_BASE = `arn:aws:execute-api:${AUTHORIZER_API.region}:${AUTHORIZER_API.accountId}:${AUTHORIZER_API.apiId}/${AUTHORIZER_API.stage}/`;

/** A REST API REQUEST-authorizer event as API Gateway sends it. */
export function authorizerEvent(options: {
  method?: string;
  path?: string;
  resource?: string;
  headers?: Record<string, string>;
  sourceIp?: string;
}): APIGatewayRequestAuthorizerEvent {
  const path = options.path ?? '/api/v1/pbx/colleagues/';
  return buildAuthorizerEvent(
    AUTHORIZER_API,
    {
      requestId: 'req-1',
      method: options.method ?? 'GET',
      path,
      rawHeaders: rawHeaders(options.headers ?? {}),
      query: [],
      sourceIp: options.sourceIp ?? '203.0.113.7',
      body: undefined,
      receivedAt: new Date(0),
    },
    { resource: options.resource ?? path, pathParameters: {} },
    443,
  );
}

/** A Lambda context good enough for middy and the Powertools logger. */
export function lambdaContext(functionName = 'keygate-authorizer'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A Lambda entry point as the Node.js runtime calls it. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
