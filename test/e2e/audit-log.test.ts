import { describe, expect, it } from 'vitest';
import { useLoggedGateway } from '../support/logged-gateway.js';

/**
 * End to end over HTTP (local gateway, real authorizer and handlers, DynamoDB Local): a key's whole
 * life — create, rename, rotate, disable, enable, delete — then `GET /v1/audit-events` lists it all,
 * newest first, with actors; a key's refused escalation shows as access.denied; a managing key reads
 * only events about keys it covers; nothing in the log is a secret. Every answer is checked against
 * docs/openapi.json by the fetch helper.
 */

const e2e = useLoggedGateway();
const { api, createKey, secrets, logged } = e2e;

interface EventView {
  at: string;
  action: string;
  actor: { type: string; keyId?: string; name?: string; email?: string | null };
  target: { keyId: string; name: string } | null;
  changes: Record<string, unknown>;
  sourceIp: string | null;
  userAgent: string | null;
}

async function auditLog(token: string, query = '') {
  const answer = await api('GET', `/v1/audit-events${query}`, { auth: token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { items: EventView[]; nextCursor: string | null };
}

describe('GET /v1/audit-events over HTTP', () => {
  it('lists create, rename, rotate, disable, enable and delete newest first, with actors and origins', async () => {
    const admin = await e2e.gateway.adminToken('audit-co', 'alice@audit.example');
    const created = await createKey(admin, { name: 'Billing', scopes: ['messaging:read'] });
    const renamed = await api('PATCH', `/v1/api-keys/${created.id}`, {
      auth: admin,
      body: { name: 'Billing v2' },
    });
    expect(renamed.status).toBe(200);
    const rotated = await api('POST', `/v1/api-keys/${created.id}/rotate`, {
      auth: admin,
      body: { gracePeriodSeconds: 0 },
    });
    expect(rotated.status).toBe(201);
    secrets.add(rotated.body.key);
    const successor: string = rotated.body.id;
    for (const step of ['disable', 'enable']) {
      expect((await api('POST', `/v1/api-keys/${successor}/${step}`, { auth: admin })).status).toBe(200);
    }
    expect((await api('DELETE', `/v1/api-keys/${successor}`, { auth: admin })).status).toBe(204);

    const log = await auditLog(admin);
    expect(log.items.map((event) => [event.action, event.target?.keyId])).toEqual([
      ['api-key.deleted', successor],
      ['api-key.enabled', successor],
      ['api-key.disabled', successor],
      ['api-key.rotated', created.id],
      ['api-key.renamed', created.id],
      ['api-key.created', created.id],
    ]);
    expect(log.nextCursor).toBeNull();
    const ats = log.items.map((event) => event.at);
    expect(ats).toEqual([...ats].sort().reverse());
    for (const event of log.items) {
      expect(event.actor).toEqual({
        type: 'root-admin',
        subject: expect.any(String),
        email: 'alice@audit.example',
      });
      expect(event.sourceIp).toMatch(/^127\.0\.0\.1$|^::ffff:127\.0\.0\.1$/);
    }
    expect(log.items.find((event) => event.action === 'api-key.renamed')?.changes).toEqual({
      oldName: 'Billing',
      newName: 'Billing v2',
    });
    expect(log.items.find((event) => event.action === 'api-key.rotated')?.changes).toMatchObject({
      newKeyId: successor,
      gracePeriodSeconds: 0,
    });

    // The filters over HTTP, and paging one at a time.
    const onlyRotations = await auditLog(admin, '?action=api-key.rotated');
    expect(onlyRotations.items).toHaveLength(1);
    // A successor's trail starts with the rotation that created it (whose target is the old key).
    const bySuccessor = await auditLog(admin, `?keyId=${successor}`);
    expect(bySuccessor.items.map((event) => [event.action, event.target?.keyId])).toEqual([
      ['api-key.deleted', successor],
      ['api-key.enabled', successor],
      ['api-key.disabled', successor],
      ['api-key.rotated', created.id],
    ]);
    const first = await auditLog(admin, '?limit=1');
    const second = await auditLog(admin, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items[0]?.action).toBe('api-key.enabled');

    // Another company sees none of it, and cannot use this company's cursor.
    const other = await e2e.gateway.adminToken('other-co', 'bob@other.example');
    expect((await auditLog(other)).items).toEqual([]);
    const foreign = await api('GET', `/v1/audit-events?cursor=${first.nextCursor}`, { auth: other });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const badAction = await api('GET', '/v1/audit-events?action=api-key.exploded', { auth: admin });
    expect(badAction.status).toBe(400);
  });

  it("shows a key's refused escalation to the admin as access.denied, and a key only events it covers", async () => {
    const admin = await e2e.gateway.adminToken('escalation-co', 'carol@esc.example');
    const manager = await createKey(admin, { name: 'Manager', scopes: ['apikeys:*', 'colleagues:*'] });
    const unrelated = await createKey(admin, { name: 'Messaging', scopes: ['messaging:read'] });

    const escalation = await api('POST', '/v1/api-keys', {
      auth: manager.key,
      body: { name: 'broader', scopes: ['*:*'] },
    });
    expect(escalation.status).toBe(403);
    const child = await createKey(manager.key, { name: 'Child', scopes: ['colleagues:read'] });

    const log = await auditLog(admin, '?action=access.denied');
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      actor: { type: 'key', keyId: manager.id, name: 'Manager' },
      target: null,
      changes: { operation: 'CreateApiKey', reason: expect.stringContaining('*:*') },
    });

    // The manager reads the log too, but only about keys it covers: itself and its child.
    const seen = await auditLog(manager.key);
    expect(new Set(seen.items.map((event) => event.target?.keyId))).toEqual(new Set([manager.id, child.id]));
    expect(seen.items.some((event) => event.target?.keyId === unrelated.id)).toBe(false);

    // A key without apikeys:read is refused by the gateway.
    const reader = await createKey(admin, { name: 'No audit', scopes: ['colleagues:read'] });
    expect((await api('GET', '/v1/audit-events', { auth: reader.key })).status).toBe(403);
  });

  it('puts no secret in any audit answer or log line', async () => {
    const admin = await e2e.gateway.adminToken('audit-co', 'alice@audit.example');
    const text = JSON.stringify(await auditLog(admin, '?limit=100'));
    const everything = logged.join('');
    expect(secrets.size).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(everything).not.toContain(secret);
    }
  });
});
