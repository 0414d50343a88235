import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PBX_SCOPE_SECTIONS } from '../../../shared/catalogs/pbx-routes.js';
import { type CatalogRoute, RouteCatalog } from '../../../shared/domain/catalog/route-catalog.js';
import {
  acceptingScopes,
  describeScopeCatalog,
  normaliseScopes,
  parseScope,
  scopeCoversRoute,
  scopeCoversScope,
  scopesCoverRoute,
  scopesCoverScope,
  validateScopes,
} from '../../../shared/domain/scopes/scope-resolution.js';
import { CATALOG } from '../../support/catalog.js';

function route(method: string, path: string): CatalogRoute {
  const matched = CATALOG.match(method, path);
  if (!matched) throw new Error(`no catalog route for ${method} ${path}`);
  return matched.route;
}

const COLLEAGUES_READ = route('GET', '/api/v1/colleagues/');
const COLLEAGUES_WRITE = route('DELETE', '/api/v1/pbx/colleagues/7/');
const LIST_CHANNELS = route('GET', '/v2/conversations/channels/');
const SEND_MESSAGE = route('POST', '/v2/conversations/channels/c1/messages/');
const LIST_SCOPES = route('GET', '/v1/scopes');
const NOTIFICATION_SETTINGS = route('PUT', '/v1/settings/notifications');
const CREATE_KEY = route('POST', '/v1/api-keys');

/** Every scope a key may hold in the shipped catalog. */
const ALL_SCOPES = describeScopeCatalog(CATALOG).scopes.map((entry) => entry.scope);

/** The routes a key with these scopes may call, as ids. */
const coveredRoutes = (scopes: readonly string[]) =>
  CATALOG.routes.filter((r) => scopesCoverRoute(scopes, r)).map((r) => r.id);

