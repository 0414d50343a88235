import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeGetApiKey } from '../../../functions/get-api-key/get-api-key.js';
import { makeListApiKeys } from '../../../functions/list-api-keys/list-api-keys.js';
import { makeListScopes } from '../../../functions/list-scopes/list-scopes.js';
import { httpHandler } from '../../../shared/adapters/http/http-handler.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { proxyEvent } from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';
import { admin, makeDeps } from './fixtures.js';

const context = { functionName: 'test', awsRequestId: 'req-1' } as Context;

/**
 * API Gateway sends a management GET route's HEAD to the same function, as a HEAD event without a
 * body (DESIGN: every GET answers HEAD). The read functions do not look at the method and read no
 * body, so HEAD gets GET's status and headers; the gateway sends no body for HEAD.
 */
describe('a management read function given a HEAD event', () => {
  const answers = async (
    handle: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>,
    path: string,
  ) => {
    const handler = httpHandler('test', handle);
    const call = (method: string) =>
      handler(proxyEvent({ method, path, caller: admin() }), context) as Promise<APIGatewayProxyResult>;
    return { get: await call('GET'), head: await call('HEAD') };
  };

  it('answers as it answers GET: list and get keys, list scopes', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), { name: 'reader', scopes: ['colleagues:read'] });
    for (const [handle, path] of [
      [makeListApiKeys(deps), '/v1/api-keys'],
      [makeGetApiKey(deps), `/v1/api-keys/${created.id}`],
      [makeListScopes(CATALOG), '/v1/scopes'],
    ] as const) {
      const { get, head } = await answers(handle, path);
      expect(get.statusCode, path).toBe(200);
      expect(head, path).toEqual(get);
    }
  });

  it('answers a missing key with the same 404 problem', async () => {
    const { get, head } = await answers(
      makeGetApiKey(makeDeps()),
      '/v1/api-keys/0190a0b0-0000-7000-8000-00000000dead',
    );
    expect(get.statusCode).toBe(404);
    expect(head.statusCode).toBe(404);
    expect(head.headers).toEqual(get.headers);
  });
});
