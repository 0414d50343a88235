import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { countDynamoCalls } from '../../bench/dynamo-call-counter.js';
import { type Harness, startHarness } from './harness.js';

/**
 * The delegation rule through the real management handlers on DynamoDB Local: what a key may
 * create, and which keys it sees and manages (get, list with filtered pages, rename, delete).
 */

let h: Harness;
const admin: Caller = { kind: 'root-admin', companyId: 'acme', subject: 'sub-acme' };
const HOUR_MS = 3_600_000;

/** A managing key's context, as the authorizer would hand it over for a stored key. */
const keyCaller = (
  scopes: string[],
  extra: { expiresInMs?: number; allowedIps?: string[] } = {},
): Caller => ({
  kind: 'key',
  companyId: 'acme',
  keyId: '0190a0b0-0000-7000-8000-0000000000aa',
  keyName: 'manager',
  scopes,
  expiresAt: new Date(Date.now() + (extra.expiresInMs ?? 24 * HOUR_MS)).toISOString(),
  allowedIps: extra.allowedIps ?? [],
});

async function create(caller: Caller, body: Record<string, unknown>) {
  return h.call({ method: 'POST', path: '/v1/api-keys', caller, body: { name: 'k', ...body } });
}

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h.table.drop();
});

describe('POST /v1/api-keys by a key', () => {
  it('refuses a child that outlives the key or drops its allow-list: 403 problem naming both, nothing written but the refusal', async () => {
    const parent = keyCaller(['apikeys:*', 'messaging:read'], {
      expiresInMs: 2 * HOUR_MS,
      allowedIps: ['127.0.0.1/32'],
    });
    const before = await h.scanRefused();
    const refused = await create(parent, {
      scopes: ['apikeys:*', 'messaging:read'],
      expiresIn: 365 * 86_400,
      allowedIps: [],
    });
    expect(refused.status).toBe(403);
    expect(refused.headers['Content-Type']).toBe('application/problem+json');
    expect(refused.body).toMatchObject({
      type: 'https://keygate.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: expect.stringMatching(/outlive.*allow-list/),
    });
    expect(refused.body.errors.map((problem: { pointer: string }) => problem.pointer)).toEqual([
      '/expiresIn',
      '/allowedIps',
    ]);
    const after = await h.scanRefused();
    expect(after.unchanged).toEqual(before.unchanged);
    expect(after.refusals.length - before.refusals.length).toBe(1);
    const creations = (refusals: unknown[][]) =>
      refusals.filter(([, operation]) => operation === 'CreateApiKey').length;
    expect(creations(after.refusals) - creations(before.refusals)).toBe(
      after.refusals.length - before.refusals.length,
    );
  });

  it('creates a child bounded by the key: capped expiry and inherited allow-list, stored as shown', async () => {
    const parent = keyCaller(['apikeys:*', 'messaging:read'], {
      expiresInMs: 2 * HOUR_MS,
      allowedIps: ['127.0.0.1/32'],
    });
    const created = await create(parent, { scopes: ['messaging:read'] });
    expect(created.status).toBe(201);
    expect(created.body.allowedIps).toEqual(['127.0.0.1/32']);
    expect(created.body.expiresAt).toBe((parent as { expiresAt: string }).expiresAt);
    const fetched = await h.call({ method: 'GET', path: `/v1/api-keys/${created.body.id}`, caller: admin });
    expect(fetched.body).toMatchObject({ allowedIps: ['127.0.0.1/32'], expiresAt: created.body.expiresAt });
  });
});

