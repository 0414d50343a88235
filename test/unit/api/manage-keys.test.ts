import { describe, expect, it } from 'vitest';
import {
  callerOf,
  encodeCaller,
  MissingCallerError,
} from '../../../shared/adapters/apigateway/authorizer-context.js';
import { InvalidRequestError, NotFoundError, NotPermittedError } from '../../../shared/domain/errors.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { deleteKey } from '../../../shared/domain/management/delete-api-key.js';
import { getKey } from '../../../shared/domain/management/get-api-key.js';
import { listKeys } from '../../../shared/domain/management/list-api-keys.js';
import { listScopes } from '../../../shared/domain/management/list-scopes.js';
import { renameKey } from '../../../shared/domain/management/rename-api-key.js';
import { describeScopeCatalog } from '../../../shared/domain/scopes/scope-presentation.js';
import { CATALOG } from '../../support/catalog.js';
import { admin, DAY_MS, HOUR_MS, keyCaller, makeDeps, rejected } from './fixtures.js';

async function seed(deps: ReturnType<typeof makeDeps>, count: number, companyId = 'acme') {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await createKey(deps, admin(companyId), {
      name: `key ${i}`,
      scopes: ['colleagues:read'],
    });
    ids.push(created.id);
    deps.clock.advance(1000);
  }
  return ids;
}

describe('listKeys', () => {
  it('pages newest first with no gaps or duplicates; nextCursor is null on the last page', async () => {
    const deps = makeDeps();
    const ids = await seed(deps, 12);
    await seed(deps, 3, 'globex');
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listKeys(deps, admin(), { limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('marks keys expired from the instant now >= expiresAt, and never shows the secret', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), {
      name: 'short',
      scopes: ['colleagues:read'],
      expiresIn: 3600,
    });
    deps.clock.advance(HOUR_MS - 1);
    expect((await listKeys(deps, admin(), { limit: 10 })).items[0]?.expired).toBe(false);
    deps.clock.advance(1);
    const page = await listKeys(deps, admin(), { limit: 10 });
    expect(page.items[0]?.expired).toBe(true);
    expect(JSON.stringify(page)).not.toContain(created.key);
  });

  it("answers 400 for a tampered cursor or another company's cursor", async () => {
    const deps = makeDeps();
    await seed(deps, 3);
    await seed(deps, 3, 'globex');
    const { nextCursor } = await listKeys(deps, admin('globex'), { limit: 1 });
    const foreign = await rejected(listKeys(deps, admin(), { limit: 1, cursor: nextCursor as string }));
    expect(foreign).toBeInstanceOf(InvalidRequestError);
    expect((foreign as InvalidRequestError).errors).toEqual([
      { parameter: 'cursor', detail: expect.any(String) },
    ]);
    const own = (await listKeys(deps, admin(), { limit: 1 })).nextCursor as string;
    const tampered = `${own.slice(0, 5)}${own[5] === 'x' ? 'y' : 'x'}${own.slice(6)}`;
    expect(await rejected(listKeys(deps, admin(), { limit: 1, cursor: tampered }))).toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('lets keys holding apikeys:read or apikeys:* list, and no other key', async () => {
    const deps = makeDeps();
    await seed(deps, 1);
    // Each also covers the seeded key's colleagues:read, so the delegation rule shows it.
    for (const scopes of [['apikeys:read'], ['apikeys:*'], ['apikeys:ListApiKeys'], ['*:*']]) {
      const caller = keyCaller([...scopes, 'colleagues:read']);
      expect((await listKeys(deps, caller, { limit: 10 })).items).toHaveLength(1);
    }
    for (const scopes of [['colleagues:*'], ['pbx:*'], ['apikeys:GetApiKey']]) {
      expect(await rejected(listKeys(deps, keyCaller(scopes), { limit: 10 }))).toBeInstanceOf(
        NotPermittedError,
      );
    }
  });
});

describe('getKey, renameKey, deleteKey', () => {
  it("answer 404 for another company's key, an unknown id and a malformed id, changing nothing", async () => {
    const deps = makeDeps();
    const [theirs] = await seed(deps, 1, 'globex');
    const before = deps.store.snapshot();
    const ids = [theirs, '0190a0b0-0000-7000-8000-00000000ffff', 'not-an-id', '../KEY#x', undefined];
    for (const id of ids) {
      expect(await rejected(getKey(deps, admin(), id))).toBeInstanceOf(NotFoundError);
      expect(await rejected(renameKey(deps, admin(), id, { name: 'mine now' }))).toBeInstanceOf(
        NotFoundError,
      );
      expect(await rejected(deleteKey(deps, admin(), id))).toBeInstanceOf(NotFoundError);
    }
    expect(deps.store.snapshot()).toEqual(before);
    // the same answer for every kind of miss
    const details = await Promise.all(
      ids.map(async (id) => ((await rejected(getKey(deps, admin(), id))) as NotFoundError).detail),
    );
    expect(new Set(details).size).toBe(1);
  });

  it('gets, renames and deletes a key of the company', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), { name: 'old', scopes: ['colleagues:read'] });
    const { key: _secret, ...view } = created;
    expect(await getKey(deps, admin(), created.id)).toEqual(view);
    expect(await renameKey(deps, admin(), created.id, { name: '  new name ✨ ' })).toEqual({
      ...view,
      name: 'new name ✨',
    });
    expect(
      (await deps.store.findByDigest(deps.store.stored('acme', created.id)?.digest as string))?.name,
    ).toBe('new name ✨');
    await deleteKey(deps, admin(), created.id);
    expect(await rejected(getKey(deps, admin(), created.id))).toBeInstanceOf(NotFoundError);
    expect((await listKeys(deps, admin(), { limit: 10 })).items).toEqual([]);
  });

  it('rename accepts only {name}: other fields get a 400 saying scopes and expiry cannot change', async () => {
    const deps = makeDeps();
    const [id] = await seed(deps, 1);
    const before = deps.store.snapshot();
    for (const body of [
      { name: 'x', scopes: ['*:*'] },
      { name: 'x', expiresAt: new Date(Date.now() + DAY_MS).toISOString() },
      { name: 'x', expiresIn: 7200 },
      { allowedIps: ['10.0.0.0/8'] },
      { name: 'x', colour: 'red' },
    ]) {
      const error = await rejected(renameKey(deps, admin(), id, body));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).detail).toMatch(
        /scopes, expiry .* cannot change.*create a new key/i,
      );
      const field = Object.keys(body).find((name) => name !== 'name');
      expect((error as InvalidRequestError).errors).toContainEqual({
        pointer: `/${field}`,
        detail: expect.any(String),
      });
    }
    for (const [body, pointer] of [
      [{}, '/name'],
      [{ name: '' }, '/name'],
      [{ name: 'x'.repeat(101) }, '/name'],
      [{ name: null }, '/name'],
      [['name'], ''],
      ['name', ''],
    ] as const) {
      const error = await rejected(renameKey(deps, admin(), id, body));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(
        (error as InvalidRequestError).errors?.map((problem) =>
          'pointer' in problem ? problem.pointer : '',
        ),
      ).toEqual([pointer]);
    }
    expect(deps.store.snapshot()).toEqual(before);
  });

  it('lets an apikeys:read key read but not rename or delete', async () => {
    const deps = makeDeps();
    const [id] = await seed(deps, 1);
    const reader = keyCaller(['apikeys:read', 'colleagues:read']);
    expect((await getKey(deps, reader, id)).id).toBe(id);
    expect(await rejected(renameKey(deps, reader, id, { name: 'x' }))).toBeInstanceOf(NotPermittedError);
    expect(await rejected(deleteKey(deps, reader, id))).toBeInstanceOf(NotPermittedError);
    const writer = keyCaller(['apikeys:*', 'colleagues:*']);
    expect((await renameKey(deps, writer, id, { name: 'by key' })).name).toBe('by key');
    await deleteKey(deps, writer, id);
    expect(await deps.store.get('acme', id as string)).toBeUndefined();
  });
});

