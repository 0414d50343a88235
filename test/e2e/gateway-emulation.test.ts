import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../local/functions.js';
import { type LocalGateway, startLocalGateway } from '../../local/gateway.js';
import { renderGatewayResponse } from '../../shared/adapters/apigateway/gateway-responses.js';
import { CATALOG } from '../support/catalog.js';

/**
 * The local gateway's own behaviour, over HTTP, with stand-in Lambdas: what API Gateway does with the
 * authorizer's answer (401/403/500), how it shapes events, and how it maps the integration's result.
 * The real handlers are exercised in the other e2e files.
 */

type Authorizer = (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;
type Integration = (event: APIGatewayProxyEvent) => Promise<unknown>;

const allowAll = (event: APIGatewayRequestAuthorizerEvent) => ({
  principalId: 'key-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }],
  },
  context: { companyId: 'acme', keyId: 'key-1', count: 3, flag: true },
});

let authorizer: Authorizer;
let integration: Integration;
const authorizerEvents: APIGatewayRequestAuthorizerEvent[] = [];
const integrationCalls: Array<{ name: string; event: APIGatewayProxyEvent; functionName: string }> = [];
let gateway: LocalGateway;
let managementCalls = 0;

beforeAll(async () => {
  gateway = await startLocalGateway({
    catalog: CATALOG,
    afterManagementCall: () => {
      managementCalls += 1;
    },
    maxBodyBytes: 64 * 1024,
    integrationTimeoutMs: 300,
    jwks: () => ({ keys: [{ kid: 'k', kty: 'RSA' }] }),
    loadHandler: async (name): Promise<LambdaHandler> => {
      if (name === 'authorizer') {
        return async (event) => {
          authorizerEvents.push(event as APIGatewayRequestAuthorizerEvent);
          return authorizer(event as APIGatewayRequestAuthorizerEvent);
        };
      }
      if (name === 'get-notification-settings') throw new Error('Cannot find module');
      return async (event, context) => {
        integrationCalls.push({
          name,
          event: event as APIGatewayProxyEvent,
          functionName: context.functionName,
        });
        return integration(event as APIGatewayProxyEvent);
      };
    },
  });
});

afterAll(() => gateway.close());

beforeEach(() => {
  authorizerEvents.length = 0;
  integrationCalls.length = 0;
  managementCalls = 0;
  authorizer = async (event) => allowAll(event);
  integration = async () => ({
    statusCode: 200,
    body: '{"ok":true}',
    headers: { 'content-type': 'application/json' },
  });
});

const call = (path: string, init: RequestInit = {}, base = gateway.url) => fetch(`${base}${path}`, init);

/** The body the deployed gateway response would have, for this answer's request id: a whole problem. */
async function expectGatewayResponse(
  response: Response,
  type: Parameters<typeof renderGatewayResponse>[0],
  extra: { reason?: string; method?: string } = {},
) {
  const requestId = response.headers.get('x-amzn-requestid') ?? '';
  const expected = renderGatewayResponse(type, {
    requestId,
    httpMethod: extra.method ?? 'GET',
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
  });
  expect(response.status).toBe(expected.statusCode);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await response.text();
  expect(body).toBe(expected.body);
  expect(JSON.parse(body)).toMatchObject({
    type: expect.stringMatching(/^https:\/\/keygate\.dev\/problems\/[a-z-]+$/),
    title: expect.any(String),
    status: response.status,
    detail: expect.any(String),
  });
  expect(response.headers.get('x-request-id')).toBe(requestId);
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe('authorizer outcomes', () => {
  it('answers 401 with the UNAUTHORIZED body when the authorizer fails with "Unauthorized"', async () => {
    authorizer = async () => {
      throw new Error('Unauthorized');
    };
    const response = await call('/v2/company/');
    await expectGatewayResponse(response, 'UNAUTHORIZED');
    expect(integrationCalls).toHaveLength(0);
  });

  it('answers 500 AUTHORIZER_FAILURE when the authorizer fails any other way (fails closed)', async () => {
    authorizer = async () => {
      throw new Error('DynamoDB unreachable');
    };
    await expectGatewayResponse(await call('/v2/company/'), 'AUTHORIZER_FAILURE');
    expect(integrationCalls).toHaveLength(0);
  });

  it("answers 403 with the context's reason on an explicit Deny", async () => {
    authorizer = async (event) => ({
      principalId: 'key-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: event.methodArn }],
      },
      context: { reason: 'the key lacks a scope covering "GET /v2/company/"' },
    });
    await expectGatewayResponse(await call('/v2/company/'), 'ACCESS_DENIED', {
      reason: 'the key lacks a scope covering "GET /v2/company/"',
    });
    expect(integrationCalls).toHaveLength(0);
  });

  it('answers 403 when the Allow covers other routes only', async () => {
    authorizer = async (event) => ({
      principalId: 'key-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: event.methodArn.replace('/GET/', '/POST/'),
          },
        ],
      },
    });
    await expectGatewayResponse(await call('/v2/company/'), 'ACCESS_DENIED');
  });

  it.each([
    ['a malformed policy', { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Maybe' }] } }],
    ['no principalId', { policyDocument: { Version: '2012-10-17', Statement: [] } }],
    [
      'a context value that is an object',
      { principalId: 'p', policyDocument: { Statement: [] }, context: { a: {} } },
    ],
    ['nothing', undefined],
  ])('answers 500 AUTHORIZER_CONFIGURATION_ERROR for %s', async (_, output) => {
    authorizer = async () => output;
    await expectGatewayResponse(await call('/v2/company/'), 'AUTHORIZER_CONFIGURATION_ERROR', {});
  });

  it('sends a route outside the catalog to the authorizer as the catch-all /{proxy+}', async () => {
    authorizer = async () => {
      throw new Error('Unauthorized');
    };
    const response = await call('/v9/not/a/route?x=1');
    expect(response.status).toBe(401);
    expect(authorizerEvents[0]).toMatchObject({
      resource: '/{proxy+}',
      path: '/v9/not/a/route',
      pathParameters: { proxy: 'v9/not/a/route' },
      queryStringParameters: { x: '1' },
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:keygatelocal/local/GET/v9/not/a/route',
    });
  });

  it('answers MISSING_AUTHENTICATION_TOKEN for / (no resource) and for an allowed route outside the catalog', async () => {
    await expectGatewayResponse(await call('/'), 'MISSING_AUTHENTICATION_TOKEN');
    expect(authorizerEvents).toHaveLength(0);
    await expectGatewayResponse(await call('/v9/else'), 'MISSING_AUTHENTICATION_TOKEN');
    expect(integrationCalls).toHaveLength(0);
  });
});

