import { describe, expect, it } from 'vitest';
import {
  buildAuthorizerEvent,
  buildProxyEvent,
  headerMaps,
  type IncomingRequest,
  isTextContentType,
  LOCAL_API,
  lambdaContext,
  methodArn,
  queryMaps,
  requestTime,
} from '../../../local/api-gateway-events.js';

const request = (overrides: Partial<IncomingRequest> = {}): IncomingRequest => ({
  requestId: 'c0ffee00-0000-4000-8000-000000000001',
  method: 'GET',
  path: '/v1/api-keys/k-123',
  rawHeaders: ['Host', 'localhost:3000', 'Authorization', 'Bearer x', 'User-Agent', 'curl/8'],
  query: [],
  sourceIp: '127.0.0.1',
  body: undefined,
  receivedAt: new Date('2025-03-04T05:06:07Z'),
  ...overrides,
});
const matched = { resource: '/v1/api-keys/{id}', pathParameters: { id: 'k-123' } };

describe('methodArn', () => {
  it('is arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path without its leading slash>', () => {
    expect(methodArn(LOCAL_API, 'GET', '/v2/conversations/channels/')).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:keygatelocal/local/GET/v2/conversations/channels/',
    );
  });
});

describe('headerMaps', () => {
  it('keeps every value of a repeated header in multiValueHeaders and the last in headers, under the first spelling', () => {
    const { headers, multiValueHeaders } = headerMaps(
      { rawHeaders: ['X-Api-Key', 'a', 'x-api-key', 'b', 'Accept', '*/*'], sourceIp: '::1' },
      3000,
    );
    expect(headers['X-Api-Key']).toBe('b');
    expect(multiValueHeaders['X-Api-Key']).toEqual(['a', 'b']);
    expect(headers).not.toHaveProperty('x-api-key');
    expect(headers.Accept).toBe('*/*');
  });

  it('adds X-Forwarded-For (appending the peer to a client-sent chain), -Port and -Proto', () => {
    const plain = headerMaps({ rawHeaders: [], sourceIp: '::1' }, 3000).headers;
    expect(plain).toMatchObject({
      'X-Forwarded-For': '::1',
      'X-Forwarded-Port': '3000',
      'X-Forwarded-Proto': 'http',
    });
    const chained = headerMaps(
      { rawHeaders: ['x-forwarded-for', '10.0.0.1'], sourceIp: '127.0.0.1' },
      80,
    ).headers;
    expect(chained['X-Forwarded-For']).toBe('10.0.0.1, 127.0.0.1');
    expect(chained).not.toHaveProperty('x-forwarded-for');
  });
});

describe('a header or query parameter named like an Object.prototype member', () => {
  it('is data, as in the event API Gateway sends (JSON.parse makes it an own property)', () => {
    const { headers, multiValueHeaders } = headerMaps(
      {
        rawHeaders: ['__proto__', 'a', '__Proto__', 'b', 'constructor', 'c', 'Accept', '*/*'],
        sourceIp: '::1',
      },
      3000,
    );
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(multiValueHeaders)).toBe(Object.prototype);
    expect(Object.hasOwn(headers, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(headers))).toEqual(
      JSON.parse(
        '{"__proto__":"b","constructor":"c","Accept":"*/*","X-Forwarded-For":"::1","X-Forwarded-Port":"3000","X-Forwarded-Proto":"http"}',
      ),
    );
    expect(JSON.stringify(multiValueHeaders)).toContain('"__proto__":["a","b"]');

    const { queryStringParameters, multiValueQueryStringParameters } = queryMaps([
      ['__proto__', '1'],
      ['__proto__', '2'],
      ['length', '3'],
    ]);
    expect(JSON.stringify(queryStringParameters)).toBe('{"__proto__":"2","length":"3"}');
    expect(JSON.stringify(multiValueQueryStringParameters)).toBe('{"__proto__":["1","2"],"length":["3"]}');
  });
});

describe('queryMaps', () => {
  it('is null without a query string', () => {
    expect(queryMaps([])).toEqual({ queryStringParameters: null, multiValueQueryStringParameters: null });
  });

  it('keeps the last value of a repeated parameter in the single map and all in the multi map', () => {
    expect(
      queryMaps([
        ['limit', '5'],
        ['limit', '7'],
        ['cursor', 'a b'],
      ]),
    ).toEqual({
      queryStringParameters: { limit: '7', cursor: 'a b' },
      multiValueQueryStringParameters: { limit: ['5', '7'], cursor: ['a b'] },
    });
  });
});

