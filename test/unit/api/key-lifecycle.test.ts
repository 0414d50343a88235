import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import {
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  NotPermittedError,
} from '../../../shared/domain/errors.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { getKey } from '../../../shared/domain/management/get-api-key.js';
import { rotateKey } from '../../../shared/domain/management/rotate-api-key.js';
import { setKeyEnabled } from '../../../shared/domain/management/set-key-enabled.js';
import { admin, DAY_MS, HOUR_MS, keyCaller, makeDeps, rejected, T0 } from './fixtures.js';

/** Rotate, disable and enable as use cases: who may, what changes, and what is refused. */

/** The caller a stored key becomes once the authorizer has read it. */
const asCaller = (record: { id: string; scopes: string[]; expiresAt: string }): Caller => ({
  kind: 'key',
  companyId: 'acme',
  keyId: record.id,
  keyName: 'self',
  scopes: record.scopes,
  expiresAt: record.expiresAt,
  allowedIps: [],
});

describe('rotateKey', () => {
  it('makes a successor with the same name, scopes, allow-list and original lifetime; the old key ends after the grace', async () => {
    const deps = makeDeps();
    const old = await createKey(deps, admin(), {
      name: 'Billing',
      scopes: ['colleagues:read'],
      expiresIn: 30 * 86_400,
      allowedIps: ['10.0.0.0/8'],
    });
    deps.clock.advance(5 * DAY_MS);
    const rotated = await rotateKey(deps, admin(), old.id, { gracePeriodSeconds: 3600 });
    expect(rotated).toMatchObject({
      name: 'Billing',
      scopes: ['colleagues:read'],
      allowedIps: ['10.0.0.0/8'],
      createdAt: new Date(T0.getTime() + 5 * DAY_MS).toISOString(),
      expiresAt: new Date(T0.getTime() + 35 * DAY_MS).toISOString(),
      enabled: true,
      rotatedFrom: old.id,
      rotatedTo: null,
    });
    expect(rotated.id).not.toBe(old.id);
    expect(rotated.key).not.toBe(old.key);
    const after = await getKey(deps, admin(), old.id);
    expect(after).toMatchObject({
      expiresAt: new Date(T0.getTime() + 5 * DAY_MS + HOUR_MS).toISOString(),
      rotatedTo: rotated.id,
      expired: false,
    });
    expect(deps.store.ttlOf('acme', old.id)).toBe(
      Math.floor((T0.getTime() + 5 * DAY_MS + HOUR_MS) / 1000) + 30 * 86_400,
    );
  });

  it('defaults the grace to 1 day, and 0 expires the old key at once', async () => {
    const deps = makeDeps();
    const a = await createKey(deps, admin(), { name: 'a', scopes: ['colleagues:read'] });
    const b = await createKey(deps, admin(), { name: 'b', scopes: ['colleagues:read'] });
    await rotateKey(deps, admin(), a.id, {});
    await rotateKey(deps, admin(), b.id, { gracePeriodSeconds: 0 });
    expect((await getKey(deps, admin(), a.id)).expiresAt).toBe(new Date(T0.getTime() + DAY_MS).toISOString());
    expect(await getKey(deps, admin(), b.id)).toMatchObject({ expiresAt: T0.toISOString(), expired: true });
  });

  it('refuses a bad grace or any other field with a 400, changing nothing', async () => {
    const deps = makeDeps();
    const key = await createKey(deps, admin(), { name: 'a', scopes: ['colleagues:read'] });
    const before = deps.store.snapshot();
    for (const body of [
      { gracePeriodSeconds: -1 },
      { gracePeriodSeconds: 604_801 },
      { gracePeriodSeconds: 1.5 },
      { gracePeriodSeconds: '60' },
      { scopes: ['*:*'] },
      [],
    ]) {
      expect(await rejected(rotateKey(deps, admin(), key.id, body)), JSON.stringify(body)).toBeInstanceOf(
        InvalidRequestError,
      );
    }
    expect(deps.store.snapshot()).toEqual(before);
  });

  it('refuses (409) a key already rotated, an expired key and a disabled key', async () => {
    const deps = makeDeps();
    const rotated = await createKey(deps, admin(), { name: 'r', scopes: ['colleagues:read'] });
    await rotateKey(deps, admin(), rotated.id, {});
    const short = await createKey(deps, admin(), { name: 's', scopes: ['colleagues:read'], expiresIn: 3600 });
    const disabled = await createKey(deps, admin(), { name: 'd', scopes: ['colleagues:read'] });
    await setKeyEnabled(deps, admin(), disabled.id, false);
    const again = await rejected(rotateKey(deps, admin(), rotated.id, {}));
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toMatch(/already rotated/);
    deps.clock.advance(HOUR_MS);
    expect(((await rejected(rotateKey(deps, admin(), short.id, {}))) as Error).message).toMatch(
      /Expired keys cannot be rotated; create a new key/,
    );
    expect(((await rejected(rotateKey(deps, admin(), disabled.id, {}))) as Error).message).toMatch(
      /Disabled keys cannot be rotated/,
    );
  });

  it('lets a key rotate itself with apikeys:RotateApiKey, its successor not capped by the old expiry', async () => {
    const deps = makeDeps();
    const self = await createKey(deps, admin(), {
      name: 'integration',
      scopes: ['apikeys:RotateApiKey', 'colleagues:read'],
      expiresIn: 30 * 86_400,
    });
    deps.clock.advance(29 * DAY_MS);
    const next = await rotateKey(deps, asCaller(self), self.id, { gracePeriodSeconds: 60 });
    expect(next.expiresAt).toBe(new Date(T0.getTime() + 59 * DAY_MS).toISOString());
    expect(next.createdBy).toBe(`key:${self.id}`);
    // The successor may rotate itself in turn.
    const third = await rotateKey(deps, asCaller(next), next.id, {});
    expect(third.rotatedFrom).toBe(next.id);
  });

  it('lets a managing key rotate only keys it covers (others 404), capping the successor at its own expiry', async () => {
    const deps = makeDeps();
    const covered = await createKey(deps, admin(), { name: 'c', scopes: ['colleagues:read'] });
    const beyond = await createKey(deps, admin(), { name: 'b', scopes: ['colleagues:*'] });
    const manager = keyCaller(['apikeys:*', 'colleagues:read']);
    const rotated = await rotateKey(deps, manager, covered.id, {});
    expect(rotated.expiresAt).toBe(new Date(T0.getTime() + 30 * DAY_MS).toISOString());
    expect(await rejected(rotateKey(deps, manager, beyond.id, {}))).toBeInstanceOf(NotFoundError);
    // Another company's key does not exist for it either.
    const other = await createKey(deps, admin('globex'), { name: 'g', scopes: ['colleagues:read'] });
    expect(await rejected(rotateKey(deps, manager, other.id, {}))).toBeInstanceOf(NotFoundError);
    // A manager that expires within the hour cannot make a successor at all.
    const expiring = { ...manager, expiresAt: new Date(T0.getTime() + HOUR_MS - 1000).toISOString() };
    expect(await rejected(rotateKey(deps, expiring, rotated.id, {}))).toBeInstanceOf(NotPermittedError);
  });

  it('refuses (403) a managing key with an allow-list a key usable beyond it, since the secret would go to it', async () => {
    const deps = makeDeps();
    const manager = { ...keyCaller(['apikeys:*', 'colleagues:read']), allowedIps: ['10.0.0.0/8'] };
    const anywhere = await createKey(deps, admin(), { name: 'anywhere', scopes: ['colleagues:read'] });
    const wider = await createKey(deps, admin(), {
      name: 'wider',
      scopes: ['colleagues:read'],
      allowedIps: ['10.1.0.0/16', '192.0.2.0/24'],
    });
    const inside = await createKey(deps, admin(), {
      name: 'inside',
      scopes: ['colleagues:read'],
      allowedIps: ['10.1.0.0/16'],
    });
    const everywhere = (await rejected(rotateKey(deps, manager, anywhere.id, {}))) as NotPermittedError;
    expect(everywhere).toBeInstanceOf(NotPermittedError);
    expect(everywhere.message).toMatch(/every address/);
    // The refusal names the key it was judged on, for its access.denied record.
    expect(everywhere.subject).toEqual({ keyId: anywhere.id, name: 'anywhere', scopes: ['colleagues:read'] });
    const outside = (await rejected(rotateKey(deps, manager, wider.id, {}))) as NotPermittedError;
    expect(outside.message).toContain('(192.0.2.0/24)');
    // Nothing changed: both keys are still unrotated, with their expiry.
    for (const key of [anywhere, wider]) {
      expect(await getKey(deps, admin(), key.id)).toMatchObject({
        rotatedTo: null,
        expiresAt: key.expiresAt,
      });
    }
    const rotated = await rotateKey(deps, manager, inside.id, {});
    expect(rotated.allowedIps).toEqual(['10.1.0.0/16']);
    // A key with an allow-list still rotates itself, and a root admin any key.
    const self = await createKey(deps, admin(), {
      name: 'self',
      scopes: ['apikeys:RotateApiKey'],
      allowedIps: ['10.0.0.0/8'],
    });
    const selfCaller = { ...asCaller(self), allowedIps: ['10.0.0.0/8'] };
    expect((await rotateKey(deps, selfCaller, self.id, {})).rotatedFrom).toBe(self.id);
    expect((await rotateKey(deps, admin(), anywhere.id, {})).rotatedFrom).toBe(anywhere.id);
  });

  it('refuses (403) a key without apikeys:* or the rotate scope, even on itself', async () => {
    const deps = makeDeps();
    const self = await createKey(deps, admin(), { name: 'x', scopes: ['apikeys:read'] });
    expect(await rejected(rotateKey(deps, asCaller(self), self.id, {}))).toBeInstanceOf(NotPermittedError);
  });
});

