import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../console/src/api/problem.js';
import { AUDIT_ACTIONS, type AuditEventView } from '../../../console/src/api/types.js';
import {
  ACTION_LABELS,
  actionLabel,
  actorLabel,
  auditProblem,
  describeChanges,
  targetLabel,
} from '../../../console/src/audit/audit-format.js';
import { formatDate } from '../../../console/src/ui/format.js';
import { AUDIT_ACTIONS as DOMAIN_AUDIT_ACTIONS } from '../../../shared/domain/audit/audit-event.js';

function event(overrides: Partial<AuditEventView>): AuditEventView {
  return {
    id: '0193a0b0-0000-7000-8000-000000000001',
    at: '2026-12-01T10:00:00.000Z',
    action: 'api-key.created',
    actor: { type: 'root-admin', subject: 'admin-1', email: 'root@acme.test' },
    target: { keyId: 'key-1', name: 'CRM sync' },
    requestId: 'req-1',
    sourceIp: '203.0.113.7',
    userAgent: 'curl/8',
    changes: {},
    ...overrides,
  };
}

describe('the audit log in words', () => {
  it('offers a filter for every action the domain records, each with its own words', () => {
    // An action the API gains must not be missing from the console's filter.
    for (const action of DOMAIN_AUDIT_ACTIONS) expect(AUDIT_ACTIONS).toContain(action);
    expect(AUDIT_ACTIONS).toContain('access.denied');
    const labels = AUDIT_ACTIONS.map((action) => ACTION_LABELS[action]);
    expect(new Set(labels).size).toBe(AUDIT_ACTIONS.length);
    expect(actionLabel('access.denied')).toBe('Access denied');
    // One the console does not know yet still shows, as the API names it.
    expect(actionLabel('api-key.teleported')).toBe('api-key.teleported');
  });

  it('names the actor (admin by email, else subject; key by name and id) and the target', () => {
    expect(actorLabel({ type: 'root-admin', subject: 's-1', email: 'root@acme.test' })).toEqual({
      text: 'root@acme.test',
      detail: 'Root admin',
    });
    expect(actorLabel({ type: 'root-admin', subject: 's-1', email: null }).text).toBe('s-1');
    expect(actorLabel({ type: 'key', keyId: 'key-9', name: 'Deployer' })).toEqual({
      text: 'Deployer',
      detail: 'API key key-9',
    });
    expect(targetLabel(event({}))).toEqual({ text: 'CRM sync', detail: 'key-1' });
    expect(targetLabel(event({ target: null, action: 'notification-settings.updated' })).text).toBe(
      'Company settings',
    );
    // A refused creation has no key to name: it is not the company's settings either.
    expect(targetLabel(event({ target: null, action: 'access.denied' })).text).toBe('No key');
  });

  it('reads a rename as old → new, and every other change field as a line, known ones in a fixed order', () => {
    expect(
      describeChanges(event({ action: 'api-key.renamed', changes: { oldName: 'a', newName: 'b' } })),
    ).toEqual([{ label: 'Name', value: 'a → b' }]);
    const created = describeChanges(
      event({
        changes: {
          scopes: ['users:read', 'messaging:ListChannels'],
          expiresAt: '2027-03-01T10:00:00.000Z',
          allowedIps: [],
        },
      }),
    );
    expect(created).toEqual([
      { label: 'Scopes', value: 'users:read, messaging:ListChannels' },
      { label: 'Expires', value: formatDate('2027-03-01T10:00:00.000Z') },
      { label: 'Allowed IPs', value: 'none' },
    ]);
    expect(created[1]?.value).not.toBe('2027-03-01T10:00:00.000Z');
    const rotated = describeChanges(
      event({ action: 'api-key.rotated', changes: { newKeyId: 'key-2', gracePeriodSeconds: 86_400 } }),
    );
    expect(rotated).toEqual([
      { label: 'New key', value: 'key-2' },
      { label: 'Grace period', value: '1 day' },
    ]);
    // DynamoDB hands a map back in no useful order: the lines come out the same whatever it is.
    const jumbled = describeChanges(
      event({
        action: 'api-key.rotated',
        changes: {
          successorExpiresAt: '2027-03-01T10:00:00.000Z',
          gracePeriodSeconds: 3_600,
          extra: 'x',
          newKeyId: 'key-2',
          oldExpiresAt: '2027-02-01T10:00:00.000Z',
        },
      }),
    );
    expect(jumbled.map((detail) => detail.label)).toEqual([
      'New key',
      'Grace period',
      'Old key expiry before',
      'New key expires',
      'extra',
    ]);
    expect(describeChanges(event({ changes: { gracePeriodSeconds: 0 } }))[0]?.value).toBe(
      'none (stopped at once)',
    );
    expect(describeChanges(event({ changes: { gracePeriodSeconds: 7_200 } }))[0]?.value).toBe('2 hours');
    expect(describeChanges(event({ changes: { wasEnabled: true, enabled: false } }))).toEqual([
      { label: 'Was enabled', value: 'yes' },
      { label: 'Enabled', value: 'no' },
    ]);
    expect(
      describeChanges(
        event({
          action: 'access.denied',
          changes: { operation: 'DeleteApiKey', reason: 'scope does not cover' },
        }),
      ),
    ).toEqual([
      { label: 'Operation', value: 'DeleteApiKey' },
      { label: 'Reason', value: 'scope does not cover' },
    ]);
    // A field the console has no words for is still shown, under its own name.
    expect(describeChanges(event({ changes: { somethingNew: 3, gone: null } }))).toEqual([
      { label: 'somethingNew', value: '3' },
      { label: 'gone', value: 'none' },
    ]);
    expect(describeChanges(event({ action: 'api-key.deleted', changes: {} }))).toEqual([]);
  });

  it('says in words why the log cannot be shown: no API (404), not allowed (403), else the API’s detail', () => {
    expect(auditProblem(new ApiError({ status: 404, title: 'Not Found' }))).toMatch(
      /no audit log to show: its API does not offer GET \/v1\/audit-events/,
    );
    expect(auditProblem(new ApiError({ status: 403, detail: 'route requires apikeys:read' }))).toBe(
      'You are not allowed to read the audit log (route requires apikeys:read). Sign in as a root admin of this company.',
    );
    expect(auditProblem(new ApiError({ status: 400, detail: 'cursor is not valid for this list' }))).toBe(
      'cursor is not valid for this list',
    );
    expect(auditProblem(new ApiError({ status: 0, detail: 'The API cannot be reached.' }))).toBe(
      'The API cannot be reached.',
    );
  });
});
