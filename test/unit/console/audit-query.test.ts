import { describe, expect, it } from 'vitest';
import { auditSearch } from '../../../console/src/api/audit-query.js';

/**
 * The console's query for `GET /v1/audit-events`. (The call itself, its token and its answers, are
 * exercised in Chromium against a fake API: test/integration/console/audit-log.test.ts.)
 */
describe('the audit query', () => {
  it('carries only the parts that are set, encoded', () => {
    expect(auditSearch({})).toBe('');
    expect(auditSearch({ limit: 50 })).toBe('?limit=50');
    expect(auditSearch({ limit: 50, cursor: 'c/1=', keyId: 'k 1', action: 'api-key.rotated' })).toBe(
      '?limit=50&cursor=c%2F1%3D&keyId=k+1&action=api-key.rotated',
    );
    expect(auditSearch({ cursor: '', keyId: '' })).toBe('');
  });
});
