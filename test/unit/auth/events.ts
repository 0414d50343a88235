import type { APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';

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

/** Enough of a Lambda context for middy and Powertools. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'keygate-authorizer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:keygate-authorizer',
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req-1',
    logGroupName: '/aws/lambda/keygate-authorizer',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 3000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Decides a method ARN against an authorizer policy as API Gateway does: an explicit Deny wins,
 * otherwise an Allow must match; `*` matches any characters (including `/`) in IAM resources.
 */
export function policyAllows(
  policy: { Statement: Array<{ Effect: string; Resource: string | string[] }> },
  methodArn: string,
): boolean {
  const matches = (resource: string | string[]) =>
    (Array.isArray(resource) ? resource : [resource]).some((pattern) =>
      new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(methodArn),
    );
  const applicable = policy.Statement.filter((statement) => matches(statement.Resource));
  if (applicable.some((statement) => statement.Effect === 'Deny')) return false;
  return applicable.some((statement) => statement.Effect === 'Allow');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