describe('listScopes and the caller', () => {
  it('serves the scope catalog to any key and to root admins', () => {
    expect(listScopes(CATALOG, keyCaller(['colleagues:read']))).toEqual(describeScopeCatalog(CATALOG));
    expect(listScopes(CATALOG, admin()).scopes.length).toBeGreaterThan(25);
  });

  it('fails closed without an authorizer context', () => {
    expect(() => callerOf({ requestContext: {} })).toThrow(MissingCallerError);
    expect(() => callerOf({ requestContext: { authorizer: null } })).toThrow(MissingCallerError);
    expect(() => callerOf({ requestContext: { authorizer: { companyId: 'acme' } } })).toThrow(
      MissingCallerError,
    );
    expect(callerOf({ requestContext: { authorizer: encodeCaller(admin()) } })).toEqual({
      ...admin(),
      origin: { requestId: null, sourceIp: null, userAgent: null },
    });
  });

  it('carries where the request came from, for the audit log', () => {
    const caller = callerOf({
      requestContext: {
        authorizer: encodeCaller(admin()),
        requestId: 'req-9',
        identity: { sourceIp: '198.51.100.4', userAgent: 'keygate-cli' },
      },
    });
    expect(caller.origin).toEqual({ requestId: 'req-9', sourceIp: '198.51.100.4', userAgent: 'keygate-cli' });
  });
});
