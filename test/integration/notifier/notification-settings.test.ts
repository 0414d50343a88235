import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handlerFromEnv as getSettingsFromEnv } from '../../../functions/get-notification-settings/get-notification-settings.js';
import { handlerFromEnv as putSettingsFromEnv } from '../../../functions/put-notification-settings/put-notification-settings.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { proxyEvent } from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let table: TestTable;
let store: DynamoNotificationStore;
let getSettings: Handler;
let putSettings: Handler;

const context = {
  functionName: 'settings',
  awsRequestId: 'req',
  getRemainingTimeInMillis: () => 5_000,
} as unknown as Context;
const admin = (companyId: string): Caller => ({
  kind: 'root-admin',
  companyId,
  subject: `sub-${companyId}`,
  email: `root@${companyId}.test`,
});
const keyCaller: Caller = {
  kind: 'key',
  companyId: 'acme',
  keyId: 'k1',
  keyName: 'automation',
  scopes: ['*:*'],
  expiresAt: '2099-01-01T00:00:00.000Z',
  allowedIps: [],
};

function event(method: 'GET' | 'PUT', caller: Caller, body?: string, contentType = 'application/json') {
  return proxyEvent({
    method,
    path: '/v1/settings/notifications',
    caller,
    ...(body === undefined ? {} : { body, headers: { 'Content-Type': contentType } }),
  });
}

async function call(method: 'GET' | 'PUT', caller: Caller, body?: unknown) {
  const handler = method === 'GET' ? getSettings : putSettings;
  const raw = typeof body === 'string' || body === undefined ? body : JSON.stringify(body);
  const response = await handler(event(method, caller, raw), context);
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    body: JSON.parse(response.body || 'null'),
  };
}

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoNotificationStore(table.doc, table.tableName);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  const env = { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, AUDIT_RETENTION_DAYS: '365' };
  getSettings = getSettingsFromEnv(env, CATALOG) as unknown as Handler;
  putSettings = putSettingsFromEnv(env, CATALOG) as unknown as Handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await table.drop();
});

describe('GET/PUT /v1/settings/notifications', () => {
  it('answers {emails: []} before anything is set', async () => {
    expect(await call('GET', admin('fresh'))).toMatchObject({ status: 200, body: { emails: [] } });
  });

  it('stores the deduplicated list, answers with it, and the notifier reads it', async () => {
    const put = await call('PUT', admin('acme'), {
      emails: ['Ops@acme.test', 'security@acme.test', 'ops@ACME.test'],
    });
    expect(put).toMatchObject({ status: 200, body: { emails: ['Ops@acme.test', 'security@acme.test'] } });
    expect(await call('GET', admin('acme'))).toMatchObject({
      status: 200,
      body: { emails: ['Ops@acme.test', 'security@acme.test'] },
    });
    expect(await store.recipientsOf('acme')).toEqual(['Ops@acme.test', 'security@acme.test']);
  });

  it('takes an empty list: nobody is emailed any more, and GET answers it as stored', async () => {
    await call('PUT', admin('quiet'), { emails: ['ops@quiet.test'] });
    expect(await call('PUT', admin('quiet'), { emails: [] })).toMatchObject({
      status: 200,
      body: { emails: [] },
    });
    expect(await call('GET', admin('quiet'))).toMatchObject({ status: 200, body: { emails: [] } });
    expect(await store.recipientsOf('quiet')).toEqual([]);
  });

  it("keeps each company's recipients to itself", async () => {
    await call('PUT', admin('globex'), { emails: ['it@globex.test'] });
    expect((await call('GET', admin('acme'))).body.emails).not.toContain('it@globex.test');
    expect((await call('GET', admin('globex'))).body).toEqual({ emails: ['it@globex.test'] });
  });

  it.each([
    ['21 addresses', { emails: Array.from({ length: 21 }, (_, i) => `a${i}@acme.test`) }, ['/emails']],
    ['an invalid address', { emails: ['ops@acme.test', 'not-an-address'] }, ['/emails/1']],
    ['a number for an address', { emails: [7] }, ['/emails/0']],
    ['a string for the list', { emails: 'ops@acme.test' }, ['/emails']],
    ['no emails field', {}, ['/emails']],
    ['unknown fields', { emails: ['ops@acme.test'], cc: [], bcc: 1 }, ['/cc', '/bcc']],
    ['a JSON array body', ['ops@acme.test'], ['']],
  ])('rejects %s with a 400 problem naming the field, and changes nothing', async (_, body, pointers) => {
    await call('PUT', admin('stable'), { emails: ['keep@stable.test'] });
    const response = await call('PUT', admin('stable'), body);
    expect(response.status).toBe(400);
    expect(response.headers['Content-Type']).toBe('application/problem+json');
    expect(response.body).toMatchObject({ type: expect.any(String), title: 'Bad Request', status: 400 });
    expect(response.body.detail).toEqual(expect.any(String));
    expect(response.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual(pointers);
    expect((await call('GET', admin('stable'))).body).toEqual({ emails: ['keep@stable.test'] });
  });

  it('rejects malformed JSON with a 400 problem', async () => {
    const response = await call('PUT', admin('acme'), '{"emails": [');
    expect(response).toMatchObject({ status: 400, body: { status: 400 } });
  });

  it('answers 403 to an API key, even one with every scope, for both methods', async () => {
    await call('PUT', admin('acme'), { emails: ['ops@acme.test'] });
    const put = await call('PUT', keyCaller, { emails: ['attacker@evil.test'] });
    expect(put).toMatchObject({ status: 403, body: { status: 403, title: 'Forbidden' } });
    expect(await call('GET', keyCaller)).toMatchObject({ status: 403 });
    expect(await store.recipientsOf('acme')).toEqual(['ops@acme.test']);
  });
});
