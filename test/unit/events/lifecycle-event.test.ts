import { describe, expect, it } from 'vitest';
import { auditEventOfRecord, isAuditInsert } from '../../../shared/adapters/dynamodb/audit-stream-record.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import {
  auditLifecycleEvent,
  EVENT_CHANGE_FIELDS,
  expiryLifecycleEvent,
} from '../../../shared/domain/events/lifecycle-event.js';
import { auditInsertRecord, insertRecord, sampleAuditEvent } from '../../support/audit-stream-records.js';

/**
 * What an event says: the audit event's fields by name (an allow-list), never a secret, a digest,
 * scopes or an allow-list — not even when the audit item holds them (a creation's `changes`, or a
 * `targetScopes` attribute another branch stores for the audit read API).
 */

const DETAIL_FIELDS = [
  'action',
  'actor',
  'at',
  'changes',
  'companyId',
  'id',
  'requestId',
  'sourceIp',
  'target',
  'userAgent',
];

describe('auditLifecycleEvent', () => {
  it("maps an audit event to detail-type = its action and detail = exactly the audit event's fields", () => {
    const event = sampleAuditEvent();
    const lifecycle = auditLifecycleEvent(event);
    expect(lifecycle.detailType).toBe('api-key.rotated');
    expect(lifecycle.time).toBe(event.at);
    expect(Object.keys(lifecycle.detail).sort()).toEqual(DETAIL_FIELDS);
    expect(lifecycle.detail).toEqual({
      id: event.id,
      at: event.at,
      action: 'api-key.rotated',
      actor: { type: 'root-admin', subject: 'admin-sub', email: 'alice@acme.test' },
      target: { keyId: 'key-1', name: 'Billing sync' },
      requestId: 'req-1',
      sourceIp: '203.0.113.7',
      userAgent: 'curl/8',
      changes: { newKeyId: 'key-2', gracePeriodSeconds: 60 },
      companyId: 'acme',
    });
  });

  it("leaves a creation's scopes and allow-list (recorded in its changes) out of the event", () => {
    const created = sampleAuditEvent({
      action: 'api-key.created',
      changes: {
        scopes: ['pbx:*'],
        allowedIps: ['10.0.0.0/8'],
        expiresAt: '2027-01-01T00:00:00.000Z',
      },
    });
    const text = JSON.stringify(auditLifecycleEvent(created));
    expect(auditLifecycleEvent(created).detail.changes).toEqual({ expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(text).not.toContain('pbx:*');
    expect(text).not.toContain('10.0.0.0/8');
    expect(EVENT_CHANGE_FIELDS.has('scopes')).toBe(false);
    expect(EVENT_CHANGE_FIELDS.has('allowedIps')).toBe(false);
  });

  it('copies only the named actor and target fields, whatever else the objects carry', () => {
    const event = sampleAuditEvent({
      actor: { type: 'key', keyId: 'key-9', name: 'Manager', scopes: ['apikeys:*'] } as never,
      target: { keyId: 'key-1', name: 'Billing sync', digest: 'f'.repeat(64) } as never,
    });
    const { detail } = auditLifecycleEvent(event);
    expect(detail.actor).toEqual({ type: 'key', keyId: 'key-9', name: 'Manager' });
    expect(detail.target).toEqual({ keyId: 'key-1', name: 'Billing sync' });
  });
});

describe('audit stream records', () => {
  it('reads the audit event from an INSERT record, ignoring attributes it does not name (targetScopes, ttl, keys)', () => {
    const event = sampleAuditEvent();
    const record = auditInsertRecord(event, '100', {
      targetScopes: ['pbx:*'],
      digest: 'a'.repeat(64),
      key: 'wsk-v1-secret',
    });
    expect(isAuditInsert(record)).toBe(true);
    const read = auditEventOfRecord(record);
    const { targetScopes: _stored, ...published } = event as typeof event & { targetScopes?: unknown };
    expect(read).toEqual(published);
    const text = JSON.stringify(auditLifecycleEvent(read));
    expect(text).not.toContain('pbx:*');
    expect(text).not.toContain('a'.repeat(64));
    expect(text).not.toContain('wsk-v1-secret');
  });

  it('is not an audit insert: a key item, a delivery marker, an audit item modified or removed', () => {
    const key = insertRecord({ ...itemKeys.companyKey('acme', 'key-1'), name: 'x' }, '1');
    const marker = insertRecord(itemKeys.delivery('acme', '2026-12-02', 'a@acme.test'), '2');
    const item = { ...itemKeys.auditEvent('acme', '2026-12-02T10:00:00.000Z', 'e1') };
    expect([key, marker].map(isAuditInsert)).toEqual([false, false]);
    expect(isAuditInsert(insertRecord(item, '3', 'MODIFY'))).toBe(false);
    expect(isAuditInsert(insertRecord(item, '4', 'REMOVE'))).toBe(false);
  });

  it('refuses an audit item whose image is not an audit event', () => {
    const item = {
      ...itemKeys.auditEvent('acme', '2026-12-02T10:00:00.000Z', 'e1'),
      action: 'api-key.exploded',
    };
    expect(() => auditEventOfRecord(insertRecord(item, '5'))).toThrow(/action/);
  });
});

describe('expiryLifecycleEvent', () => {
  const due = {
    companyId: 'acme',
    keyId: 'key-1',
    name: 'Billing sync',
    keyPrefix: 'wsk-v1-abc',
    scopes: ['pbx:*'],
    expiresAt: '2026-12-05T00:00:00.000Z',
    enabled: true,
    rotatedTo: null,
  };
  const digest = { day: '2026-12-02', asOf: new Date('2026-12-02T11:00:00.000Z') };

  it("carries the key's id, name, prefix, expiry, state, company and the digest's day — never its scopes", () => {
    expect(expiryLifecycleEvent('api-key.expiring', due, digest)).toEqual({
      detailType: 'api-key.expiring',
      time: '2026-12-02T11:00:00.000Z',
      detail: {
        companyId: 'acme',
        keyId: 'key-1',
        name: 'Billing sync',
        keyPrefix: 'wsk-v1-abc',
        expiresAt: '2026-12-05T00:00:00.000Z',
        enabled: true,
        rotatedTo: null,
        day: '2026-12-02',
      },
    });
  });

  it('says a key is disabled and which key replaced it, by id alone', () => {
    const event = expiryLifecycleEvent(
      'api-key.expired',
      { ...due, enabled: false, rotatedTo: { keyId: 'key-2', keyPrefix: 'wsk-v1-xyz' } },
      digest,
    );
    expect(event.detail).toMatchObject({ keyId: 'key-1', enabled: false, rotatedTo: 'key-2' });
    expect(JSON.stringify(event)).not.toContain('wsk-v1-xyz');
  });
});
