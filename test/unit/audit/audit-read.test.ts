import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor } from '../../../shared/adapters/dynamodb/list-cursor.js';
import { buildAccessDeniedEvent, buildAuditEvent } from '../../../shared/domain/audit/audit-event.js';
import { matchesAuditFilter } from '../../../shared/domain/audit/audit-filter.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { InvalidRequestError, NotPermittedError } from '../../../shared/domain/errors.js';
import { digestApiKey } from '../../../shared/domain/keys/key-format.js';
import { readAuditQuery } from '../../../shared/domain/management/audit-query.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { auditVisibilityFor } from '../../../shared/domain/management/delegation.js';
import { listAuditEvents } from '../../../shared/domain/management/list-audit-events.js';
import { recordRefusal } from '../../../shared/domain/management/refusal-audit.js';
import { renameKey } from '../../../shared/domain/management/rename-api-key.js';
import { auditEventViewSchema } from '../../../shared/domain/management/response-schemas.js';
import { rotateKey } from '../../../shared/domain/management/rotate-api-key.js';
import { replaceNotificationSettings } from '../../../shared/domain/notify/settings-requests.js';
import { InvalidCursorError } from '../../../shared/domain/ports.js';
import { CATALOG } from '../../support/catalog.js';
import { InMemoryAuditLog } from '../../support/in-memory-audit-log.js';
import { RecordingLog } from '../../support/recording-log.js';
import { admin, FakeClock, keyCaller, makeDeps, rejected, T0 } from '../api/fixtures.js';

/** The audit log's read side: who sees which events, what an event shows, and refusals recorded. */

const query = (parameters: Record<string, string>, repeated: Record<string, string[]> = {}) => ({
  queryStringParameters: parameters,
  multiValueQueryStringParameters: repeated,
});

/** A company with a colleagues key and a messaging key, each created then renamed by an admin. */
async function companyWithTwoKeys() {
  const deps = makeDeps();
  const colleagues = await createKey(deps, admin(), { name: 'Colleagues', scopes: ['colleagues:read'] });
  const messaging = await createKey(deps, admin(), { name: 'Messaging', scopes: ['messaging:read'] });
  deps.clock.advance(1000);
  await renameKey(deps, admin(), colleagues.id, { name: 'Colleagues v2' });
  const auditLog = new InMemoryAuditLog(deps.store.auditEvents);
  return { deps, auditLog, colleagues, messaging, read: { auditLog, catalog: CATALOG } };
}

describe('auditVisibilityFor', () => {
  const target = { keyId: 'k', name: 'n' };
  it('lets a root admin see everything (no filter at all)', () => {
    expect(auditVisibilityFor(CATALOG, admin())).toBeUndefined();
  });

  it("shows a key exactly the events whose target's stored scopes it covers, never one without a target", () => {
    const visible = auditVisibilityFor(CATALOG, keyCaller(['colleagues:*', 'apikeys:read']));
    expect(visible?.({ target, targetScopes: ['colleagues:read'] })).toBe(true);
    expect(visible?.({ target, targetScopes: ['colleagues:read', 'messaging:read'] })).toBe(false);
    expect(visible?.({ target, targetScopes: ['messaging:read'] })).toBe(false);
    expect(visible?.({ target: null, targetScopes: null })).toBe(false);
    // Stored before target scopes were: unknown, so hidden (fail closed).
    expect(visible?.({ target, targetScopes: null })).toBe(false);
  });
});