describe('integration', () => {
  it('routes a protected route to echo with the proxy event API Gateway builds', async () => {
    const response = await call('/v2/conversations/channels/?limit=2&limit=3', {
      headers: { 'X-API-Key': 'abc', 'User-Agent': 'test-agent' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(integrationCalls).toHaveLength(1);
    const { name, event, functionName } = integrationCalls[0] as (typeof integrationCalls)[number];
    expect(name).toBe('echo');
    expect(functionName).toBe('keygate-echo');
    expect(event).toMatchObject({
      resource: '/v2/conversations/channels',
      path: '/v2/conversations/channels/',
      httpMethod: 'GET',
      queryStringParameters: { limit: '3' },
      multiValueQueryStringParameters: { limit: ['2', '3'] },
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        resourcePath: '/v2/conversations/channels',
        stage: 'local',
        identity: { sourceIp: '127.0.0.1', userAgent: 'test-agent' },
        // Context values reach the integration as strings, with the principal id.
        authorizer: { principalId: 'key-1', companyId: 'acme', keyId: 'key-1', count: '3', flag: 'true' },
      },
    });
    // Header names arrive as the client spelled them; the value is there under some spelling.
    expect(Object.entries(event.headers).find(([name]) => name.toLowerCase() === 'x-api-key')?.[1]).toBe(
      'abc',
    );
    expect(event.requestContext.requestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(authorizerEvents[0]?.requestContext.requestId).toBe(event.requestContext.requestId);
    expect(managementCalls).toBe(0); // no management function ran: nothing for the stream poller
  });

  it('routes a management route to its Lambda with canonical path parameters', async () => {
    integration = async () => ({ statusCode: 204, body: '' });
    const response = await call('/v1/api-keys/key%201', { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(integrationCalls[0]).toMatchObject({
      name: 'delete-api-key',
      event: { resource: '/v1/api-keys/{id}', pathParameters: { id: 'key 1' }, httpMethod: 'DELETE' },
    });
    // Once it has answered: local mode's stream poller then looks for the audit items it wrote.
    expect(managementCalls).toBe(1);
  });

  it('passes a JSON body as text and a binary body base64-encoded', async () => {
    await call('/v1/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"ü"}',
    });
    expect(integrationCalls[0]?.event).toMatchObject({ body: '{"name":"ü"}', isBase64Encoded: false });
    await call('/v1/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 250]),
    });
    expect(integrationCalls[1]?.event).toMatchObject({ body: 'AQL6', isBase64Encoded: true });
  });

  it('maps status, single and multi-value headers and a base64 body back', async () => {
    integration = async () => ({
      statusCode: 201,
      headers: { 'content-type': 'application/octet-stream', 'x-single': 'a', 'Set-Cookie': 'ignored=1' },
      multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
      body: Buffer.from([7, 8, 9]).toString('base64'),
      isBase64Encoded: true,
    });
    const response = await call('/v2/company/');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-single')).toBe('a');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([7, 8, 9]);
  });

  it("answers HEAD with no body and the Content-Length the GET's answer has (RFC 9110 §9.3.2)", async () => {
    const get = await call('/v2/company/');
    expect(await get.text()).toBe('{"ok":true}');
    const head = await call('/v2/company/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(await head.text()).toBe('');
    expect(integrationCalls.map((c) => c.event.httpMethod)).toEqual(['GET', 'HEAD']);
  });

  it('announces no length on 204, for GET and HEAD', async () => {
    integration = async () => ({ statusCode: 204, body: '' });
    for (const method of ['GET', 'HEAD']) {
      const response = await call('/v2/company/', { method });
      expect(response.status).toBe(204);
      expect(response.headers.get('content-length')).toBeNull();
    }
  });

  it('answers 502 (DEFAULT_5XX, Bad Gateway) when the integration throws or returns a malformed proxy result', async () => {
    integration = async () => {
      throw new Error('boom');
    };
    const thrown = await call('/v2/company/');
    expect(thrown.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    await expectGatewayResponse(thrown, 'DEFAULT_5XX');
    integration = async () => ({ statusCode: 'ok', body: 1 });
    await expectGatewayResponse(await call('/v2/company/'), 'DEFAULT_5XX');
  });

  it('answers 504 (INTEGRATION_TIMEOUT, Gateway Timeout) when the integration outlives the timeout', async () => {
    integration = () =>
      new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: '' }), 2_000));
    const response = await call('/v2/company/');
    expect(response.status).toBe(504);
    await expectGatewayResponse(response, 'INTEGRATION_TIMEOUT');
  });

  it('answers 502 (INTEGRATION_FAILURE, Bad Gateway) when the Lambda cannot be invoked', async () => {
    const response = await call('/v1/settings/notifications');
    expect(response.status).toBe(502);
    await expectGatewayResponse(response, 'INTEGRATION_FAILURE');
  });
});

describe('the edge', () => {
  it('answers 413 REQUEST_TOO_LARGE past the payload limit, before any Lambda runs', async () => {
    const response = await call('/v1/api-keys', { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) });
    await expectGatewayResponse(response, 'REQUEST_TOO_LARGE', { method: 'POST' });
    expect(authorizerEvents).toHaveLength(0);
  });

  it('reports the TCP peer as the source IP, for IPv4 and IPv6 clients', async () => {
    await call('/v2/company/', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(authorizerEvents[0]?.requestContext.identity.sourceIp).toBe('127.0.0.1');
    expect(authorizerEvents[0]?.headers?.['X-Forwarded-For']).toBe('203.0.113.9, 127.0.0.1');
    await call('/v2/company/', {}, `http://[::1]:${gateway.port}`);
    expect(authorizerEvents[1]?.requestContext.identity.sourceIp).toBe('::1');
  });

  it('answers 400 to a path parameter with broken percent-encoding, and keeps `//x` a path', async () => {
    const response = await call('/v1/api-keys/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    // DEFAULT_4XX: a whole problem, its status in the body as in the deployed stack.
    expect(await response.json()).toEqual({
      type: 'https://keygate.dev/problems/bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'The request path is not valid percent-encoding.',
      requestId: response.headers.get('x-amzn-requestid'),
    });
    expect(authorizerEvents).toHaveLength(0);
    authorizer = async () => {
      throw new Error('Unauthorized');
    };
    expect((await call('//evil.example/v2/company/')).status).toBe(401);
    expect(authorizerEvents[0]?.path).toBe('//evil.example/v2/company/');
  });

  it("answers HEAD on the OpenAPI document and its reference page with the GET's Content-Length", async () => {
    for (const path of ['/v1/openapi.json', '/docs']) {
      const get = await call(path);
      const bytes = (await get.arrayBuffer()).byteLength;
      const head = await call(path, { method: 'HEAD' });
      expect(head.status).toBe(get.status);
      expect(head.headers.get('content-length')).toBe(String(bytes));
      expect(await head.text()).toBe('');
    }
  });

  it('answers HEAD with a gateway response announcing the length of the body it renders for HEAD', async () => {
    const head = await call('/', { method: 'HEAD' });
    const rendered = renderGatewayResponse('MISSING_AUTHENTICATION_TOKEN', {
      requestId: head.headers.get('x-amzn-requestid') ?? '',
      httpMethod: 'HEAD',
    });
    expect(head.status).toBe(rendered.statusCode);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(rendered.body)));
    expect(await head.text()).toBe('');
  });

  it('serves the development issuer JWKS outside the catalog', async () => {
    const response = await call('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keys: [{ kid: 'k', kty: 'RSA' }] });
    expect(authorizerEvents).toHaveLength(0);
  });
});
