import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FUNCTIONS,
  type KeygateFunctionName,
  MANAGEMENT_FUNCTION_NAMES,
  type TableAccess,
} from '../../../functions/registry.js';
import { functionLoader, localNotifier } from '../../../local/functions.js';
import { localSettings } from '../../../local/local-environment.js';
import { sharedDynamoClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { TABLE_KEYS } from '../../../shared/adapters/dynamodb/table-design.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import type { CatalogRoute } from '../../../shared/domain/catalog/route-catalog.js';
import {
  countDynamoCalls,
  type DynamoCall,
  type DynamoCallCounter,
} from '../../bench/dynamo-call-counter.js';
import {
  authorizerEvent,
  lambdaContext,
  type ProxyRequest,
  proxyEvent,
} from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';
import { type Harness, startHarness } from './harness.js';

/**
 * Least privilege that holds in AWS, not just in the template: each function's IAM table actions
 * (`functions/registry.ts` `tableAccess`, which the stack grants as is — `test/infra/functions-and-iam`)
 * are exactly the DynamoDB actions its real handler sends when it serves its routes against DynamoDB
 * Local, read off the wire. Each item of a TransactWriteItems counts as the action IAM authorizes it
 * as (Put → PutItem, Update → UpdateItem, Delete → DeleteItem, ConditionCheck → ConditionCheckItem).
 * Used but not granted is an AccessDenied in AWS only (local mode and the other tests never enforce
 * IAM: how the audit Put of rename/delete/disable/enable went unnoticed); granted but unused is more
 * than the function needs. Every partition key touched is under one of its `LeadingKeys` prefixes.
 */

let h: Harness;
let counter: DynamoCallCounter;

beforeAll(async () => {
  h = await startHarness();
  // The client every function built for this endpoint shares (`sharedDynamoClient`): counting on it
  // sees each handler's requests as sent, without touching the handlers.
  counter = countDynamoCalls(sharedDynamoClient({ endpoint: h.table.endpoint }));
});
afterAll(async () => {
  counter.detach();
  await h.table.drop();
});

const companyId = 'acme-iam';
const admin: Caller = { kind: 'root-admin', companyId, subject: 'sub-iam', email: 'root@acme-iam.example' };

/** Bodies for the routes that need one; any other route is called without (new routes: add theirs). */
const BODIES: Readonly<Record<string, unknown>> = {
  'POST /v1/api-keys': { name: 'k', scopes: ['colleagues:read'], expiresIn: 3 * 86_400 },
  'PATCH /v1/api-keys/{id}': { name: 'renamed' },
  'POST /v1/api-keys/{id}/rotate': { gracePeriodSeconds: 60 },
  'PUT /v1/settings/notifications': { emails: ['ops@acme-iam.test'] },
};

/** The functions' settings on this file's table, as local mode builds them (the same shared client). */
const settings = () =>
  localSettings({
    gatewayPort: 0,
    dynamoEndpoint: h.table.endpoint,
    sesEndpoint: inject('sesEndpoint'),
    tableName: h.table.tableName,
  });

/** A fresh key of the company, made outside the counted calls. */
async function freshKey(): Promise<{ id: string; key: string }> {
  const created = await h.call({
    method: 'POST',
    path: '/v1/api-keys',
    caller: admin,
    body: BODIES['POST /v1/api-keys'],
  });
  if (created.status !== 201) throw new Error(`creating a key: ${created.status} ${created.raw}`);
  return created.body;
}

/** The registry's grant, and what was used, as sorted action lists (table and expiry index apart). */
function compare(name: KeygateFunctionName, calls: readonly DynamoCall[]) {
  const access: TableAccess = FUNCTIONS[name].tableAccess;
  const sorted = (actions: Iterable<string>) => [...new Set(actions)].sort();
  const onIndex = calls.filter((call) => call.indexName !== undefined);
  const onTable = calls.filter((call) => call.indexName === undefined);
  return {
    granted: {
      table: sorted(access.table),
      expiryIndex: sorted(access.expiryIndex ?? []),
    },
    used: {
      table: sorted(onTable.flatMap((call) => call.actions)),
      expiryIndex: sorted(onIndex.flatMap((call) => call.actions)),
    },
    indexes: sorted(onIndex.map((call) => call.indexName as string)),
    outsideLeadingKeys: calls
      .flatMap((call) => call.partitionKeys)
      .filter(
        (pk) =>
          access.leadingKeyPrefixes !== undefined &&
          !access.leadingKeyPrefixes.some((prefix) => pk.startsWith(prefix)),
      ),
    // A table request whose partition key was not read off the wire would pass the check above unseen.
    unkeyed: onTable.filter((call) => call.partitionKeys.length === 0).map((call) => call.operation),
    // Attributes its UpdateItems named that its `dynamodb:Attributes` condition does not list.
    updatedOutsideGrant: sorted(calls.flatMap((call) => call.updatedAttributes)).filter(
      (attribute) =>
        access.updatedAttributes !== undefined &&
        ![TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...access.updatedAttributes].includes(attribute),
    ),
  };
}

function expectExactlyGranted(name: KeygateFunctionName, calls: readonly DynamoCall[]) {
  const { granted, used, indexes, outsideLeadingKeys, unkeyed, updatedOutsideGrant } = compare(name, calls);
  expect({ name, actions: used }).toEqual({ name, actions: granted });
  expect({ name, indexes }).toEqual({
    name,
    indexes: used.expiryIndex.length ? [TABLE_KEYS.expiryIndex.name] : [],
  });
  expect({ name, outsideLeadingKeys, unkeyed, updatedOutsideGrant }).toEqual({
    name,
    outsideLeadingKeys: [],
    unkeyed: [],
    updatedOutsideGrant: [],
  });
}

describe('each function’s IAM table actions are the DynamoDB actions it sends', () => {
  it.each(MANAGEMENT_FUNCTION_NAMES)(
    '%s: serving each of its routes uses exactly its grant',
    async (name) => {
      const routes = CATALOG.routes.filter(
        (route): route is CatalogRoute => route.kind === 'management' && route.handler === name,
      );
      expect(routes.length, `${name} serves no catalog route`).toBeGreaterThan(0);
      const calls: DynamoCall[] = [];
      for (const route of routes) {
        const { id } = await freshKey();
        const request: ProxyRequest = {
          method: route.method,
          path: route.path.replace('{id}', id),
          caller: admin,
          ...(BODIES[route.id] === undefined ? {} : { body: BODIES[route.id] }),
        };
        counter.reset();
        const response = await h.call(request);
        calls.push(...counter.calls);
        // The actions of the path that succeeds: a refused request may stop before its writes.
        expect({ route: route.id, status: response.status, body: response.body }).toMatchObject({
          route: route.id,
          status: expect.toSatisfy((status: number) => status >= 200 && status < 300),
        });
      }
      expectExactlyGranted(name, calls);
    },
  );

  it('authorizer: deciding an API key request (its first use, so lastUsedAt is touched) uses exactly its grant', async () => {
    const { key } = await freshKey();
    const authorize = await functionLoader(settings(), CATALOG)('authorizer');
    counter.reset();
    const decision = (await authorize(
      authorizerEvent({ headers: { Authorization: `Bearer ${key}` } }),
      lambdaContext(),
    )) as { policyDocument: { Statement: { Effect: string }[] } };
    const calls = [...counter.calls];
    expect(decision.policyDocument.Statement[0]?.Effect).toBe('Allow');
    expectExactlyGranted('authorizer', calls);
    // What its UpdateItem grant is limited to, read off the wire: the lookup item's key and lastUsedAt.
    expect([...new Set(calls.flatMap((call) => call.updatedAttributes))].sort()).toEqual([
      'lastUsedAt',
      'pk',
      'sk',
    ]);
  });

  it('notifier: a daily run that emails a recipient about a key expiring this week uses exactly its grant', async () => {
    const put = await h.call({
      method: 'PUT',
      path: '/v1/settings/notifications',
      caller: admin,
      body: BODIES['PUT /v1/settings/notifications'],
    });
    expect(put.status).toBe(200);
    await freshKey(); // expires in 3 days
    // The notifier's expiry events go nowhere here: this test counts table calls only.
    const notifier = localNotifier(settings(), { publish: async () => ({ failed: [] }) });
    try {
      counter.reset();
      const summary = await notifier.run(new Date());
      const calls = [...counter.calls];
      expect(summary).toMatchObject({ emailsSent: 1, failedRecipients: 0 });
      expectExactlyGranted('notifier', calls);
    } finally {
      await notifier.close();
    }
  });

  it('notifier: a run whose email SES refuses marks the delivery failed, within its grant', async () => {
    // The key from the test above still expires within the week a day later: a new day's delivery,
    // sent to an SES that is not there, so the run claims the marker and then marks it failed.
    const unreachableSes = { ...settings(), sesEndpoint: 'http://127.0.0.1:9' };
    const notifier = localNotifier(unreachableSes, { publish: async () => ({ failed: [] }) });
    try {
      counter.reset();
      const summary = await notifier.run(new Date(Date.now() + 86_400_000));
      const calls = [...counter.calls];
      expect(summary).toMatchObject({ emailsSent: 0, failedRecipients: 1 });
      expectExactlyGranted('notifier', calls);
      expect(calls.flatMap((call) => call.updatedAttributes)).toEqual(
        expect.arrayContaining(['failedAt', 'lastError']),
      );
    } finally {
      await notifier.close();
    }
  });

  it('echo: answering a protected route uses exactly its grant (none)', async () => {
    const echo = await functionLoader(settings(), CATALOG)('echo');
    const keyCaller: Caller = {
      kind: 'key',
      companyId,
      keyId: 'key-1',
      keyName: 'k',
      scopes: ['colleagues:read'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      allowedIps: [],
    };
    counter.reset();
    const response = (await echo(
      proxyEvent({ method: 'GET', path: '/api/v1/pbx/colleagues/', caller: keyCaller }),
      lambdaContext('keygate-echo'),
    )) as { statusCode: number };
    expect(response.statusCode).toBe(200);
    expectExactlyGranted('echo', [...counter.calls]);
    expect(counter.calls).toHaveLength(0);
  });
});
