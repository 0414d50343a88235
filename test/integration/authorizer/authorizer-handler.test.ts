import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handlerFromEnv } from '../../../functions/authorizer/authorizer.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import { digestApiKey, generateApiKey } from '../../../shared/domain/keys/key-format.js';
import type { ApiKeyRecord } from '../../../shared/domain/ports.js';
import { authorizerEvent, lambdaContext } from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';
import {
  AUDIENCE,
  COMPANY_CLAIM,
  closedPortUrl,
  GROUPS_CLAIM,
  ISSUER,
  ROOT_ADMIN_GROUP,
  startTestIssuer,
  type TestIssuer,
} from './jwks-server.js';

/**
 * The real authorizer handler (middy, Powertools, environment, DynamoDB document client, key store,
 * aws-jwt-verify) against DynamoDB Local and a local JWKS. Every key is generated during the run.
 */

const PREFIX = 'wsk-v1-';
type Handler = (
  event: APIGatewayRequestAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;

let table: TestTable;
let store: DynamoKeyStore;
let issuer: TestIssuer;
let handler: Handler;

function environment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    KEY_PREFIX: PREFIX,
    OIDC_ISSUER: ISSUER,
    OIDC_AUDIENCE: AUDIENCE,
    OIDC_JWKS_URI: issuer.jwksUri,
    OIDC_COMPANY_CLAIM: COMPANY_CLAIM,
    OIDC_GROUPS_CLAIM: GROUPS_CLAIM,
    OIDC_ROOT_ADMIN_GROUP: ROOT_ADMIN_GROUP,
    LAST_USED_INTERVAL_SECONDS: '1',
    AUTHORIZER_CACHE_TTL_SECONDS: '0',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...overrides,
  };
}

/** A fresh cold start of the authorizer's composition root under `env`. */
async function coldStart(env: Record<string, string>): Promise<Handler> {
  return handlerFromEnv(env, CATALOG) as unknown as Handler;
}

async function createKey(
  overrides: Partial<ApiKeyRecord> = {},
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = generateApiKey(PREFIX);
  const now = Date.now();
  const record: ApiKeyRecord = {
    id: `k-${now}-${Math.random().toString(36).slice(2, 8)}`,
    companyId: 'acme',
    name: 'integration',
    keyPrefix: key.slice(0, PREFIX.length + 3),
    scopes: ['colleagues:read'],
    allowedIps: [],
    createdAt: new Date(now).toISOString(),
    createdBy: 'admin@example.com',
    expiresAt: new Date(now + 86_400_000).toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
    ...overrides,
  };
  await store.create(record, digestApiKey(key), Math.floor(now / 1000) + 40 * 86_400);
  return { key, record };
}

async function lastUsedAt(key: string): Promise<unknown> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: itemKeys.lookup(digestApiKey(key)),
      ConsistentRead: true,
    }),
  );
  return Item?.lastUsedAt;
}

/** Runs the handler and returns its result or its error, whichever it produced. */
async function invoke(
  h: Handler,
  event: APIGatewayRequestAuthorizerEvent,
): Promise<{ result?: APIGatewayAuthorizerResult; error?: Error }> {
  try {
    return { result: await h(event, lambdaContext()) };
  } catch (error) {
    return { error: error as Error };
  }
}

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoKeyStore(table.doc, table.tableName);
  issuer = await startTestIssuer();
  handler = await coldStart(environment());
});

afterAll(async () => {
  await issuer.close();
  await table.drop();
});

