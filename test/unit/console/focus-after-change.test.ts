import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../../../console/src/api/types.js';
import { focusAfterChange } from '../../../console/src/keys/focus-after-change.js';
import { creatorLabel } from '../../../console/src/ui/format.js';

function key(id: string): ApiKey {
  return {
    id,
    name: `Key ${id}`,
    keyPrefix: 'wsk-v1-abc',
    scopes: ['messaging:read'],
    allowedIps: [],
    createdAt: '2026-12-01T12:00:00.000Z',
    createdBy: 'admin:root@acme.test',
    expiresAt: '2027-12-01T12:00:00.000Z',
    expired: false,
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
  };
}
const [a, b, c] = [key('a'), key('b'), key('c')] as [ApiKey, ApiKey, ApiKey];
const shown = [a, b, c];

describe('console key list: where focus goes once an action changed a key', () => {
  it('a deleted row hands focus to the row below it, the last row to the one above, none to the heading', () => {
    const remove = { id: 'delete' };
    expect(focusAfterChange({ deleted: 'b', message: '' }, remove, b, shown)).toEqual({
      keyId: 'c',
      actions: [],
    });
    expect(focusAfterChange({ deleted: 'c', message: '' }, remove, c, shown)).toEqual({
      keyId: 'b',
      actions: [],
    });
    expect(focusAfterChange({ deleted: 'a', message: '' }, remove, a, [a])).toEqual({ actions: [] });
  });

  it('a changed row keeps it, on the button that replaced the opener (Disable → Enable)', () => {
    const disable = { id: 'disable', replacedBy: 'enable' };
    expect(focusAfterChange({ updated: b, message: '' }, disable, b, shown)).toEqual({
      keyId: 'b',
      actions: ['disable', 'enable'],
    });
    expect(focusAfterChange({ updated: b, message: '' }, { id: 'edit' }, b, shown)).toEqual({
      keyId: 'b',
      actions: ['edit'],
    });
  });

  it("a rotation moves it to the successor's row once the list is read again", () => {
    const rotate = { id: 'rotate' };
    expect(focusAfterChange({ reload: true, message: '', focusKeyId: 'n' }, rotate, a, shown)).toEqual({
      keyId: 'n',
      actions: ['rotate'],
    });
    expect(focusAfterChange({ reload: true, message: '' }, rotate, a, shown)).toEqual({
      keyId: 'a',
      actions: ['rotate'],
    });
  });
});

describe('console key list: who created a key', () => {
  it('names a root admin by email and a managing key by its name when listed, else its id', () => {
    const names = new Map([['k1', 'Deployer']]);
    expect(creatorLabel('admin:root@acme.test', (id) => names.get(id))).toBe('root@acme.test');
    expect(creatorLabel('key:k1', (id) => names.get(id))).toBe('API key Deployer');
    expect(creatorLabel('key:k2', (id) => names.get(id))).toBe('API key k2');
    expect(creatorLabel('admin@example.com', () => undefined)).toBe('admin@example.com');
  });
});
