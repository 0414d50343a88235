import { describe, expect, it } from 'vitest';
import { decodeCaller, encodeCaller } from '../../../shared/adapters/apigateway/authorizer-context.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { NotFoundError, NotPermittedError } from '../../../shared/domain/errors.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { deleteKey } from '../../../shared/domain/management/delete-api-key.js';
import { getKey } from '../../../shared/domain/management/get-api-key.js';
import { listKeys } from '../../../shared/domain/management/list-api-keys.js';
import { renameKey } from '../../../shared/domain/management/rename-api-key.js';
import { FILTERED_LIST_READ_BUDGET } from '../../../shared/domain/ports.js';
import { admin, DAY_MS, HOUR_MS, keyCaller, makeDeps, T0 } from './fixtures.js';

/** The delegation rule through the management use cases: a key never does more than its holder. */

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const limitedKey = (overrides: Partial<Extract<Caller, { kind: 'key' }>> = {}): Caller => ({
  ...(keyCaller(['apikeys:*', 'messaging:read']) as Extract<Caller, { kind: 'key' }>),
  expiresAt: new Date(T0.getTime() + HOUR_MS).toISOString(),
  allowedIps: ['127.0.0.1/32'],
  ...overrides,
});

describe('creating keys by key (delegation)', () => {
  it('gives a child with no expiry or allow-list the parent limits: capped expiry, inherited list', async () => {
    const deps = makeDeps();
    const parent = limitedKey({ expiresAt: new Date(T0.getTime() + 2 * HOUR_MS).toISOString() });
    const created = await createKey(deps, parent, { name: 'child', scopes: ['messaging:read'] });
    expect(created).toMatchObject({
      expiresAt: new Date(T0.getTime() + 2 * HOUR_MS).toISOString(),
      allowedIps: ['127.0.0.1/32'],
      createdBy: `key:${(parent as { keyId: string }).keyId}`,
    });
    // what was stored is what the 201 says
    expect(await deps.store.get('acme', created.id)).toMatchObject({
      expiresAt: created.expiresAt,
      allowedIps: ['127.0.0.1/32'],
    });
  });

  it('refuses the issue-8 escalation (1-year child, no allow-list) with a 403 naming both, changing nothing', async () => {
    const deps = makeDeps();
    const before = deps.store.snapshot();
    const error = await rejected(
      createKey(deps, limitedKey(), {
        name: 'escape',
        scopes: ['apikeys:*', 'messaging:read'],
        expiresIn: 365 * 86_400,
        allowedIps: [],
      }),
    );
    expect(error).toBeInstanceOf(NotPermittedError);
    const problem = error as NotPermittedError;
    expect(problem.detail).toMatch(/^This key may not create a key beyond its own limits: /);
    expect(problem.detail).toContain('outlive');
    expect(problem.detail).toContain('allow-list');
    expect(problem.errors).toEqual([
      { pointer: '/expiresIn', detail: expect.stringContaining('no later than') },
      { pointer: '/allowedIps', detail: expect.stringContaining('inherit') },
    ]);
    expect(deps.store.snapshot()).toEqual(before);
  });

  it('refuses entries outside the parent allow-list, pointing at each', async () => {
    const deps = makeDeps();
    const parent = limitedKey({ allowedIps: ['10.0.0.0/8', '2001:db8::/32'] });
    const error = (await rejected(
      createKey(deps, parent, {
        name: 'wider',
        scopes: ['messaging:read'],
        allowedIps: ['10.2.0.0/16', '::1', '192.168.0.0/16'],
      }),
    )) as NotPermittedError;
    expect(error).toBeInstanceOf(NotPermittedError);
    expect(error.errors?.map((problem) => ('pointer' in problem ? problem.pointer : ''))).toEqual([
      '/allowedIps/1',
      '/allowedIps/2',
    ]);
    const inside = await createKey(deps, parent, {
      name: 'narrower',
      scopes: ['messaging:read'],
      allowedIps: ['10.2.0.0/16', '2001:db8:aa::1'],
    });
    expect(inside.allowedIps).toEqual(['10.2.0.0/16', '2001:db8:aa::1/128']);
  });

  it('refuses a parent with less than an hour left when no expiry is given (no key below the minimum)', async () => {
    const deps = makeDeps();
    const parent = limitedKey({ expiresAt: new Date(T0.getTime() + 30 * 60_000).toISOString() });
    const error = (await rejected(createKey(deps, parent, { name: 'late', scopes: ['messaging:read'] }))) as
      | NotPermittedError
      | undefined;
    expect(error).toBeInstanceOf(NotPermittedError);
    expect(error?.detail).toContain('1-hour minimum');
    expect(error?.errors).toEqual([
      { pointer: '/expiresAt', detail: expect.stringContaining('less than 1 hour') },
    ]);
  });

  it('leaves root admins unbounded: default expiry, no inherited list', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), { name: 'root made', scopes: ['messaging:read'] });
    expect(created.expiresAt).toBe(new Date(T0.getTime() + 365 * DAY_MS).toISOString());
    expect(created.allowedIps).toEqual([]);
  });
});