describe('parseScope', () => {
  it.each([
    ['*:*', { kind: 'global' }],
    ['colleagues:*', { kind: 'namespace', namespace: 'colleagues' }],
    ['pbx:read', { kind: 'read', namespace: 'pbx' }],
    ['messaging:ListChannels', { kind: 'operation', namespace: 'messaging', operation: 'ListChannels' }],
    ['call-control2:Op9', { kind: 'operation', namespace: 'call-control2', operation: 'Op9' }],
  ])('parses %s', (scope, parsed) => {
    expect(parseScope(scope)).toEqual(parsed);
  });

  it.each([
    '',
    '*',
    '*:read',
    '*:ListChannels',
    'colleagues',
    'colleagues:',
    ':read',
    'Colleagues:read',
    '1pbx:read',
    'colleagues:listChannels',
    'colleagues:List-Channels',
    'colleagues:read:extra',
    'colleagues: read',
    ' colleagues:read',
    'colleagues:read ',
    'colleagues::read',
    'col_leagues:read',
    'messaging:List Channels',
    `a${'b'.repeat(200)}:read`,
  ])('refuses %j', (scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.anything(), fc.stringMatching(/^[a-z*][a-z0-9-]{0,5}:[A-Za-z*]{0,6}$/)),
        (input) => {
          const parsed = parseScope(input as string);
          if (parsed !== undefined) expect(typeof input).toBe('string');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('acceptingScopes', () => {
  it('lists the scopes of a PBX read route: resource read/full, group read/full, global', () => {
    expect(acceptingScopes(COLLEAGUES_READ).sort()).toEqual(
      ['*:*', 'colleagues:*', 'colleagues:read', 'pbx:*', 'pbx:read'].sort(),
    );
  });

  it('lists the scopes of a PBX write route: no read scopes', () => {
    expect(acceptingScopes(COLLEAGUES_WRITE).sort()).toEqual(['*:*', 'colleagues:*', 'pbx:*'].sort());
  });

  it('adds the operation of a named route', () => {
    expect(acceptingScopes(LIST_CHANNELS).sort()).toEqual(
      ['*:*', 'messaging:*', 'messaging:ListChannels', 'messaging:read'].sort(),
    );
    expect(acceptingScopes(SEND_MESSAGE).sort()).toEqual(
      ['*:*', 'messaging:*', 'messaging:SendMessage'].sort(),
    );
  });

  it('is empty for root-admin routes', () => {
    expect(acceptingScopes(NOTIFICATION_SETTINGS)).toEqual([]);
  });
});

describe('scopesCoverRoute', () => {
  it.each(['colleagues:read', 'colleagues:*', 'pbx:read', 'pbx:*', '*:*'])(
    'lets %s read colleagues',
    (scope) => {
      expect(scopesCoverRoute([scope], COLLEAGUES_READ)).toBe(true);
      expect(scopeCoversRoute(scope, COLLEAGUES_READ)).toBe(true);
    },
  );

  it.each(['colleagues:*', 'pbx:*', '*:*'])('lets %s write colleagues', (scope) => {
    expect(scopesCoverRoute([scope], COLLEAGUES_WRITE)).toBe(true);
  });

  it.each(['colleagues:read', 'pbx:read', 'devices:*', 'messaging:*'])(
    'does not let %s write colleagues',
    (scope) => {
      expect(scopesCoverRoute([scope], COLLEAGUES_WRITE)).toBe(false);
      expect(scopeCoversRoute(scope, COLLEAGUES_WRITE)).toBe(false);
    },
  );

  it('covers the cloud example: GET /v2/conversations/channels/ needs messaging:ListChannels or messaging:read', () => {
    expect(scopesCoverRoute(['messaging:ListChannels'], LIST_CHANNELS)).toBe(true);
    expect(scopesCoverRoute(['messaging:read'], LIST_CHANNELS)).toBe(true);
    expect(scopesCoverRoute(['messaging:SendMessage'], LIST_CHANNELS)).toBe(false);
    expect(scopesCoverRoute(['pbx:*', 'users:read'], LIST_CHANNELS)).toBe(false);
    expect(scopesCoverRoute(['messaging:read'], SEND_MESSAGE)).toBe(false);
    expect(scopesCoverRoute(['users:read', 'messaging:SendMessage'], SEND_MESSAGE)).toBe(true);
  });

  it('opens any-key routes to every key and to no empty scope list', () => {
    expect(scopesCoverRoute(['messaging:ListChannels'], LIST_SCOPES)).toBe(true);
    expect(scopesCoverRoute([], LIST_SCOPES)).toBe(false);
  });

  it('never opens root-admin routes to a key, even *:*', () => {
    expect(scopesCoverRoute(['*:*'], NOTIFICATION_SETTINGS)).toBe(false);
    expect(scopesCoverRoute(['apikeys:*'], NOTIFICATION_SETTINGS)).toBe(false);
    expect(scopeCoversRoute('*:*', NOTIFICATION_SETTINGS)).toBe(false);
  });

  it('opens the management API to apikeys scopes', () => {
    expect(scopesCoverRoute(['apikeys:*'], CREATE_KEY)).toBe(true);
    expect(scopesCoverRoute(['apikeys:read'], CREATE_KEY)).toBe(false);
    expect(scopesCoverRoute(['apikeys:read'], route('GET', '/v1/api-keys'))).toBe(true);
  });

  it('covers nothing with no scopes, and only unrelated routes are refused', () => {
    expect(coveredRoutes([])).toEqual([]);
    expect(scopesCoverRoute(['devices:read', 'colleagues:read'], COLLEAGUES_READ)).toBe(true);
  });

  it('agrees with the accepting-scope rule on every route for every scope', () => {
    for (const r of CATALOG.routes) {
      for (const scope of ALL_SCOPES) {
        expect(scopeCoversRoute(scope, r)).toBe(acceptingScopes(r).includes(scope));
      }
    }
  });
});

describe('scopeCoversScope', () => {
  it.each([
    ['*:*', '*:*', true],
    ['*:*', 'pbx:*', true],
    ['*:*', 'messaging:ListChannels', true],
    ['pbx:*', 'pbx:*', true],
    ['pbx:*', 'pbx:read', true],
    ['pbx:*', 'colleagues:*', true],
    ['pbx:*', 'colleagues:read', true],
    ['pbx:*', '*:*', false],
    ['pbx:*', 'messaging:read', false],
    ['pbx:read', 'pbx:read', true],
    ['pbx:read', 'colleagues:read', true],
    ['pbx:read', 'colleagues:*', false],
    ['pbx:read', 'pbx:*', false],
    ['colleagues:*', 'colleagues:read', true],
    ['colleagues:*', 'pbx:read', false],
    ['colleagues:read', 'colleagues:*', false],
    ['messaging:*', 'messaging:SendMessage', true],
    ['messaging:*', 'messaging:read', true],
    ['messaging:read', 'messaging:ListChannels', true],
    ['messaging:read', 'messaging:SendMessage', false],
    ['messaging:ListChannels', 'messaging:ListChannels', true],
    ['messaging:ListChannels', 'messaging:read', false],
    ['messaging:ListChannels', 'messaging:SendMessage', false],
    ['apikeys:read', 'apikeys:GetApiKey', true],
    ['apikeys:read', 'apikeys:CreateApiKey', false],
    ['not a scope', 'messaging:read', false],
    ['*:*', 'not a scope', false],
  ])('%s covers %s: %s', (holder, wanted, expected) => {
    expect(scopeCoversScope(holder, wanted, CATALOG)).toBe(expected);
  });

  it('scopesCoverScope: any holder covering is enough (the privilege rule)', () => {
    expect(scopesCoverScope(['users:read', 'pbx:read'], 'devices:read', CATALOG)).toBe(true);
    expect(scopesCoverScope(['users:read', 'pbx:read'], 'devices:*', CATALOG)).toBe(false);
    expect(scopesCoverScope([], 'devices:read', CATALOG)).toBe(false);
  });

  it('never claims more than route coverage: what the wanted scope opens, the holder opens too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_SCOPES), fc.constantFrom(...ALL_SCOPES), (holder, wanted) => {
        if (!scopeCoversScope(holder, wanted, CATALOG)) return;
        for (const r of CATALOG.routes) {
          if (scopeCoversRoute(wanted, r)) expect(scopeCoversRoute(holder, r)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('treats a namespace as a group member only when all its routes are in the group', () => {
    const catalog = new RouteCatalog([
      {
        id: 'GET /a/',
        method: 'GET',
        path: '/a/',
        namespace: 'mixed',
        access: 'read',
        group: 'g',
        kind: 'protected',
        auth: 'scoped',
      },
      {
        id: 'GET /b/',
        method: 'GET',
        path: '/b/',
        namespace: 'mixed',
        access: 'read',
        kind: 'protected',
        auth: 'scoped',
      },
      {
        id: 'GET /c/',
        method: 'GET',
        path: '/c/',
        namespace: 'inside',
        access: 'read',
        group: 'g',
        kind: 'protected',
        auth: 'scoped',
      },
    ]);
    expect(scopeCoversScope('g:*', 'inside:*', catalog)).toBe(true);
    expect(scopeCoversScope('g:*', 'mixed:*', catalog)).toBe(false);
    expect(scopeCoversScope('g:read', 'mixed:read', catalog)).toBe(false);
  });
});

describe('validateScopes', () => {
  it('accepts known scopes and normalises them: covered and duplicate scopes dropped, sorted', () => {
    expect(
      validateScopes(
        [
          'pbx:read',
          'colleagues:read',
          'messaging:ListChannels',
          'colleagues:*',
          'messaging:read',
          'colleagues:*',
        ],
        CATALOG,
      ),
    ).toEqual({ ok: true, scopes: ['colleagues:*', 'messaging:read', 'pbx:read'] });
  });

  it('reduces everything to *:* when it is present', () => {
    expect(validateScopes(['pbx:*', '*:*', 'messaging:SendMessage'], CATALOG)).toEqual({
      ok: true,
      scopes: ['*:*'],
    });
  });

  it.each([
    ['*:*'],
    ['pbx:*'],
    ['pbx:read'],
    ['colleagues:read'],
    ['pbxpower:*'],
    ['callhistory:read'],
    ['messaging:SendMessage'],
    ['apikeys:*'],
    ['apikeys:CreateApiKey'],
    ['users:GetUserInfo'],
  ])('knows %s', (scope) => {
    expect(validateScopes([scope], CATALOG)).toEqual({ ok: true, scopes: [scope] });
  });

  it.each([
    ['an unknown namespace', 'nothing:*'],
    ['a read scope of a namespace without read routes', 'pbxpower:read'],
    ['a full scope of an unknown namespace', 'billing:read'],
    ['an unknown operation', 'messaging:DeleteChannel'],
    ['an operation of an unnamed namespace', 'colleagues:ListColleagues'],
    ['an operation only open to root admins', 'apikeys:PutNotificationSettings'],
    ['an operation open to any key, which no scope grants', 'apikeys:ListScopes'],
  ])('refuses %s as unknown', (_label, scope) => {
    const result = validateScopes(['colleagues:read', scope], CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.pointer).toBe('/scopes/1');
      expect(result.errors[0]?.message).toMatch(/^unknown scope/);
    }
  });

  it('reports every bad entry with its JSON pointer', () => {
    const result = validateScopes(['colleagues:read', 'Colleagues:read', 42, 'x:*'], CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.pointer)).toEqual(['/scopes/1', '/scopes/2', '/scopes/3']);
      expect(result.errors[0]?.message).toMatch(/^malformed scope/);
      expect(result.errors[1]?.message).toBe('scope must be a string');
      expect(result.errors[2]?.message).toMatch(/^unknown scope/);
    }
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'pbx:read'],
    ['an object', { 0: 'pbx:read' }],
    ['null', null],
  ])('refuses %s instead of an array', (_label, input) => {
    expect(validateScopes(input, CATALOG)).toEqual({
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must be an array of scope strings' }],
    });
  });

  it('refuses an empty list', () => {
    expect(validateScopes([], CATALOG)).toEqual({
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must contain at least one scope' }],
    });
  });

  it('takes 100 scopes and refuses 101', () => {
    expect(validateScopes(Array(100).fill('pbx:read'), CATALOG)).toEqual({ ok: true, scopes: ['pbx:read'] });
    expect(validateScopes(Array(101).fill('pbx:read'), CATALOG)).toEqual({
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must contain at most 100 scopes' }],
    });
  });

  it('keeps long input out of error messages', () => {
    const result = validateScopes([`x${'y'.repeat(5000)}:read`], CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message.length).toBeLessThan(200);
  });
});

describe('validateScopes properties', () => {
  const subsets = fc.array(fc.constantFrom(...ALL_SCOPES), { minLength: 1, maxLength: 12 });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 120 })),
        (input) => {
          const result = validateScopes(input, CATALOG);
          if (result.ok) expect(result.scopes.length).toBeGreaterThan(0);
          else expect(result.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts every subset of catalog scopes, and normalising twice changes nothing', () => {
    fc.assert(
      fc.property(subsets, (scopes) => {
        const once = validateScopes(scopes, CATALOG);
        expect(once.ok).toBe(true);
        if (!once.ok) return;
        expect(validateScopes(once.scopes, CATALOG)).toEqual(once);
        expect(normaliseScopes(once.scopes, CATALOG)).toEqual(once.scopes);
        expect(once.scopes).toEqual([...once.scopes].sort());
        expect(new Set(once.scopes).size).toBe(once.scopes.length);
        for (const scope of once.scopes) expect(scopes).toContain(scope);
      }),
      { numRuns: 1000 },
    );
  });

  it('neither widens nor narrows what a key may call', () => {
    fc.assert(
      fc.property(subsets, (scopes) => {
        const result = validateScopes(scopes, CATALOG);
        if (!result.ok) throw new Error('catalog scopes must validate');
        expect(coveredRoutes(result.scopes)).toEqual(coveredRoutes(scopes));
        // And under the privilege rule, the normalised list grants exactly what the original did.
        for (const scope of scopes) expect(scopesCoverScope(result.scopes, scope, CATALOG)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of the input', () => {
    fc.assert(
      fc.property(subsets, (scopes) => {
        expect(validateScopes([...scopes].reverse(), CATALOG)).toEqual(validateScopes(scopes, CATALOG));
      }),
    );
  });
});

describe('describeScopeCatalog', () => {
  const description = describeScopeCatalog(CATALOG);

  it('lists every scope a key may hold, each valid on its own, sorted', () => {
    for (const entry of description.scopes) {
      expect(validateScopes([entry.scope], CATALOG)).toEqual({ ok: true, scopes: [entry.scope] });
      expect(entry.description.length).toBeGreaterThan(0);
    }
    const names = description.scopes.map((entry) => entry.scope);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['*:*', 'pbx:read', 'pbx:*', 'colleagues:read', 'messaging:ListChannels']),
    );
    // Every scope of the vendor's PBX table, plus ns:* of the two read-only namespaces (callhistory,
    // info), which any namespace may be granted.
    const vendorScopes = PBX_SCOPE_SECTIONS.map((section) => section.scope);
    expect(names).toEqual(expect.arrayContaining(vendorScopes));
    const pbxNamespaces = new Set(vendorScopes.map((scope) => scope.split(':')[0]));
    const pbxScopes = names.filter((name) => pbxNamespaces.has(name.split(':')[0]));
    expect(pbxScopes.filter((name) => !vendorScopes.includes(name))).toEqual(['callhistory:*', 'info:*']);
  });

  it('counts the routes each scope opens', () => {
    const scoped = CATALOG.routes.filter((r) => r.auth === 'scoped');
    for (const entry of description.scopes) {
      expect(entry.covers).toBe(scoped.filter((r) => scopeCoversRoute(entry.scope, r)).length);
    }
    const covers = (scope: string) => description.scopes.find((entry) => entry.scope === scope)?.covers;
    expect(covers('pbx:*')).toBe(109);
    expect(covers('*:*')).toBe(scoped.length);
    expect(covers('messaging:ListChannels')).toBe(1);
  });

  it('marks read-only scopes read, so a picker can split read from write', () => {
    const access = (scope: string) => description.scopes.find((entry) => entry.scope === scope)?.access;
    expect(access('*:*')).toBe('write');
    expect(access('pbx:read')).toBe('read');
    expect(access('pbx:*')).toBe('write');
    expect(access('messaging:ListChannels')).toBe('read');
    expect(access('messaging:SendMessage')).toBe('write');
    for (const entry of description.scopes) {
      const routes = CATALOG.routes.filter((r) => r.auth === 'scoped' && scopeCoversRoute(entry.scope, r));
      // A read scope opens reads only; a write scope is a full scope (x:*) or opens a write route.
      if (entry.access === 'read') expect(routes.every((r) => r.access === 'read')).toBe(true);
      else expect(entry.scope.endsWith(':*') || routes.some((r) => r.access === 'write')).toBe(true);
    }
  });

  it('takes PBX descriptions from the vendor table', () => {
    const describe = (scope: string) =>
      description.scopes.find((entry) => entry.scope === scope)?.description;
    expect(describe('aclgroups:read')).toBe('View ACL groups');
    expect(describe('messaging:ListChannels')).toBe('List conversation channels');
  });

  it('describes namespaces with read/full scopes and operations split by access', () => {
    const messaging = description.namespaces.find((ns) => ns.namespace === 'messaging');
    expect(messaging).toEqual({
      namespace: 'messaging',
      readScope: 'messaging:read',
      fullScope: 'messaging:*',
      operations: [
        { scope: 'messaging:ListChannels', access: 'read' },
        { scope: 'messaging:SendMessage', access: 'write' },
      ],
    });
    const pbxpower = description.namespaces.find((ns) => ns.namespace === 'pbxpower');
    expect(pbxpower?.group).toBe('pbx');
    expect(pbxpower?.readScope).toBeUndefined();
  });

  it('describes the pbx umbrella group', () => {
    expect(description.groups).toHaveLength(1);
    expect(description.groups[0]).toMatchObject({ group: 'pbx', readScope: 'pbx:read', fullScope: 'pbx:*' });
    expect(description.groups[0]?.namespaces).toHaveLength(14);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
  });
});