describe('setKeyEnabled', () => {
  it('disables and enables idempotently, leaving the expiry unchanged', async () => {
    const deps = makeDeps();
    const key = await createKey(deps, admin(), { name: 'k', scopes: ['colleagues:read'] });
    const disabled = await setKeyEnabled(deps, admin(), key.id, false);
    expect(disabled).toMatchObject({ id: key.id, enabled: false, expiresAt: key.expiresAt });
    expect(await setKeyEnabled(deps, admin(), key.id, false)).toEqual(disabled);
    expect((await deps.store.findByDigest(deps.store.stored('acme', key.id)?.digest ?? ''))?.enabled).toBe(
      false,
    );
    const enabled = await setKeyEnabled(deps, admin(), key.id, true);
    expect(enabled).toEqual({ ...disabled, enabled: true });
    expect(await setKeyEnabled(deps, admin(), key.id, true)).toEqual(enabled);
  });

  it('follows the delegation rule: covered keys and itself, with apikeys:* or the operation scope', async () => {
    const deps = makeDeps();
    const covered = await createKey(deps, admin(), { name: 'c', scopes: ['colleagues:read'] });
    const beyond = await createKey(deps, admin(), { name: 'b', scopes: ['colleagues:*'] });
    const disabler = keyCaller(['apikeys:DisableApiKey', 'colleagues:read']);
    expect((await setKeyEnabled(deps, disabler, covered.id, false)).enabled).toBe(false);
    expect(await rejected(setKeyEnabled(deps, disabler, beyond.id, false))).toBeInstanceOf(NotFoundError);
    // Disabling does not grant enabling.
    expect(await rejected(setKeyEnabled(deps, disabler, covered.id, true))).toBeInstanceOf(NotPermittedError);
    expect(
      (await setKeyEnabled(deps, keyCaller(['apikeys:*', 'colleagues:*']), beyond.id, false)).enabled,
    ).toBe(false);
    expect(await rejected(setKeyEnabled(deps, admin('globex'), covered.id, true))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejected(setKeyEnabled(deps, admin(), 'not-an-id', true))).toBeInstanceOf(NotFoundError);
  });
});
