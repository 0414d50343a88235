import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../shared/domain/audit/audit-event.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { digestApiKey } from '../../../shared/domain/keys/key-format.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { deleteKey } from '../../../shared/domain/management/delete-api-key.js';
import { renameKey } from '../../../shared/domain/management/rename-api-key.js';
import { rotateKey } from '../../../shared/domain/management/rotate-api-key.js';
import { setKeyEnabled } from '../../../shared/domain/management/set-key-enabled.js';
import { admin, DAY_MS, keyCaller, makeDeps, rejected, T0 } from '../api/fixtures.js';

/** The audit events each change records: actor, target, origin, what changed, and never a secret. */

const origin = { requestId: 'req-1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' };
const adminFrom = (): Caller => ({ ...admin(), origin });

describe('buildAuditEvent', () => {
  it('names a root admin by subject and email and a key by id and name, with the request origin', () => {
    const byAdmin = buildAuditEvent({
      action: 'api-key.deleted',
      caller: adminFrom(),
      now: T0,
      target: { keyId: 'k1', name: 'Billing', scopes: ['messaging:read'] },
    });
    expect(byAdmin).toMatchObject({
      companyId: 'acme',
      at: T0.toISOString(),
      action: 'api-key.deleted',
      actor: { type: 'root-admin', subject: 'sub-acme', email: 'root@acme.example' },
      target: { keyId: 'k1', name: 'Billing' },
      requestId: 'req-1',
      sourceIp: '203.0.113.7',
      userAgent: 'curl/8.5.0',
      changes: {},
    });
    const byKey = buildAuditEvent({
      action: 'api-key.disabled',
      caller: keyCaller(['apikeys:*']),
      now: T0,
      target: null,
    });
    expect(byKey.actor).toEqual({
      type: 'key',
      keyId: '0190a0b0-0000-7000-8000-000000000001',
      name: 'automation',
    });
    expect(byKey).toMatchObject({ requestId: null, sourceIp: null, userAgent: null });
  });

  it('gives two events of the same instant increasing ids', () => {
    const event = () =>
      buildAuditEvent({ action: 'api-key.deleted', caller: admin(), now: T0, target: null });
    const first = event();
    const second = event();
    expect(second.id > first.id).toBe(true);
  });
});

describe('the management use cases', () => {
  it('record created, renamed, rotated, disabled, enabled and deleted, each with its target and changes', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, adminFrom(), { name: 'Billing', scopes: ['colleagues:read'] });
    await renameKey(deps, adminFrom(), created.id, { name: 'Billing v2' });
    const rotated = await rotateKey(deps, adminFrom(), created.id, { gracePeriodSeconds: 3600 });
    await setKeyEnabled(deps, adminFrom(), rotated.id, false);
    await setKeyEnabled(deps, adminFrom(), rotated.id, true);
    await deleteKey(deps, adminFrom(), rotated.id);

    const events = deps.store.auditEvents;
    expect(events.map((event) => event.action)).toEqual([
      'api-key.created',
      'api-key.renamed',
      'api-key.rotated',
      'api-key.disabled',
      'api-key.enabled',
      'api-key.deleted',
    ]);
    expect(events.every((event) => event.requestId === 'req-1' && event.companyId === 'acme')).toBe(true);
    expect(events[0]).toMatchObject({
      target: { keyId: created.id, name: 'Billing' },
      changes: { scopes: ['colleagues:read'], expiresAt: created.expiresAt },
    });
    expect(events[1]).toMatchObject({ changes: { oldName: 'Billing', newName: 'Billing v2' } });
    expect(events[2]).toMatchObject({
      target: { keyId: created.id, name: 'Billing v2' },
      changes: {
        newKeyId: rotated.id,
        gracePeriodSeconds: 3600,
        newExpiresAtOfOldKey: new Date(T0.getTime() + 3_600_000).toISOString(),
      },
    });
    expect(events[3]).toMatchObject({ target: { keyId: rotated.id }, changes: { enabled: false } });
    expect(events[4]).toMatchObject({ changes: { wasEnabled: false, enabled: true } });
    expect(events[5]).toMatchObject({ target: { keyId: rotated.id, name: 'Billing v2' } });
  });

  it('never put a secret or a digest in an event', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, adminFrom(), { name: 'Billing', scopes: ['colleagues:read'] });
    const rotated = await rotateKey(deps, adminFrom(), created.id, {});
    const text = JSON.stringify(deps.store.auditEvents);
    for (const secret of [created.key, rotated.key]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(digestApiKey(secret));
      // Not even the random part of a key.
      expect(text).not.toContain(secret.slice(10, 40));
    }
    expect(deps.store.auditEvents).toHaveLength(2);
  });

  it('record nothing for a change that did not happen (not found, refused)', async () => {
    const deps = makeDeps();
    await rejected(renameKey(deps, admin(), '0190a0b0-0000-7000-8000-00000000dead', { name: 'x' }));
    await rejected(createKey(deps, keyCaller(['apikeys:read']), { name: 'x', scopes: ['colleagues:read'] }));
    deps.clock.advance(DAY_MS);
    expect(deps.store.auditEvents).toEqual([]);
  });
});
