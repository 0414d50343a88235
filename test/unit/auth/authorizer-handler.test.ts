import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AuthorizationFaultError,
  type AuthorizerDeps,
  handlerFromEnv,
  makeAuthorizer,
} from '../../../functions/authorizer/authorizer.js';
import { createRequestAuthorizer } from '../../../shared/domain/auth/authorize-request.js';
import { generateApiKey } from '../../../shared/domain/keys/key-format.js';
import { authorizerEvent, STAGE_BASE } from '../../support/api-gateway-events.js';
import {
  ADMIN_TOKEN,
  CountingStore,
  createKey,
  FakeClock,
  FakeTokenVerifier,
  PREFIX,
} from '../../support/authorizer-fixtures.js';
import { CATALOG } from '../../support/catalog.js';
import { RecordingLog } from '../../support/recording-log.js';

let store: CountingStore;
let log: RecordingLog;
let deps: AuthorizerDeps;

/** One decision through the bare handler `makeAuthorizer(deps)` builds. */
const authorize = (event: APIGatewayRequestAuthorizerEvent, with_: AuthorizerDeps) =>
  makeAuthorizer(with_)(event);

beforeEach(() => {
  store = new CountingStore();
  log = new RecordingLog();
  deps = {
    decide: createRequestAuthorizer({
      store,
      catalog: CATALOG,
      clock: new FakeClock(),
      keyPrefix: PREFIX,
      adminTokens: new FakeTokenVerifier({
        [ADMIN_TOKEN]: { ok: true, subject: 'admin-1', companyId: 'acme', rootAdmin: true },
      }),
      lastUsedIntervalSeconds: 60,
    }),
    policy: { catalog: CATALOG, cacheTtlSeconds: 0 },
    log,
  };
});

describe('authorizer handler', () => {
  it('returns an Allow policy for the method ARN with the caller context', async () => {
    const { key, record } = await createKey(store, { name: 'CRM sync' });
    const event = authorizerEvent({ headers: { Authorization: `Bearer ${key}` } });
    const result = await authorize(event, deps);
    expect(result.principalId).toBe(record.id);
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn },
    ]);
    expect(result.context).toMatchObject({
      principalType: 'key',
      companyId: 'acme',
      keyId: record.id,
      keyName: 'CRM sync',
    });
  });

  it('throws exactly Error("Unauthorized") for every 401, as API Gateway requires', async () => {
    const unauthorized: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer nope' },
      { 'X-API-Key': generateApiKey(PREFIX) },
    ];
    for (const headers of unauthorized) {
      const failure = await authorize(authorizerEvent({ headers }), deps).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe('Unauthorized');
    }
  });

  it('returns a Deny policy with the reason for a 403', async () => {
    const { key } = await createKey(store, { scopes: ['devices:read'] });
    const event = authorizerEvent({ headers: { 'x-api-key': key } });
    const result = await authorize(event, deps);
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn },
    ]);
    expect(result.context?.reason).toMatch(/^route GET \/api\/v1\/pbx\/colleagues\/ requires one of: /);
  });

  it('passes the gateway resource and the source IP to the decision', async () => {
    const { key } = await createKey(store, { scopes: ['apikeys:read'], allowedIps: ['2001:db8::/32'] });
    const headers = { Authorization: `Bearer ${key}` };
    const event = authorizerEvent({ path: '/v1/api-keys/k-9', resource: '/v1/api-keys/{id}', headers });
    const denied = await authorize(
      {
        ...event,
        requestContext: {
          ...event.requestContext,
          identity: { ...event.requestContext.identity, sourceIp: '203.0.113.1' },
        },
      },
      deps,
    );
    expect(denied.context?.reason).toBe('source IP not allowed for this key');
    const allowed = await authorize(
      {
        ...event,
        requestContext: {
          ...event.requestContext,
          identity: { ...event.requestContext.identity, sourceIp: '2001:db8::5' },
        },
      },
      deps,
    );
    expect(allowed.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  it('fails closed on a fault: a non-Unauthorized error, so API Gateway answers 500', async () => {
    const { key } = await createKey(store);
    store.failReads = true;
    const failure = await authorize(
      authorizerEvent({ headers: { Authorization: `Bearer ${key}` } }),
      deps,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthorizationFaultError);
    expect((failure as Error).message).not.toBe('Unauthorized');
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', message: 'authorization fault' });
  });

  it('logs one line per decision with outcome, ids, route and latency, never the key or token', async () => {
    const { key, record } = await createKey(store, { scopes: ['devices:read'] });
    await authorize(
      authorizerEvent({ path: '/api/v1/devices/', headers: { Authorization: `Bearer ${key}` } }),
      deps,
    );
    await authorize(authorizerEvent({ headers: { 'X-API-Key': key } }), deps);
    await authorize(
      authorizerEvent({
        headers: { Authorization: `bearer ${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}` },
      }),
      deps,
    ).catch(() => undefined);
    await authorize(
      authorizerEvent({ path: '/v1/api-keys', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }),
      deps,
    );
    store.failReads = true;
    await authorize(authorizerEvent({ headers: { Authorization: `Bearer ${key}` } }), deps).catch(
      () => undefined,
    );

    expect(log.lines.map((line) => [line.level, line.attributes.effect])).toEqual([
      ['info', 'allow'],
      ['info', 'deny'],
      ['info', 'unauthorized'],
      ['info', 'allow'],
      ['error', undefined],
    ]);
    expect(log.lines[0]?.attributes).toMatchObject({
      effect: 'allow',
      principalType: 'key',
      companyId: 'acme',
      keyId: record.id,
      routeId: 'GET /api/v1/devices/',
      latencyMs: expect.any(Number),
    });
    expect(log.lines[1]?.attributes).toMatchObject({
      effect: 'deny',
      status: 403,
      code: 'scope-not-granted',
    });
    expect(log.lines[2]?.attributes).toMatchObject({
      effect: 'unauthorized',
      status: 401,
      reason: 'checksum',
    });
    const text = log.text();
    expect(text).not.toContain(key.slice(PREFIX.length, PREFIX.length + 20));
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text.toLowerCase()).not.toContain('bearer');
  });

  it('uses the cacheable policy form when authorizer caching is on', async () => {
    const { key } = await createKey(store, { scopes: ['apikeys:read'] });
    const result = await authorize(
      authorizerEvent({ path: '/v1/api-keys', headers: { Authorization: `Bearer ${key}` } }),
      { ...deps, policy: { catalog: CATALOG, cacheTtlSeconds: 300 } },
    );
    expect((result.policyDocument.Statement[0] as { Resource?: unknown } | undefined)?.Resource).toEqual(
      expect.arrayContaining([
        `${STAGE_BASE}GET/v1/api-keys`,
        `${STAGE_BASE}GET/v1/api-keys/*`,
        `${STAGE_BASE}GET/v1/scopes`,
      ]),
    );
  });

  it('refuses to start without its environment, so it never decides anything (init fails: 500, not 401)', () => {
    expect(() => handlerFromEnv({}, CATALOG)).toThrow(/invalid environment: .*TABLE_NAME/);
  });
});