describe('listAuditEvents', () => {
  it('shows a root admin every event of the company, newest first, as views without company or scopes', async () => {
    const { read, colleagues } = await companyWithTwoKeys();
    const page = await listAuditEvents(read, admin(), { limit: 50 });
    expect(page.items.map((event) => event.action)).toEqual([
      'api-key.renamed',
      'api-key.created',
      'api-key.created',
    ]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toMatchObject({
      target: { keyId: colleagues.id, name: 'Colleagues v2' },
      changes: { oldName: 'Colleagues', newName: 'Colleagues v2' },
      actor: { type: 'root-admin', subject: 'sub-acme', email: 'root@acme.example' },
    });
    for (const item of page.items) {
      expect(Object.keys(item).sort()).toEqual(
        ['action', 'actor', 'at', 'changes', 'id', 'requestId', 'sourceIp', 'target', 'userAgent'].sort(),
      );
      expect(auditEventViewSchema.safeParse(item).success).toBe(true);
    }
  });

  it("never shows a secret, a digest, the target's stored scopes or the company", async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), { name: 'Billing', scopes: ['colleagues:read'] });
    const page = await listAuditEvents(
      { auditLog: new InMemoryAuditLog(deps.store.auditEvents), catalog: CATALOG },
      admin(),
      { limit: 50 },
    );
    const text = JSON.stringify(page);
    expect(page.items).toHaveLength(1);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(digestApiKey(created.key));
    expect(text).not.toContain('companyId');
    expect(text).not.toContain('targetScopes');
    // The stored event does hold the target's scopes (for visibility): the view drops them.
    expect(deps.store.auditEvents[0]?.targetScopes).toEqual(['colleagues:read']);
    expect(page.items[0]).not.toHaveProperty('targetScopes');
  });

  it("shows a key only events about keys it covers, and never the company's settings changes", async () => {
    const { deps, read, colleagues } = await companyWithTwoKeys();
    await replaceNotificationSettings(
      {
        store: {
          getNotificationSettings: async () => undefined,
          putNotificationSettings: async (_c, _s, _change, audit) => {
            if (audit) deps.store.auditEvents.push(audit({ emails: [] }));
          },
        },
        clock: deps.clock,
        catalog: CATALOG,
      },
      admin(),
      { emails: ['ops@acme.example'] },
    );
    const all = await listAuditEvents(read, admin(), { limit: 50 });
    expect(all.items.map((event) => event.action)).toContain('notification-settings.updated');

    const page = await listAuditEvents(read, keyCaller(['colleagues:*', 'apikeys:read']), { limit: 50 });
    expect(page.items.map((event) => [event.action, event.target?.keyId])).toEqual([
      ['api-key.renamed', colleagues.id],
      ['api-key.created', colleagues.id],
    ]);
  });

  it('filters by key (target or actor) and by action, and pages with cursors bound to the filter', async () => {
    const { read, colleagues } = await companyWithTwoKeys();
    const byKey = await listAuditEvents(read, admin(), { limit: 1, keyId: colleagues.id });
    expect(byKey.items.map((event) => event.action)).toEqual(['api-key.renamed']);
    expect(byKey.nextCursor).not.toBeNull();
    const next = await listAuditEvents(read, admin(), {
      limit: 1,
      keyId: colleagues.id,
      cursor: byKey.nextCursor as string,
    });
    expect(next.items.map((event) => event.action)).toEqual(['api-key.created']);
    expect(next.nextCursor).toBeNull();

    const created = await listAuditEvents(read, admin(), { limit: 50, action: 'api-key.created' });
    expect(created.items).toHaveLength(2);

    // The same cursor with another filter, or in another company, is a 400.
    const cursor = byKey.nextCursor as string;
    for (const [caller, filter] of [
      [admin(), {}],
      [admin(), { action: 'api-key.created' as const }],
      [admin('globex'), { keyId: colleagues.id }],
    ] as const) {
      const error = await rejected(listAuditEvents(read, caller as Caller, { limit: 1, cursor, ...filter }));
      expect(error).toBeInstanceOf(InvalidRequestError);
    }
  });

  it("lists in a successor's trail the rotation that created it, and that rotation in the old key's too", async () => {
    const { deps, read, colleagues } = await companyWithTwoKeys();
    deps.clock.advance(1000);
    const successor = await rotateKey(deps, admin(), colleagues.id, { gracePeriodSeconds: 3600 });
    deps.clock.advance(1000);
    await renameKey(deps, admin(), successor.id, { name: 'Colleagues v3' });

    const trail = await listAuditEvents(read, admin(), { limit: 50, keyId: successor.id });
    expect(trail.items.map((event) => [event.action, event.target?.keyId, event.changes.newKeyId])).toEqual([
      ['api-key.renamed', successor.id, undefined],
      ['api-key.rotated', colleagues.id, successor.id],
    ]);
    const oldTrail = await listAuditEvents(read, admin(), { limit: 50, keyId: colleagues.id });
    expect(oldTrail.items.map((event) => event.action)).toEqual([
      'api-key.rotated',
      'api-key.renamed',
      'api-key.created',
    ]);
    // With an action filter too, and seen by a key that covers the old key's scopes.
    const rotations = await listAuditEvents(read, keyCaller(['colleagues:*', 'apikeys:read']), {
      limit: 50,
      keyId: successor.id,
      action: 'api-key.rotated',
    });
    expect(rotations.items.map((event) => event.target?.keyId)).toEqual([colleagues.id]);
  });

  it('is refused to a key without apikeys:read', async () => {
    const { read } = await companyWithTwoKeys();
    expect(await rejected(listAuditEvents(read, keyCaller(['colleagues:*']), { limit: 5 }))).toBeInstanceOf(
      NotPermittedError,
    );
    const page = await listAuditEvents(read, keyCaller(['*:*']), { limit: 5 });
    expect(page.items).toHaveLength(3);
  });
});

describe('matchesAuditFilter', () => {
  const rotation = {
    action: 'api-key.rotated' as const,
    actor: { type: 'key' as const, keyId: 'self', name: 'n' },
    target: { keyId: 'old', name: 'n' },
    changes: { newKeyId: 'new', gracePeriodSeconds: 60 },
  };
  it.each([
    ['the target', 'old', true],
    ['the actor', 'self', true],
    ['the key the rotation created', 'new', true],
    ['another key', 'other', false],
  ])('matches a rotation by %s', (_, keyId, matches) => {
    expect(matchesAuditFilter(rotation, { keyId })).toBe(matches);
  });

  it('reads newKeyId only on a rotation', () => {
    expect(matchesAuditFilter({ ...rotation, action: 'api-key.renamed' }, { keyId: 'new' })).toBe(false);
    expect(matchesAuditFilter(rotation, { keyId: 'new', action: 'api-key.renamed' })).toBe(false);
  });
});

