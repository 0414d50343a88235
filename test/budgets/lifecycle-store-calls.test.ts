import { describe, expect, it } from 'vitest';
import { digestApiKey } from '../../shared/domain/keys/key-format.js';
import { createKey } from '../../shared/domain/management/create-api-key.js';
import { rotateKey } from '../../shared/domain/management/rotate-api-key.js';
import { setKeyEnabled } from '../../shared/domain/management/set-key-enabled.js';
import {
  BUDGET_ADMIN as admin,
  countedManagement,
  READS_AND_ONE_TRANSACTION,
} from '../support/counted-management.js';

/**
 * What a rotation and a disable cost on the wire, against DynamoDB Local: two consistent GetItems
 * (the company key item, then its lookup item) and one TransactWriteItems — whatever the key. The
 * same run checks what the transaction left behind, as the authorizer reads it.
 */

const management = countedManagement();

describe('lifecycle store calls', () => {
  it('rotate: 2 GetItems + 1 TransactWriteItems; both keys readable by digest with their new expiries', async () => {
    const { deps, counter } = management();
    const old = await createKey(deps, admin, { name: 'k', scopes: ['colleagues:read'], expiresIn: 86_400 });
    for (const grace of [3600, 0]) {
      const target =
        grace === 0 ? await createKey(deps, admin, { name: 'z', scopes: ['colleagues:read'] }) : old;
      counter.reset();
      const rotated = await rotateKey(deps, admin, target.id, { gracePeriodSeconds: grace });
      expect(counter.byKind()).toEqual(READS_AND_ONE_TRANSACTION);
      const oldLookup = await deps.store.findByDigest(digestApiKey(target.key));
      const newLookup = await deps.store.findByDigest(digestApiKey(rotated.key));
      expect(Date.parse(oldLookup?.expiresAt ?? '')).toBe(Date.parse(rotated.createdAt) + grace * 1000);
      expect(newLookup).toMatchObject({ keyId: rotated.id, expiresAt: rotated.expiresAt, enabled: true });
    }
    // A second rotation of the same key is refused by the read, before any write.
    counter.reset();
    await expect(rotateKey(deps, admin, old.id, {})).rejects.toThrow(/already rotated/);
    expect(counter.byKind()).toEqual({ 'GetItem (consistent)': 2 });
  });

  it('disable and enable: 2 GetItems + 1 TransactWriteItems each; the lookup item carries enabled', async () => {
    const { deps, counter } = management();
    const key = await createKey(deps, admin, { name: 'k', scopes: ['colleagues:read'] });
    for (const enabled of [false, false, true]) {
      counter.reset();
      await setKeyEnabled(deps, admin, key.id, enabled);
      expect(counter.byKind()).toEqual(READS_AND_ONE_TRANSACTION);
      expect((await deps.store.findByDigest(digestApiKey(key.key)))?.enabled).toBe(enabled);
    }
  });
});
