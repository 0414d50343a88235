import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { encodeCaller } from '../../shared/adapters/apigateway/authorizer-context.js';
import type { Caller } from '../../shared/domain/auth/caller.js';
import { CATALOG } from './catalog.js';

/**
 * Builds API Gateway REST (v1) proxy events as the deployed gateway hands them to a management
 * Lambda behind the REQUEST authorizer: `resource` and `pathParameters` from the route catalog,
 * the authorizer's context (plus the `principalId` and `integrationLatency` API Gateway adds) in
 * `requestContext.authorizer`, single- and multi-value headers and query parameters.
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
  isBase64Encoded?: boolean;
}

export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const matched = CATALOG.match(request.method, request.path);
  if (matched === undefined) throw new Error(`no catalog route for ${request.method} ${request.path}`);
  const hasBody = request.body !== undefined;
  const headers: Record<string, string> = {
    Host: 'api.keygate.test',
    'User-Agent': 'keygate-tests',
    ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
    ...request.headers,
  };
  const query = Object.entries(request.query ?? {});
  const requestId = randomUUID();
  return {
    httpMethod: request.method,
    path: request.path,
    resource: CATALOG.gatewayPath(matched.route),
    pathParameters: Object.keys(matched.pathParameters).length > 0 ? matched.pathParameters : null,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters:
      query.length > 0
        ? Object.fromEntries(
            query.map(([name, value]) => [name, Array.isArray(value) ? (value.at(-1) as string) : value]),
          )
        : null,
    multiValueQueryStringParameters:
      query.length > 0
        ? Object.fromEntries(query.map(([name, value]) => [name, Array.isArray(value) ? value : [value]]))
        : null,
    stageVariables: null,
    body: !hasBody ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
    isBase64Encoded: request.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'keygatetest',
      authorizer:
        request.caller === null
          ? null
          : { ...encodeCaller(request.caller), principalId: request.caller.companyId, integrationLatency: 3 },
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        sourceIp: '203.0.113.10',
        userAgent: 'keygate-tests',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/test${request.path}`,
      stage: 'test',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'abc123',
      resourcePath: CATALOG.gatewayPath(matched.route),
    },
  };
}

/** The method-ARN prefix of the stage the authorizer events come from. */
export const STAGE_BASE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';

/** A REST API REQUEST-authorizer event as API Gateway sends it. */
export function authorizerEvent(options: {
  method?: string;
  path?: string;
  resource?: string;
  headers?: Record<string, string>;
  sourceIp?: string;
}): APIGatewayRequestAuthorizerEvent {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/api/v1/pbx/colleagues/';
  const headers = options.headers ?? {};
  return {
    type: 'REQUEST',
    methodArn: `${STAGE_BASE}${method}${path}`,
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: { sourceIp: options.sourceIp ?? '203.0.113.7' },
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'req-1',
      requestTimeEpoch: 0,
      resourceId: 'r1',
      resourcePath: options.resource ?? path,
    } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
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
