import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteCatalog } from '../../../shared/domain/catalog/route-catalog.js';
import {
  acceptingScopes,
  scopeCoversRoute,
  scopeCoversScope,
  scopesCoverRoute,
  scopesCoverScope,
} from '../../../shared/domain/scopes/scope-coverage.js';
import { CATALOG } from '../../support/catalog.js';
import { ALL_SCOPES, coveredRoutes, catalogRoute as route } from '../../support/scopes.js';

const COLLEAGUES_READ = route('GET', '/api/v1/colleagues/');
const COLLEAGUES_WRITE = route('DELETE', '/api/v1/pbx/colleagues/7/');
const LIST_CHANNELS = route('GET', '/v2/conversations/channels/');
const SEND_MESSAGE = route('POST', '/v2/conversations/channels/c1/messages/');
const LIST_SCOPES = route('GET', '/v1/scopes');
const NOTIFICATION_SETTINGS = route('PUT', '/v1/settings/notifications');
const CREATE_KEY = route('POST', '/v1/api-keys');

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
