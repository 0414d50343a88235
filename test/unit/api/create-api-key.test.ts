import { describe, expect, it } from 'vitest';
import { InvalidRequestError, NotPermittedError } from '../../../shared/domain/errors.js';
import { digestApiKey, parseApiKey } from '../../../shared/domain/keys/key-format.js';
import { isKeyId } from '../../../shared/domain/keys/key-id.js';
import { createKey } from '../../../shared/domain/management/create-api-key.js';
import { KEY_VIEW_FIELDS } from '../../support/key-view-fields.js';
import { admin, DAY_MS, HOUR_MS, keyCaller, makeDeps, PREFIX, rejected, T0 } from './fixtures.js';

describe('createKey', () => {
  it('creates a key: the record fields, the secret this once, the digest and TTL stored', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), {
      name: '  CI pipeline  ',
      scopes: ['messaging:ListChannels', 'messaging:read', 'colleagues:read'],
      expiresIn: (2 * DAY_MS) / 1000,
      allowedIps: ['10.0.0.0/8', '2001:db8::1'],
    });

    expect(Object.keys(created).sort()).toEqual([...KEY_VIEW_FIELDS, 'key'].sort());
    expect(parseApiKey(created.key, PREFIX).ok).toBe(true);
    expect(created).toMatchObject({
      name: 'CI pipeline',
      keyPrefix: created.key.slice(0, PREFIX.length + 3),
      // normalised: messaging:ListChannels is a read operation covered by messaging:read
      scopes: ['colleagues:read', 'messaging:read'],
      allowedIps: ['10.0.0.0/8', '2001:db8::1/128'],
      createdAt: T0.toISOString(),
      createdBy: 'admin:root@acme.example',
      expiresAt: new Date(T0.getTime() + 2 * DAY_MS).toISOString(),
      expired: false,
      lastUsedAt: null,
    });
    expect(isKeyId(created.id)).toBe(true);

    const stored = deps.store.stored('acme', created.id);
    expect(stored?.digest).toBe(digestApiKey(created.key));
    expect(stored?.ttl).toBe((T0.getTime() + 2 * DAY_MS) / 1000 + 30 * 86_400);
    expect(JSON.stringify(deps.store.snapshot())).not.toContain(created.key);

    const { key: _secret, ...view } = created;
    expect(await deps.store.get('acme', created.id)).toEqual({
      ...view,
      companyId: 'acme',
      expired: undefined,
    });
  });

  it('defaults to 365 days, and to 7 days for a key holding *:*', async () => {
    const deps = makeDeps();
    const normal = await createKey(deps, admin(), { name: 'a', scopes: ['colleagues:read'] });
    expect(Date.parse(normal.expiresAt) - T0.getTime()).toBe(365 * DAY_MS);
    const global = await createKey(deps, admin(), { name: 'b', scopes: ['*:*', 'colleagues:read'] });
    expect(global.scopes).toEqual(['*:*']);
    expect(Date.parse(global.expiresAt) - T0.getTime()).toBe(7 * DAY_MS);
  });

  it('records a key caller as the creator', async () => {
    const deps = makeDeps();
    const caller = keyCaller(['apikeys:*', 'colleagues:*']);
    const created = await createKey(deps, caller, { name: 'child', scopes: ['colleagues:read'] });
    expect(created.createdBy).toBe(`key:${caller.kind === 'key' ? caller.keyId : ''}`);
  });

  const base = { name: 'valid', scopes: ['colleagues:read'] };
  const badBodies: Array<[string, unknown, string[]]> = [
    ['an array body', [base], ['']],
    ['a null body', null, ['']],
    ['a string body', 'name', ['']],
    ['an unknown field', { ...base, owner: 'bob' }, ['/owner']],
    ['a field name needing pointer escapes', { ...base, 'a/b~c': 1 }, ['/a~1b~0c']],
    ['a missing name', { scopes: base.scopes }, ['/name']],
    ['an empty name', { ...base, name: '   ' }, ['/name']],
    ['a name over 100 characters', { ...base, name: 'x'.repeat(101) }, ['/name']],
    ['a name with a control character', { ...base, name: 'bad\u0007name' }, ['/name']],
    ['a name of the wrong type', { ...base, name: 42 }, ['/name']],
    ['missing scopes', { name: 'n' }, ['/scopes']],
    ['empty scopes', { ...base, scopes: [] }, ['/scopes']],
    ['scopes not an array', { ...base, scopes: 'colleagues:read' }, ['/scopes']],
    ['an unknown scope', { ...base, scopes: ['colleagues:read', 'nope:read'] }, ['/scopes/1']],
    ['a malformed scope', { ...base, scopes: ['colleagues read'] }, ['/scopes/0']],
    ['a scope of the wrong type', { ...base, scopes: [7] }, ['/scopes/0']],
    ['an expiresAt that is not RFC 3339', { ...base, expiresAt: 'tomorrow' }, ['/expiresAt']],
    [
      'an expiresAt under 1 hour',
      { ...base, expiresAt: new Date(T0.getTime() + 10 * 60_000).toISOString() },
      ['/expiresAt'],
    ],
    [
      'an expiresAt over 1 year',
      { ...base, expiresAt: new Date(T0.getTime() + 366 * DAY_MS).toISOString() },
      ['/expiresAt'],
    ],
    ['an expiresIn of 59 minutes', { ...base, expiresIn: 3540 }, ['/expiresIn']],
    ['a fractional expiresIn', { ...base, expiresIn: 3600.5 }, ['/expiresIn']],
    ['an expiresIn as a string', { ...base, expiresIn: '3600' }, ['/expiresIn']],
    [
      'both expiresAt and expiresIn',
      { ...base, expiresIn: 7200, expiresAt: new Date(T0.getTime() + 2 * HOUR_MS).toISOString() },
      ['/expiresAt', '/expiresIn'],
    ],
    ['*:* for 8 days', { ...base, scopes: ['*:*'], expiresIn: 8 * 86_400 }, ['/expiresIn']],
    ['an invalid CIDR', { ...base, allowedIps: ['10.0.0.0/33'] }, ['/allowedIps/0']],
    ['a CIDR with host bits', { ...base, allowedIps: ['10.0.0.1/8'] }, ['/allowedIps/0']],
    [
      '51 allowedIps',
      { ...base, allowedIps: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) },
      ['/allowedIps'],
    ],
    ['allowedIps not an array', { ...base, allowedIps: '10.0.0.0/8' }, ['/allowedIps']],
  ];

  it.each(badBodies)(
    'answers 400 naming the field for %s, and stores nothing',
    async (_what, body, pointers) => {
      const deps = makeDeps();
      const before = deps.store.snapshot();
      const error = await rejected(createKey(deps, admin(), body));
      expect(error).toBeInstanceOf(InvalidRequestError);
      const problems = (error as InvalidRequestError).errors ?? [];
      expect(problems.map((problem) => ('pointer' in problem ? problem.pointer : undefined))).toEqual(
        pointers,
      );
      for (const problem of problems) expect(problem.detail.length).toBeGreaterThan(0);
      expect(deps.store.snapshot()).toEqual(before);
    },
  );

  it('names every bad field in one answer', async () => {
    const deps = makeDeps();
    const error = await rejected(
      createKey(deps, admin(), {
        name: '',
        scopes: ['nope:*'],
        expiresIn: 1,
        allowedIps: ['x'],
        extra: true,
      }),
    );
    const pointers = ((error as InvalidRequestError).errors ?? []).map((problem) =>
      'pointer' in problem ? problem.pointer : '',
    );
    expect(pointers.sort()).toEqual(['/allowedIps/0', '/expiresIn', '/extra', '/name', '/scopes/0']);
  });

  it('lets a key grant only scopes its own scopes cover, naming each one it may not', async () => {
    const deps = makeDeps();
    const caller = keyCaller(['apikeys:*', 'messaging:read', 'colleagues:*']);
    const allowed = await createKey(deps, caller, {
      name: 'narrower',
      scopes: ['messaging:ListChannels', 'colleagues:read'],
    });
    expect(allowed.scopes).toEqual(['colleagues:read', 'messaging:ListChannels']);

    const before = deps.store.snapshot();
    const error = await rejected(
      createKey(deps, caller, { name: 'wider', scopes: ['colleagues:read', 'messaging:SendMessage', '*:*'] }),
    );
    expect(error).toBeInstanceOf(NotPermittedError);
    expect((error as NotPermittedError).detail).toContain('messaging:SendMessage');
    expect((error as NotPermittedError).detail).toContain('*:*');
    expect((error as NotPermittedError).detail).not.toContain('colleagues:read');
    expect((error as NotPermittedError).errors).toEqual([
      { pointer: '/scopes/1', detail: expect.stringContaining('messaging:SendMessage') },
      { pointer: '/scopes/2', detail: expect.stringContaining('*:*') },
    ]);
    expect(deps.store.snapshot()).toEqual(before);
  });

  it('names each scope a key may not grant when several are beyond it', async () => {
    const deps = makeDeps();
    const caller = keyCaller(['apikeys:*', 'messaging:read']);
    const error = await rejected(
      createKey(deps, caller, { name: 'wider', scopes: ['messaging:SendMessage', 'colleagues:read'] }),
    );
    expect(error).toBeInstanceOf(NotPermittedError);
    const pointers = (error as NotPermittedError).errors?.map((problem) =>
      'pointer' in problem ? problem.pointer : '',
    );
    expect(pointers?.sort()).toEqual(['/scopes/0', '/scopes/1']);
  });

  it('lets a root admin grant any scope', async () => {
    const deps = makeDeps();
    const created = await createKey(deps, admin(), { name: 'global', scopes: ['*:*'], expiresIn: 3600 });
    expect(created.scopes).toEqual(['*:*']);
  });

  it('refuses a key that may only read keys, and lets any key whose scopes cover the route create', async () => {
    const deps = makeDeps();
    const readOnly = await rejected(createKey(deps, keyCaller(['apikeys:read', 'colleagues:*']), base));
    expect(readOnly).toBeInstanceOf(NotPermittedError);
    expect((readOnly as NotPermittedError).detail).toContain('apikeys:*');
    await expect(createKey(deps, keyCaller(['*:*']), base)).resolves.toMatchObject({ name: 'valid' });
  });
});
