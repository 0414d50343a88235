import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { generateApiKey } from '../../shared/domain/keys/key-format.js';
import { bootLocalGateway, call, type GatewayUnderTest } from '../support/local-gateway.js';

/**
 * End to end over HTTP with DynamoDB unreachable (its endpoint is a closed port): the real authorizer
 * and management handlers must fail closed — a 5xx, never an allow and never a 401 that would tell a
 * client its valid key is unknown — while a malformed key is still refused without a database read.
 */

let gateway: GatewayUnderTest;

beforeAll(async () => {
  const closedPort = await freePort();
  gateway = await bootLocalGateway({
    dynamoEndpoint: `http://127.0.0.1:${closedPort}`,
    tableName: 'keygate',
  });
});

afterAll(async () => {
  await gateway?.close();
});

describe('with DynamoDB unreachable', () => {
  it('answers 500 AUTHORIZER_FAILURE to a well-formed key, never 200 or 401', async () => {
    const answer = await call(gateway.url, 'GET', '/v2/conversations/channels/', {
      auth: generateApiKey('wsk-v1-'),
    });
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: 500, type: expect.stringContaining('authorizer-failure') });
  });

  it('still answers 401 to a malformed key (decided without DynamoDB)', async () => {
    const answer = await call(gateway.url, 'GET', '/v2/conversations/channels/', { auth: 'wsk-v1-tooShort' });
    expect(answer.status).toBe(401);
  });

  it("answers a 5xx problem to a root admin's list (the token is verified, the store is not there)", async () => {
    const token = await gateway.adminToken('company-a');
    const answer = await call(gateway.url, 'GET', '/v1/api-keys', { auth: token });
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(answer.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
  });

  it('creates nothing and reveals nothing when a create cannot reach the store', async () => {
    const token = await gateway.adminToken('company-a');
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: token,
      body: { name: 'never stored', scopes: ['messaging:read'] },
    });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('wsk-v1-');
  });
});