describe('get, rename, delete and list by a key', () => {
  let globalId: string;
  let pbxId: string;
  let coveredIds: string[];

  beforeAll(async () => {
    const global = await create(admin, {
      name: 'root global',
      scopes: ['*:*'],
      expiresIn: 86_400,
      allowedIps: ['203.0.113.99'],
    });
    const pbx = await create(admin, {
      name: 'pbx integration',
      scopes: ['pbx:*'],
      allowedIps: ['198.51.100.77'],
    });
    globalId = global.body.id;
    pbxId = pbx.body.id;
    coveredIds = [];
    for (let i = 0; i < 4; i++) {
      coveredIds.push(
        (await create(admin, { name: `covered ${i}`, scopes: ['messaging:ListChannels'] })).body.id,
      );
      await create(admin, { name: `hidden ${i}`, scopes: ['colleagues:read'], allowedIps: ['192.0.2.55'] });
    }
  });

  it('answers 404 on get, rename and delete of keys it does not cover, changing no key, and records each write attempt', async () => {
    const manager = keyCaller(['apikeys:*', 'messaging:read']);
    const before = await h.scan();
    for (const id of [globalId, pbxId]) {
      expect((await h.call({ method: 'GET', path: `/v1/api-keys/${id}`, caller: manager })).status).toBe(404);
      const renamed = await h.call({
        method: 'PATCH',
        path: `/v1/api-keys/${id}`,
        caller: manager,
        body: { name: 'x' },
      });
      expect(renamed.status).toBe(404);
      expect((await h.call({ method: 'DELETE', path: `/v1/api-keys/${id}`, caller: manager })).status).toBe(
        404,
      );
    }
    const isAudit = (item: Record<string, unknown>) => String(item.sk).startsWith('AUDIT#');
    const after = await h.scan();
    expect(after.filter((item) => !isAudit(item))).toEqual(before.filter((item) => !isAudit(item)));
    // The writes (not the reads) are access.denied records about the key they named.
    const added = after.filter((item) => isAudit(item) && !before.some((old) => old.sk === item.sk));
    expect(
      added
        .map((item) => {
          const { operation } = item.changes as { operation: string };
          return `${operation} ${(item.target as { keyId: string }).keyId}`;
        })
        .sort(),
    ).toEqual(
      [
        `UpdateApiKey ${globalId}`,
        `DeleteApiKey ${globalId}`,
        `UpdateApiKey ${pbxId}`,
        `DeleteApiKey ${pbxId}`,
      ].sort(),
    );
    expect(added.every((item) => item.action === 'access.denied')).toBe(true);
  });

  it('renames and deletes a key it covers', async () => {
    const manager = keyCaller(['apikeys:*', 'messaging:read']);
    const target = await create(admin, { name: 'to manage', scopes: ['messaging:read'] });
    const renamed = await h.call({
      method: 'PATCH',
      path: `/v1/api-keys/${target.body.id}`,
      caller: manager,
      body: { name: 'renamed by key' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('renamed by key');
    expect(
      (await h.call({ method: 'DELETE', path: `/v1/api-keys/${target.body.id}`, caller: manager })).status,
    ).toBe(204);
    expect(
      (await h.call({ method: 'GET', path: `/v1/api-keys/${target.body.id}`, caller: admin })).status,
    ).toBe(404);
  });

  it('lists only covered keys, in full pages with a correct cursor, and never the others or their allow-lists', async () => {
    const reader = keyCaller(['apikeys:read', 'messaging:ListChannels']);
    const seen: string[] = [];
    const raw: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const response = await h.call({
        method: 'GET',
        path: '/v1/api-keys',
        caller: reader,
        query: { limit: '3', ...(cursor ? { cursor } : {}) },
      });
      expect(response.status).toBe(200);
      raw.push(response.raw);
      sizes.push(response.body.items.length);
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor !== null);
    expect(sizes).toEqual([3, 1]);
    expect(seen).toEqual([...coveredIds].reverse());
    for (const hidden of [
      '203.0.113.99',
      '198.51.100.77',
      '192.0.2.55',
      'root global',
      'pbx integration',
      'hidden ',
    ]) {
      expect(raw.join('')).not.toContain(hidden);
    }
  });

  it('costs a key that sees everything no more than a root admin: one Query and one BatchGetItem a page', async () => {
    const doc = createDocumentClient({ endpoint: h.table.endpoint });
    const counter = countDynamoCalls(doc);
    const store = new DynamoKeyStore(doc, h.table.tableName);
    try {
      const everything = () => true;
      counter.reset();
      const filtered = await store.list('acme', { limit: 5, visible: everything });
      const filteredCost = { kinds: counter.byKind(), items: counter.itemsRead() };
      counter.reset();
      const plain = await store.list('acme', { limit: 5 });
      expect(filtered).toEqual(plain);
      expect(filteredCost).toEqual({ kinds: counter.byKind(), items: counter.itemsRead() });
      expect(filteredCost.kinds).toEqual({ 'Query (consistent)': 1, 'BatchGetItem (consistent)': 1 });
    } finally {
      counter.detach();
      doc.destroy();
    }
  });
});
