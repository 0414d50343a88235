import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handlerFromEnv, makeEcho } from '../../../functions/echo/echo.js';
import { buildProxyEvent, LOCAL_API, lambdaContext } from '../../../local/api-gateway-events.js';
import { encodeCaller } from '../../../shared/adapters/apigateway/authorizer-context.js';
import { CATALOG } from '../../support/catalog.js';

const echo = makeEcho(CATALOG);
const handler = handlerFromEnv({}, CATALOG);

const keyContext = encodeCaller({
  kind: 'key',
  companyId: 'acme',
  keyId: 'key-1',
  keyName: 'ci',
  scopes: ['messaging:read', 'users:GetUserInfo'],
  expiresAt: '2030-01-01T00:00:00Z',
  allowedIps: [],
});

const eventFor = (method: string, resource: string, authorizer: Record<string, string>) =>
  buildProxyEvent(
    LOCAL_API,
    {
      requestId: 'r-1',
      method,
      path: resource,
      rawHeaders: [],
      query: [],
      sourceIp: '127.0.0.1',
      body: undefined,
      receivedAt: new Date(),
    },
    { resource, pathParameters: {} },
    3000,
    { ...authorizer, principalId: 'key-1' },
  );

describe('echo integration', () => {
  it('answers 200 with the catalog route id and the calling key', async () => {
    const result = await echo(eventFor('GET', '/v2/conversations/channels', keyContext));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      route: 'GET /v2/conversations/channels/',
      companyId: 'acme',
      keyId: 'key-1',
      scopes: ['messaging:read', 'users:GetUserInfo'],
    });
  });

  it('works through the middy-wrapped handler with a Lambda context', async () => {
    const context: Context = lambdaContext(LOCAL_API, 'keygate-echo', 'r-1', 3_000);
    const result = await handler(eventFor('GET', '/v2/company', keyContext), context);
    expect(JSON.parse(result.body).route).toBe('GET /v2/company/');
  });

  it('fails (a fault, 502 at the gateway) without a key context or outside the catalog', async () => {
    await expect(echo(eventFor('GET', '/v2/company', {}))).rejects.toThrow(/no API key context/);
    const admin = encodeCaller({ kind: 'root-admin', companyId: 'acme', subject: 's' });
    await expect(echo(eventFor('GET', '/v2/company', admin))).rejects.toThrow(/no API key context/);
    await expect(echo(eventFor('GET', '/nope', keyContext))).rejects.toThrow(/not a catalog route/);
  });
});