describe('authorizer handler against DynamoDB Local', () => {
  it('allows a stored key on a route its scopes cover, with the caller in the context', async () => {
    const { key, record } = await createKey({ name: 'CRM sync' });
    const event = authorizerEvent({ headers: { Authorization: `Bearer ${key}` } });
    const { result } = await invoke(handler, event);
    expect(result).toEqual({
      principalId: record.id,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: {
        principalType: 'key',
        companyId: 'acme',
        keyId: record.id,
        keyName: 'CRM sync',
        scopes: 'colleagues:read',
        expiresAt: record.expiresAt,
        // the key's own allow-list (none here), which bounds the keys it creates
        allowedIps: '',
      },
    });
  });

  it('answers Unauthorized for a well-formed key that is not stored', async () => {
    const { error } = await invoke(
      handler,
      authorizerEvent({ headers: { 'X-API-Key': generateApiKey(PREFIX) } }),
    );
    expect(error?.message).toBe('Unauthorized');
  });

  it('answers Unauthorized for an expired key', async () => {
    const { key } = await createKey({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const { error } = await invoke(handler, authorizerEvent({ headers: { Authorization: `Bearer ${key}` } }));
    expect(error?.message).toBe('Unauthorized');
  });

  it('answers Unauthorized on the very next request after the key is deleted', async () => {
    const { key, record } = await createKey();
    const event = authorizerEvent({ headers: { Authorization: `Bearer ${key}` } });
    expect((await invoke(handler, event)).result?.policyDocument.Statement[0]?.Effect).toBe('Allow');
    expect(await store.delete(record.companyId, record.id)).toBe(true);
    expect((await invoke(handler, event)).error?.message).toBe('Unauthorized');
  });

  it('denies a route the scopes do not cover with the reason, and writes nothing', async () => {
    const { key } = await createKey({ scopes: ['devices:read'] });
    const { result } = await invoke(
      handler,
      authorizerEvent({ headers: { Authorization: `Bearer ${key}` } }),
    );
    expect(result?.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(result?.context?.reason).toMatch(/requires one of: /);
    expect(await lastUsedAt(key)).toBeUndefined();
  });

  it('writes lastUsedAt on first use, not again within the interval, and again after it', async () => {
    const { key } = await createKey();
    const event = authorizerEvent({ headers: { Authorization: `Bearer ${key}` } });
    expect(await lastUsedAt(key)).toBeUndefined();

    await invoke(handler, event);
    const first = await lastUsedAt(key);
    expect(typeof first).toBe('string');

    await invoke(handler, event);
    await invoke(handler, event);
    expect(await lastUsedAt(key)).toBe(first);

    // LAST_USED_INTERVAL_SECONDS is 1 in this file.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await invoke(handler, event);
    const second = await lastUsedAt(key);
    expect(typeof second).toBe('string');
    expect(Date.parse(second as string)).toBeGreaterThan(Date.parse(first as string));
  });

  it('allows a root admin token on the management API, verified against the JWKS', async () => {
    const token = await issuer.mint();
    const event = authorizerEvent({ path: '/v1/api-keys', headers: { Authorization: `Bearer ${token}` } });
    const { result } = await invoke(handler, event);
    expect(result).toMatchObject({
      principalId: 'admin-1',
      policyDocument: { Statement: [{ Effect: 'Allow', Resource: event.methodArn }] },
      context: { principalType: 'root-admin', companyId: 'acme', subject: 'admin-1' },
    });
  });
});

describe('logs', () => {
  it('never contain the key or the token, even with event logging and DEBUG switched on', async () => {
    const verbose = await coldStart(
      environment({ POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' }),
    );
    const { key } = await createKey({ scopes: ['devices:read'] });
    const token = await issuer.mint();
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      await invoke(
        verbose,
        authorizerEvent({ path: '/api/v1/devices/', headers: { Authorization: `Bearer ${key}` } }),
      );
      await invoke(verbose, authorizerEvent({ headers: { 'X-API-Key': key } }));
      await invoke(
        verbose,
        authorizerEvent({
          headers: { 'X-API-Key': `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}` },
        }),
      );
      await invoke(
        verbose,
        authorizerEvent({ path: '/v1/api-keys', headers: { Authorization: `Bearer ${token}` } }),
      );
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      Object.assign(process.env, environment());
    }
    const output = written.join('');
    expect(output).toContain('authorization decision');
    expect(output).not.toContain(key.slice(PREFIX.length, PREFIX.length + 16));
    expect(output).not.toContain(token.split('.')[2]);
  });
});

describe('fails closed', () => {
  it('throws a non-Unauthorized error quickly when DynamoDB is unreachable', async () => {
    const unreachable = await coldStart(environment({ DYNAMODB_ENDPOINT: await closedPortUrl('') }));
    const key = generateApiKey(PREFIX);
    const started = Date.now();
    const { result, error } = await invoke(
      unreachable,
      authorizerEvent({ headers: { Authorization: `Bearer ${key}` } }),
    );
    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).not.toBe('Unauthorized');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('throws a non-Unauthorized error when the JWKS is unreachable', async () => {
    const unreachable = await coldStart(environment({ OIDC_JWKS_URI: await closedPortUrl('/jwks.json') }));
    const token = await issuer.mint();
    const { result, error } = await invoke(
      unreachable,
      authorizerEvent({ path: '/v1/api-keys', headers: { Authorization: `Bearer ${token}` } }),
    );
    expect(result).toBeUndefined();
    expect(error?.message).not.toBe('Unauthorized');
  });

  it('does not need DynamoDB to refuse a malformed key', async () => {
    const unreachable = await coldStart(environment({ DYNAMODB_ENDPOINT: await closedPortUrl('') }));
    const { error } = await invoke(
      unreachable,
      authorizerEvent({ headers: { Authorization: 'Bearer wsk-v1-nope' } }),
    );
    expect(error?.message).toBe('Unauthorized');
  });
});