describe('readAuditQuery', () => {
  it('reads limit, cursor, keyId and action', () => {
    expect(
      readAuditQuery(
        query({
          limit: '7',
          cursor: 'abc',
          keyId: '0190a0b0-0000-7000-8000-000000000001',
          action: 'access.denied',
        }),
      ),
    ).toEqual({
      limit: 7,
      cursor: 'abc',
      keyId: '0190a0b0-0000-7000-8000-000000000001',
      action: 'access.denied',
    });
    expect(readAuditQuery(query({}))).toEqual({ limit: 50 });
  });

  it('names every bad parameter in one 400', () => {
    let error: unknown;
    try {
      readAuditQuery(
        query({ limit: '0', keyId: 'nope', action: 'api-key.exploded' }, { action: ['a', 'b'] }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(
      (error as InvalidRequestError).errors?.map((problem) => 'parameter' in problem && problem.parameter),
    ).toEqual(['limit', 'action', 'keyId', 'action']);
  });
});

describe('audit cursors', () => {
  const position = { at: '2026-03-01T10:00:00.123Z', id: '0190a0b0-0000-7000-8000-000000000001' };
  it('round-trip for their company and filter only', () => {
    const cursor = encodeAuditCursor('acme', '[null,null]', position);
    expect(decodeAuditCursor('acme', '[null,null]', cursor)).toEqual(position);
    expect(() => decodeAuditCursor('globex', '[null,null]', cursor)).toThrow(InvalidCursorError);
    expect(() => decodeAuditCursor('acme', '[null,"access.denied"]', cursor)).toThrow(InvalidCursorError);
    expect(() => decodeAuditCursor('acme', '[null,null]', `${cursor.slice(0, -2)}AA`)).toThrow(
      InvalidCursorError,
    );
  });
});

describe('recordRefusal', () => {
  const refusal = new NotPermittedError('This key may not create a key beyond its own limits: scopes.');
  const key: Caller = {
    ...keyCaller(['apikeys:*', 'colleagues:read']),
    origin: { requestId: 'r', sourceIp: null, userAgent: null },
  };

  it("records access.denied with the operation, the reason given and the key named, if it is the company's", async () => {
    const auditLog = new InMemoryAuditLog();
    const deps = {
      auditLog,
      findKey: async (_companyId: string, keyId: string) =>
        keyId === '0190a0b0-0000-7000-8000-0000000000aa'
          ? { keyId, name: 'Target', scopes: ['colleagues:read'] }
          : undefined,
      catalog: CATALOG,
      clock: new FakeClock(),
      log: new RecordingLog(),
    };
    await recordRefusal(deps, key, 'create-api-key', refusal, undefined);
    await recordRefusal(deps, key, 'delete-api-key', refusal, '0190a0b0-0000-7000-8000-0000000000aa');
    await recordRefusal(deps, key, 'delete-api-key', refusal, 'not-a-key-id');
    expect(auditLog.events.map((event) => [event.changes, event.target, event.targetScopes])).toEqual([
      [{ operation: 'CreateApiKey', reason: refusal.detail }, null, null],
      [
        { operation: 'DeleteApiKey', reason: refusal.detail },
        { keyId: '0190a0b0-0000-7000-8000-0000000000aa', name: 'Target' },
        ['colleagues:read'],
      ],
      [{ operation: 'DeleteApiKey', reason: refusal.detail }, null, null],
    ]);
    expect(auditLog.events[0]).toMatchObject({
      action: 'access.denied',
      at: T0.toISOString(),
      actor: { type: 'key', keyId: key.kind === 'key' ? key.keyId : '' },
      requestId: 'r',
    });
  });

  it('logs a record it cannot write as an error, and does not throw (the refusal stands)', async () => {
    const log = new RecordingLog();
    const failing = {
      record: async () => {
        throw new Error('throttled');
      },
    };
    await expect(
      recordRefusal(
        { auditLog: failing, catalog: CATALOG, clock: new FakeClock(), log },
        key,
        'create-api-key',
        refusal,
        undefined,
      ),
    ).resolves.toBeUndefined();
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        attributes: expect.objectContaining({ operation: 'CreateApiKey' }),
      }),
    ]);
  });
});

describe('buildAccessDeniedEvent', () => {
  it('is an event like any other, with {operation, reason} as its changes', () => {
    const event = buildAccessDeniedEvent({
      caller: admin(),
      now: T0,
      operation: 'PutNotificationSettings',
      reason: 'no',
      target: null,
    });
    expect(event).toMatchObject({
      action: 'access.denied',
      target: null,
      targetScopes: null,
      changes: { operation: 'PutNotificationSettings', reason: 'no' },
    });
    expect(
      buildAuditEvent({ action: 'api-key.deleted', caller: admin(), now: T0, target: null }).targetScopes,
    ).toBeNull();
  });
});
