import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../../../console/src/api/types.js';
import { matchesFilter, visibleKeys } from '../../../console/src/keys/key-filters.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

function key(overrides: Partial<ApiKey>): ApiKey {
  return {
    id: overrides.name ?? 'k',
    name: 'k',
    keyPrefix: 'wsk-v1-abc',
    scopes: ['messaging:read'],
    allowedIps: [],
    createdAt: new Date(NOW - DAY).toISOString(),
    createdBy: 'admin@example.com',
    expiresAt: new Date(NOW + 300 * DAY).toISOString(),
    expired: false,
    lastUsedAt: null,
    ...overrides,
  };
}

const crm = key({
  name: 'CRM sync',
  scopes: ['users:read'],
  expiresAt: new Date(NOW + 3 * DAY).toISOString(),
});
const billing = key({
  name: 'Billing',
  scopes: ['messaging:SendMessage'],
  createdAt: new Date(NOW).toISOString(),
});
const old = key({ name: 'Old script', expiresAt: new Date(NOW - DAY).toISOString(), expired: true });
const keys = [crm, billing, old];

describe('console key list: search, filters, sort', () => {
  it('searches names and scopes, case-insensitively', () => {
    const view = { filter: 'all' as const, sort: 'created-desc' as const };
    expect(visibleKeys(keys, { ...view, search: 'crm' }, NOW).map((k) => k.name)).toEqual(['CRM sync']);
    expect(visibleKeys(keys, { ...view, search: 'SENDMESSAGE' }, NOW).map((k) => k.name)).toEqual([
      'Billing',
    ]);
    expect(visibleKeys(keys, { ...view, search: '  ' }, NOW)).toHaveLength(3);
  });

  it('filters active, expiring within 7 days and expired (the API decides expired)', () => {
    const names = (filter: 'active' | 'expiring' | 'expired') =>
      keys.filter((k) => matchesFilter(k, filter, NOW)).map((k) => k.name);
    expect(names('active')).toEqual(['CRM sync', 'Billing']);
    expect(names('expiring')).toEqual(['CRM sync']);
    expect(names('expired')).toEqual(['Old script']);
    // A key the API calls expired is never "expiring", even if the local clock lags.
    expect(matchesFilter({ ...old, expiresAt: new Date(NOW + DAY).toISOString() }, 'expiring', NOW)).toBe(
      false,
    );
  });

  it('sorts by expiry both ways, newest first by default', () => {
    const sorted = (sort: 'expires-asc' | 'expires-desc' | 'created-desc') =>
      visibleKeys(keys, { search: '', filter: 'all', sort }, NOW).map((k) => k.name);
    expect(sorted('expires-asc')).toEqual(['Old script', 'CRM sync', 'Billing']);
    expect(sorted('expires-desc')).toEqual(['Billing', 'CRM sync', 'Old script']);
    expect(sorted('created-desc')[0]).toBe('Billing');
  });

  it('filters disabled keys out of "Active" and into "Disabled"', () => {
    const withEnabled = [...keys.map((k) => ({ ...k, enabled: true })), key({ name: 'off', enabled: false })];
    expect(withEnabled.filter((k) => matchesFilter(k, 'disabled', NOW)).map((k) => k.name)).toEqual(['off']);
    expect(withEnabled.filter((k) => matchesFilter(k, 'active', NOW)).map((k) => k.name)).not.toContain(
      'off',
    );
  });
});
