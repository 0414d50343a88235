import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import { buildAuditEvent } from '../../../shared/domain/audit/audit-event.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { AuditWriteError } from '../../../shared/domain/ports.js';
import { type Harness, startHarness } from './harness.js';

/**
 * `GET /v1/audit-events` and the two newly audited actions, through the real handlers on DynamoDB
 * Local: company isolation, newest-first paging with cursors, the keyId and action filters, a key
 * seeing only events about keys it covers, refused writes recorded as access.denied, and the
 * settings write and its audit record in one transaction.
 */

let h: Harness;
const acme: Caller = {
  kind: 'root-admin',
  companyId: 'acme',
  subject: 'sub-acme',
  email: 'root@acme.example',
};
const globex: Caller = { kind: 'root-admin', companyId: 'globex', subject: 'sub-globex' };

/** A key caller as the authorizer would pass it, from a created key's answer. */
const asKey = (created: { id: string; name: string; scopes: string[]; expiresAt: string }): Caller => ({
  kind: 'key',
  companyId: 'acme',
  keyId: created.id,
  keyName: created.name,
  scopes: created.scopes,
  expiresAt: created.expiresAt,
  allowedIps: [],
});

interface EventView {
  id: string;
  at: string;
  action: string;
  actor: Record<string, unknown>;
  target: { keyId: string; name: string } | null;
  changes: Record<string, unknown>;
}

async function events(caller: Caller, query: Record<string, string> = {}) {
  const response = await h.call({ method: 'GET', path: '/v1/audit-events', caller, query });
  expect(response.status, response.raw).toBe(200);
  return response.body as { items: EventView[]; nextCursor: string | null };
}

async function create(caller: Caller, name: string, scopes: string[]) {
  const response = await h.call({ method: 'POST', path: '/v1/api-keys', caller, body: { name, scopes } });
  expect(response.status, response.raw).toBe(201);
  return response.body as { id: string; name: string; scopes: string[]; expiresAt: string; key: string };
}

let manager: Awaited<ReturnType<typeof create>>;
let colleagues: Awaited<ReturnType<typeof create>>;
let messaging: Awaited<ReturnType<typeof create>>;