async function seedScopes(deps: ReturnType<typeof makeDeps>, scopesList: string[][]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, scopes] of scopesList.entries()) {
    const created = await createKey(deps, admin(), {
      name: `key ${i} ${scopes.join(' ')}`,
      scopes,
      allowedIps: [`192.0.2.${i % 256}`],
      ...(scopes.includes('*:*') ? { expiresIn: 3600 } : {}),
    });
    ids.push(created.id);
    deps.clock.advance(1000);
  }
  return ids;
}

describe('seeing and managing keys by key (delegation)', () => {
  it('answers 404 (the same as an unknown key) on get, rename and delete of a key it does not cover', async () => {
    const deps = makeDeps();
    const [global, pbx] = await seedScopes(deps, [['*:*'], ['pbx:*']]);
    const caller = keyCaller(['apikeys:*', 'messaging:read']);
    const before = deps.store.snapshot();
    const unknown = (
      (await rejected(getKey(deps, caller, '0190a0b0-0000-7000-8000-00000000ffff'))) as NotFoundError
    ).detail;
    for (const id of [global, pbx]) {
      const got = await rejected(getKey(deps, caller, id));
      expect(got).toBeInstanceOf(NotFoundError);
      expect((got as NotFoundError).detail).toBe(unknown);
      expect(await rejected(renameKey(deps, caller, id, { name: 'disguised' }))).toBeInstanceOf(
        NotFoundError,
      );
      expect(await rejected(deleteKey(deps, caller, id))).toBeInstanceOf(NotFoundError);
    }
    expect(deps.store.snapshot()).toEqual(before);
    // a root admin still sees and manages them
    expect((await getKey(deps, admin(), pbx)).scopes).toEqual(['pbx:*']);
  });

  it('gets, renames and deletes the keys it covers', async () => {
    const deps = makeDeps();
    const [covered] = await seedScopes(deps, [['messaging:ListChannels']]);
    const caller = keyCaller(['apikeys:*', 'messaging:read']);
    expect((await getKey(deps, caller, covered)).id).toBe(covered);
    expect((await renameKey(deps, caller, covered, { name: 'renamed' })).name).toBe('renamed');
    await deleteKey(deps, caller, covered);
    expect(await deps.store.get('acme', covered as string)).toBeUndefined();
  });

  it('lists only covered keys: the others never appear, not even their names or allow-lists', async () => {
    const deps = makeDeps();
    await seedScopes(deps, [
      ['*:*'],
      ['messaging:read'],
      ['pbx:*'],
      ['messaging:ListChannels'],
      ['colleagues:read'],
    ]);
    const reader = keyCaller(['apikeys:read', 'messaging:read']);
    const page = await listKeys(deps, reader, { limit: 10 });
    expect(page.items.map((item) => item.scopes)).toEqual([['messaging:ListChannels'], ['messaging:read']]);
    expect(page.nextCursor).toBeNull();
    const body = JSON.stringify(page);
    for (const hidden of ['*:*', 'pbx:*', 'colleagues', '192.0.2.0', '192.0.2.2', '192.0.2.4']) {
      expect(body).not.toContain(hidden);
    }
    // root admins: everything, as before
    expect((await listKeys(deps, admin(), { limit: 10 })).items).toHaveLength(5);
  });

  it('fills filtered pages up to the limit and pages with no gaps or duplicates', async () => {
    const deps = makeDeps();
    // 7 covered keys interleaved with 14 hidden ones
    const pattern = Array.from({ length: 21 }, (_, i) => (i % 3 === 0 ? ['messaging:read'] : ['pbx:*']));
    const ids = await seedScopes(deps, pattern);
    const covered = ids.filter((_, i) => i % 3 === 0).reverse();
    const reader = keyCaller(['apikeys:read', 'messaging:read']);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listKeys(deps, reader, { limit: 3, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(covered);
  });

  it('bounds the reading of a sparse list: a short page with a cursor, then the rest', async () => {
    const deps = makeDeps();
    const hidden = Array.from({ length: FILTERED_LIST_READ_BUDGET + 5 }, () => ['pbx:*']);
    const ids = await seedScopes(deps, [['messaging:read'], ...hidden]);
    const reader = keyCaller(['apikeys:read', 'messaging:read']);
    const first = await listKeys(deps, reader, { limit: 10 });
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listKeys(deps, reader, { limit: 10, cursor: first.nextCursor as string });
    expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('the caller allow-list in the authorizer context', () => {
  it('round-trips, and a key context without it is incomplete (fails closed)', () => {
    const caller = limitedKey({ allowedIps: ['127.0.0.1/32', '2001:db8::/32'] });
    const context = encodeCaller(caller);
    expect(context.allowedIps).toBe('127.0.0.1/32 2001:db8::/32');
    expect(decodeCaller(context)).toEqual(caller);
    expect(decodeCaller({ ...context, allowedIps: '' })).toMatchObject({ allowedIps: [] });
    const { allowedIps: _dropped, ...withoutList } = context;
    expect(decodeCaller(withoutList)).toBeUndefined();
  });
});