describe('buildAuthorizerEvent', () => {
  it('has the REQUEST authorizer shape API Gateway sends', () => {
    const event = buildAuthorizerEvent(LOCAL_API, request({ query: [['limit', '5']] }), matched, 3000);
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:keygatelocal/local/GET/v1/api-keys/k-123',
      resource: '/v1/api-keys/{id}',
      path: '/v1/api-keys/k-123',
      httpMethod: 'GET',
      pathParameters: { id: 'k-123' },
      queryStringParameters: { limit: '5' },
      multiValueQueryStringParameters: { limit: ['5'] },
      stageVariables: {},
      requestContext: {
        accountId: '123456789012',
        apiId: 'keygatelocal',
        stage: 'local',
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        resourcePath: '/v1/api-keys/{id}',
        httpMethod: 'GET',
        path: '/local/v1/api-keys/k-123',
        requestTimeEpoch: Date.parse('2025-03-04T05:06:07Z'),
        requestTime: '04/Mar/2025:05:06:07 +0000',
        identity: { sourceIp: '127.0.0.1', userAgent: 'curl/8' },
      },
    });
    expect(event.headers?.Authorization).toBe('Bearer x');
    expect(event.multiValueHeaders?.Authorization).toEqual(['Bearer x']);
    expect(event.requestContext.authorizer).toBeUndefined();
  });
});

describe('buildProxyEvent', () => {
  it('carries the authorizer context, the path parameters and a text body as is', () => {
    const event = buildProxyEvent(
      LOCAL_API,
      request({
        method: 'PATCH',
        rawHeaders: ['Content-Type', 'application/json; charset=utf-8'],
        body: Buffer.from('{"name":"é"}'),
      }),
      matched,
      3000,
      { principalId: 'k-1', companyId: 'acme', integrationLatency: 3 },
    );
    expect(event).toMatchObject({
      resource: '/v1/api-keys/{id}',
      httpMethod: 'PATCH',
      pathParameters: { id: 'k-123' },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      stageVariables: null,
      body: '{"name":"é"}',
      isBase64Encoded: false,
      requestContext: { authorizer: { principalId: 'k-1', companyId: 'acme', integrationLatency: 3 } },
    });
  });

  it('base64-encodes a binary body and gives null for no body and no path parameters', () => {
    const binary = buildProxyEvent(
      LOCAL_API,
      request({ rawHeaders: ['content-type', 'application/octet-stream'], body: Buffer.from([0, 255, 1]) }),
      { resource: '/v2/company', pathParameters: {} },
      3000,
      {},
    );
    expect(binary).toMatchObject({ body: 'AP8B', isBase64Encoded: true, pathParameters: null });
    const empty = buildProxyEvent(LOCAL_API, request(), matched, 3000, {});
    expect(empty).toMatchObject({ body: null, isBase64Encoded: false });
  });
});

describe('isTextContentType', () => {
  it.each([
    [undefined, true],
    ['application/json', true],
    ['application/problem+json', true],
    ['text/plain; charset=utf-8', true],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream', false],
    ['image/png', false],
  ])('%s → %s', (type, text) => {
    expect(isTextContentType(type)).toBe(text);
  });
});

describe('lambdaContext', () => {
  it('looks like the Node.js runtime context and counts down the remaining time', () => {
    const context = lambdaContext(LOCAL_API, 'keygate-echo', 'req-1', 10_000);
    expect(context).toMatchObject({
      functionName: 'keygate-echo',
      functionVersion: '$LATEST',
      awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:keygate-echo',
      logGroupName: '/aws/lambda/keygate-echo',
    });
    const remaining = context.getRemainingTimeInMillis();
    expect(remaining).toBeGreaterThan(9_000);
    expect(remaining).toBeLessThanOrEqual(10_000);
    expect(() => context.succeed('x')).toThrow(/not supported/);
  });
});

describe('requestTime', () => {
  it('pads every field', () => {
    expect(requestTime(new Date('2024-01-02T03:04:05Z'))).toBe('02/Jan/2024:03:04:05 +0000');
  });
});