beforeAll(async () => {
  h = await startHarness();
  manager = await create(acme, 'manager', ['apikeys:*', 'colleagues:*']);
  colleagues = await create(acme, 'colleagues', ['colleagues:read']);
  messaging = await create(acme, 'messaging', ['messaging:read']);
  await create(globex, 'globex key', ['colleagues:read']);
  const renamed = await h.call({
    method: 'PATCH',
    path: `/v1/api-keys/${colleagues.id}`,
    caller: acme,
    body: { name: 'colleagues v2' },
  });
  expect(renamed.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await h.table.drop();
});

describe('GET /v1/audit-events', () => {
  it("shows a root admin their company's events only, newest first, with actors", async () => {
    const page = await events(acme);
    expect(page.items.map((event) => [event.action, event.target?.name])).toEqual([
      ['api-key.renamed', 'colleagues v2'],
      ['api-key.created', 'messaging'],
      ['api-key.created', 'colleagues'],
      ['api-key.created', 'manager'],
    ]);
    expect(page.items[0]?.actor).toEqual({
      type: 'root-admin',
      subject: 'sub-acme',
      email: 'root@acme.example',
    });
    expect(page.nextCursor).toBeNull();
    const other = await events(globex);
    expect(other.items.map((event) => event.target?.name)).toEqual(['globex key']);
    // Nothing of the store's own attributes leaves: the raw answer has no digest, TTL, keys or scopes.
    const raw = (await h.call({ method: 'GET', path: '/v1/audit-events', caller: acme })).raw;
    for (const word of ['digest', 'targetScopes', 'companyId', '"pk"', '"sk"', '"ttl"']) {
      expect(raw).not.toContain(word);
    }
    for (const secret of [manager.key, colleagues.key, messaging.key]) expect(raw).not.toContain(secret);
  });

  it('pages newest first with cursors, and refuses a cursor of another company or another filter', async () => {
    const first = await events(acme, { limit: '3' });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await events(acme, { limit: '3', cursor: first.nextCursor as string });
    expect(second.items.map((event) => event.target?.name)).toEqual(['manager']);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    expect(all.map((event) => event.at)).toEqual([...all.map((event) => event.at)].sort().reverse());

    for (const [caller, query] of [
      [globex, { cursor: first.nextCursor as string }],
      [acme, { cursor: first.nextCursor as string, action: 'api-key.created' }],
      [acme, { cursor: first.nextCursor as string, keyId: colleagues.id }],
    ] as const) {
      const refused = await h.call({ method: 'GET', path: '/v1/audit-events', caller, query });
      expect(refused.status).toBe(400);
      expect(refused.headers['Content-Type']).toBe('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ parameter: 'cursor' })]);
    }
    const bad = await h.call({
      method: 'GET',
      path: '/v1/audit-events',
      caller: acme,
      query: { action: 'api-key.exploded', keyId: 'x', limit: '101' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((problem: { parameter: string }) => problem.parameter).sort()).toEqual([
      'action',
      'keyId',
      'limit',
    ]);
  });

  it('filters by keyId (target or actor) and by action', async () => {
    const byColleagues = await events(acme, { keyId: colleagues.id });
    expect(byColleagues.items.map((event) => event.action)).toEqual(['api-key.renamed', 'api-key.created']);
    const renames = await events(acme, { action: 'api-key.renamed' });
    expect(renames.items.map((event) => event.target?.keyId)).toEqual([colleagues.id]);

    // The manager key creates a key: that event is by it (actor), so keyId=<manager> lists it.
    const child = await create(asKey(manager), 'child', ['colleagues:read']);
    const byManager = await events(acme, { keyId: manager.id });
    expect(byManager.items.map((event) => [event.action, event.target?.keyId])).toEqual([
      ['api-key.created', child.id],
      ['api-key.created', manager.id],
    ]);
    expect(byManager.items[0]?.actor).toEqual({ type: 'key', keyId: manager.id, name: 'manager' });
  });

  it('shows a key only events about keys it covers, judged on their scopes at the time', async () => {
    const page = await events(asKey(manager));
    const targets = new Set(page.items.map((event) => event.target?.keyId));
    expect(targets.has(colleagues.id)).toBe(true);
    expect(targets.has(messaging.id)).toBe(false);
    // Its own creation: every scope of the manager is covered by the manager itself.
    expect(targets.has(manager.id)).toBe(true);
    expect(page.items.every((event) => event.target !== null)).toBe(true);
    // A key without apikeys:read may not read the log at all.
    const refused = await h.call({ method: 'GET', path: '/v1/audit-events', caller: asKey(colleagues) });
    expect(refused.status).toBe(403);
  });

  it("records a key's refused escalation as access.denied, seen by the admin, with no secret", async () => {
    const refused = await h.call({
      method: 'POST',
      path: '/v1/api-keys',
      caller: asKey(manager),
      body: { name: 'broader', scopes: ['messaging:read'] },
    });
    expect(refused.status).toBe(403);
    const denied = await events(acme, { action: 'access.denied' });
    expect(denied.items).toHaveLength(1);
    expect(denied.items[0]).toMatchObject({
      actor: { type: 'key', keyId: manager.id, name: 'manager' },
      target: null,
      changes: { operation: 'CreateApiKey', reason: expect.stringContaining('messaging:read') },
    });
    // Null target: never shown to a key, not even to the one refused.
    expect((await events(asKey(manager), { action: 'access.denied' })).items).toEqual([]);
  });

  it('records a refused rotation of a named key with that key as its target', async () => {
    // A managing key whose own expiry is under an hour away may not rotate another key (the successor
    // would outlive it by the 1-hour minimum): a handler 403 about a named key.
    const expiring = { ...asKey(manager), expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const refused = await h.call({
      method: 'POST',
      path: `/v1/api-keys/${colleagues.id}/rotate`,
      caller: expiring,
      body: {},
    });
    expect(refused.status, refused.raw).toBe(403);
    const denied = await events(acme, { action: 'access.denied', keyId: colleagues.id });
    expect(denied.items.map((event) => [event.target?.keyId, event.changes.operation])).toEqual([
      [colleagues.id, 'RotateApiKey'],
    ]);
    // About a key the manager covers: the manager sees it.
    const seen = await events(asKey(manager), { action: 'access.denied' });
    expect(seen.items.map((event) => event.target?.keyId)).toEqual([colleagues.id]);
  });

  it('records a key changing a key beyond its reach (answered 404) with that key as target, unseen by the key', async () => {
    const beyond = await create(acme, 'beyond', ['messaging:read']);
    const attempts = [
      { method: 'DELETE', path: `/v1/api-keys/${beyond.id}`, operation: 'DeleteApiKey' },
      { method: 'POST', path: `/v1/api-keys/${beyond.id}/disable`, operation: 'DisableApiKey' },
      {
        method: 'PATCH',
        path: `/v1/api-keys/${beyond.id}`,
        body: { name: 'x' },
        operation: 'UpdateApiKey',
      },
    ] as const;
    for (const { operation, ...request } of attempts) {
      const answer = await h.call({ ...request, caller: asKey(manager) });
      expect(answer.status, operation).toBe(404);
    }
    const denied = await events(acme, { action: 'access.denied', keyId: beyond.id });
    expect(denied.items.map((event) => [event.target?.keyId, event.changes.operation])).toEqual(
      attempts.map(({ operation }) => [beyond.id, operation]).reverse(),
    );
    expect(denied.items[0]).toMatchObject({
      actor: { type: 'key', keyId: manager.id },
      changes: { reason: expect.stringContaining("outside the calling key's reach") },
    });
    // The key it could not reach does not exist for it, nor do these records.
    const seen = await events(asKey(manager), { action: 'access.denied' });
    expect(seen.items.some((event) => event.target?.keyId === beyond.id)).toBe(false);
    // An id no key has is an ordinary 404: nothing recorded.
    const before = (await events(acme, { action: 'access.denied' })).items.length;
    const unknown = '0190a0b0-0000-7000-8000-00000000ffff';
    expect(
      (await h.call({ method: 'DELETE', path: `/v1/api-keys/${unknown}`, caller: asKey(manager) })).status,
    ).toBe(404);
    expect((await events(acme, { action: 'access.denied' })).items).toHaveLength(before);
    // The key itself is unchanged.
    const stored = await h.call({ method: 'GET', path: `/v1/api-keys/${beyond.id}`, caller: acme });
    expect(stored.body).toMatchObject({ name: 'beyond', enabled: true });
  });

  it("lists a successor's trail from the rotation that created it (target: the old key)", async () => {
    const rotated = await h.call({
      method: 'POST',
      path: `/v1/api-keys/${messaging.id}/rotate`,
      caller: acme,
      body: { gracePeriodSeconds: 60 },
    });
    expect(rotated.status, rotated.raw).toBe(201);
    const successor = rotated.body as { id: string };
    const renamed = await h.call({
      method: 'PATCH',
      path: `/v1/api-keys/${successor.id}`,
      caller: acme,
      body: { name: 'messaging v2' },
    });
    expect(renamed.status).toBe(200);
    const trail = await events(acme, { keyId: successor.id });
    expect(trail.items.map((event) => [event.action, event.target?.keyId, event.changes.newKeyId])).toEqual([
      ['api-key.renamed', successor.id, undefined],
      ['api-key.rotated', messaging.id, successor.id],
    ]);
    // The old key's trail has the rotation too; another company's filter by the same id finds nothing.
    const old = await events(acme, { keyId: messaging.id });
    expect(old.items.map((event) => event.action)).toEqual(['api-key.rotated', 'api-key.created']);
    expect((await events(globex, { keyId: successor.id })).items).toEqual([]);
  });
});

describe('notification-settings.updated', () => {
  it('is written with the settings, old and new recipients, and only a root admin sees it', async () => {
    const put = (emails: string[]) =>
      h.call({ method: 'PUT', path: '/v1/settings/notifications', caller: acme, body: { emails } });
    expect((await put(['a@acme.example'])).status).toBe(200);
    expect((await put(['b@acme.example', 'c@acme.example'])).status).toBe(200);
    const updates = await events(acme, { action: 'notification-settings.updated' });
    expect(updates.items.map((event) => [event.target, event.changes])).toEqual([
      [null, { oldEmails: ['a@acme.example'], newEmails: ['b@acme.example', 'c@acme.example'] }],
      [null, { oldEmails: [], newEmails: ['a@acme.example'] }],
    ]);
    expect((await events(asKey(manager), { action: 'notification-settings.updated' })).items).toEqual([]);
    // A key refused the root-admin-only settings route is recorded too.
    const refused = await h.call({
      method: 'PUT',
      path: '/v1/settings/notifications',
      caller: asKey(manager),
      body: { emails: ['evil@example.com'] },
    });
    expect(refused.status).toBe(403);
    const denied = await events(acme, { action: 'access.denied' });
    expect(denied.items[0]?.changes.operation).toBe('PutNotificationSettings');
  });

  it('is in the same transaction: when the audit Put fails, the recipients do not change', async () => {
    const store = new DynamoNotificationStore(
      createDocumentClient({ endpoint: h.table.endpoint }),
      h.table.tableName,
      undefined,
      30,
    );
    await store.putNotificationSettings(
      'audit-tx',
      { emails: ['before@acme.example'] },
      { updatedBy: 't', updatedAt: new Date() },
    );
    const caller: Caller = { ...acme, companyId: 'audit-tx' };
    const event = buildAuditEvent({
      action: 'notification-settings.updated',
      caller,
      now: new Date(),
      target: null,
    });
    // Occupy the audit event's item, so its conditional Put in the transaction fails.
    await h.table.doc.send(
      new PutCommand({
        TableName: h.table.tableName,
        Item: { ...itemKeys.auditEvent('audit-tx', event.at, event.id), squatter: true },
      }),
    );
    await expect(
      store.putNotificationSettings(
        'audit-tx',
        { emails: ['after@acme.example'] },
        { updatedBy: 't', updatedAt: new Date() },
        () => event,
      ),
    ).rejects.toBeInstanceOf(AuditWriteError);
    expect(await store.getNotificationSettings('audit-tx')).toEqual({ emails: ['before@acme.example'] });
  });
});
