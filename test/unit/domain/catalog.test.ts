import { describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES } from '../../../shared/catalogs/management-routes.js';
import {
  type CatalogRoute,
  pathSegments,
  RouteCatalog,
} from '../../../shared/domain/catalog/route-catalog.js';
import { CATALOG, PBX_SCOPE_SECTIONS } from '../../support/catalog.js';

const pbxRoutes = CATALOG.routes.filter((route) => route.group === 'pbx');

describe('the PBX table (seed 002)', () => {
  it('has 109 routes', () => {
    expect(PBX_SCOPE_SECTIONS.flatMap((section) => section.routes)).toHaveLength(109);
    expect(pbxRoutes).toHaveLength(109);
  });

  it('has 25 distinct scopes, each ns:read or ns:*', () => {
    const scopes = new Set(PBX_SCOPE_SECTIONS.map((section) => section.scope));
    expect(scopes.size).toBe(25);
    for (const scope of scopes) expect(scope).toMatch(/^[a-z][a-z0-9-]*:(read|\*)$/);
  });

  it('derives namespace and access from the table, all in the pbx group, all scoped', () => {
    for (const route of pbxRoutes) {
      expect(route.kind).toBe('protected');
      expect(route.auth).toBe('scoped');
      expect(route.operation).toBeUndefined();
      expect(route.access).toBe(route.method === 'GET' || route.method === 'HEAD' ? 'read' : 'write');
    }
  });

  it('forms the umbrella group pbx of 14 namespaces', () => {
    const groups = CATALOG.groups();
    expect([...groups.keys()]).toEqual(['pbx']);
    const namespaces = new Set(PBX_SCOPE_SECTIONS.map((section) => section.scope.split(':')[0]));
    expect(groups.get('pbx')).toEqual([...namespaces].sort());
    expect(groups.get('pbx')).toHaveLength(14);
  });
});

describe('the cloud examples (seed 000)', () => {
  it('has the 4 routes with their operations', () => {
    const cloud = CATALOG.routes.filter((route) => route.kind === 'protected' && route.group === undefined);
    expect(cloud.map((route) => [route.id, `${route.namespace}:${route.operation}`, route.access])).toEqual([
      ['GET /v2/conversations/channels/', 'messaging:ListChannels', 'read'],
      ['POST /v2/conversations/channels/{channelId}/messages/', 'messaging:SendMessage', 'write'],
      ['GET /v2/users/me/', 'users:GetUserInfo', 'read'],
      ['GET /v2/company/', 'company:GetCompanyInfo', 'read'],
    ]);
  });
});

describe('the management routes', () => {
  const management = CATALOG.routes.filter((route) => route.kind === 'management');

  it('are the 12 routes of the design, each with its Lambda', () => {
    expect(management.map((route) => [route.id, route.auth, route.handler])).toEqual([
      ['POST /v1/api-keys', 'scoped', 'create-api-key'],
      ['GET /v1/api-keys', 'scoped', 'list-api-keys'],
      ['GET /v1/api-keys/{id}', 'scoped', 'get-api-key'],
      ['PATCH /v1/api-keys/{id}', 'scoped', 'rename-api-key'],
      ['DELETE /v1/api-keys/{id}', 'scoped', 'delete-api-key'],
      ['POST /v1/api-keys/{id}/rotate', 'scoped', 'rotate-api-key'],
      ['POST /v1/api-keys/{id}/disable', 'scoped', 'disable-api-key'],
      ['POST /v1/api-keys/{id}/enable', 'scoped', 'enable-api-key'],
      ['GET /v1/audit-events', 'scoped', 'list-audit-events'],
      ['GET /v1/scopes', 'any-key', 'list-scopes'],
      ['GET /v1/settings/notifications', 'root-admin', 'get-notification-settings'],
      ['PUT /v1/settings/notifications', 'root-admin', 'put-notification-settings'],
    ]);
    expect(MANAGEMENT_ROUTES).toHaveLength(12);
    for (const route of management) expect(route.namespace).toBe('apikeys');
  });

  it('hold the whole catalog together: 12 + 4 + 109 routes', () => {
    expect(CATALOG.routes).toHaveLength(125);
  });
});

describe('route ids', () => {
  it('are unique and read METHOD path', () => {
    const ids = CATALOG.routes.map((route) => route.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of CATALOG.routes) expect(route.id).toBe(`${route.method} ${route.path}`);
  });

  it('are enforced: a catalog refuses duplicates', () => {
    const route = CATALOG.routes[0];
    if (!route) throw new Error('empty catalog');
    expect(() => new RouteCatalog([route, route])).toThrow(/duplicate/);
  });
});

describe('match', () => {
  it('finds every route by its own path, with or without the trailing slash', () => {
    for (const route of CATALOG.routes) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'x1');
      expect(CATALOG.match(route.method, concrete)?.route.id).toBe(route.id);
      const toggled = concrete.endsWith('/') ? concrete.slice(0, -1) : `${concrete}/`;
      expect(CATALOG.match(route.method, toggled)?.route.id).toBe(route.id);
    }
  });

  it('matches one non-empty segment per template parameter and returns it, decoded', () => {
    expect(CATALOG.match('GET', '/api/v1/colleagues/42/')).toEqual({
      route: expect.objectContaining({ id: 'GET /api/v1/colleagues/{id}/' }),
      pathParameters: { id: '42' },
    });
    expect(CATALOG.match('GET', '/v1/api-keys/key%2F1')?.pathParameters).toEqual({ id: 'key/1' });
    expect(CATALOG.match('GET', '/api/v1/colleagues/42/extra/')).toBeUndefined();
    expect(CATALOG.match('GET', '/v1/api-keys//')?.route.id).toBe('GET /v1/api-keys');
  });

  it('lets a static segment win over a parameter at the same position', () => {
    expect(CATALOG.match('PUT', '/api/v1/dialplan/timetables/import/')?.route.id).toBe(
      'PUT /api/v1/dialplan/timetables/import/',
    );
    expect(CATALOG.match('PUT', '/api/v1/dialplan/timetables/17/')?.route.id).toBe(
      'PUT /api/v1/dialplan/timetables/{id}/',
    );
    expect(CATALOG.match('POST', '/api/v1/sounds/directory/')?.route.id).toBe(
      'POST /api/v1/sounds/directory/',
    );
    expect(CATALOG.match('GET', '/api/v1/sounds/directory/')).toEqual({
      route: expect.objectContaining({ id: 'GET /api/v1/sounds/{path}/' }),
      pathParameters: { path: 'directory' },
    });
  });

  it('requires the method to match, in any case', () => {
    expect(CATALOG.match('get', '/v2/users/me/')?.route.id).toBe('GET /v2/users/me/');
    expect(CATALOG.match('DELETE', '/v2/users/me/')).toBeUndefined();
    expect(CATALOG.match('GET', '/not/in/the/catalog')).toBeUndefined();
  });

  it('names parameters after the gateway resource', () => {
    // Under /api/v1/phonebooks/ the first documented name, {id}, names the gateway resource.
    const matched = CATALOG.match('GET', '/api/v1/phonebooks/7/contacts/9/');
    expect(matched?.route.id).toBe('GET /api/v1/phonebooks/{phonebookid}/contacts/{contactid}/');
    expect(matched?.pathParameters).toEqual({ id: '7', contactid: '9' });
  });
});

describe('gatewayPath', () => {
  it('is unique per (method, path) and has no trailing slash', () => {
    const keys = CATALOG.routes.map((route) => `${route.method} ${CATALOG.gatewayPath(route)}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of CATALOG.routes) {
      const path = CATALOG.gatewayPath(route);
      expect(path.startsWith('/')).toBe(true);
      expect(path === '/' || !path.endsWith('/')).toBe(true);
      expect(pathSegments(path)).toHaveLength(pathSegments(route.path).length);
    }
  });

  it('uses one parameter name per position under a parent, as API Gateway requires', () => {
    const names = new Map<string, string>();
    for (const route of CATALOG.routes) {
      const segments = pathSegments(CATALOG.gatewayPath(route));
      segments.forEach((segment, i) => {
        if (!segment.startsWith('{')) return;
        const parent = segments.slice(0, i).join('/');
        expect(names.get(parent) ?? segment).toBe(segment);
        names.set(parent, segment);
      });
    }
  });
});

describe('the scope index (namespaces and groups)', () => {
  const scoped = (
    id: string,
    namespace: string,
    extra: Partial<Pick<CatalogRoute, 'operation' | 'group'>> = {},
  ): CatalogRoute => {
    const [method, path] = id.split(' ') as [CatalogRoute['method'], string];
    return {
      id,
      method,
      path,
      namespace,
      access: method === 'GET' ? 'read' : 'write',
      kind: 'protected',
      auth: 'scoped',
      ...extra,
    };
  };

  it('counts an operation as read only when every one of its routes reads, whatever their order', () => {
    for (const routes of [
      [scoped('GET /a/', 'ns', { operation: 'Op' }), scoped('POST /a/', 'ns', { operation: 'Op' })],
      [scoped('POST /a/', 'ns', { operation: 'Op' }), scoped('GET /a/', 'ns', { operation: 'Op' })],
    ]) {
      expect(new RouteCatalog(routes).namespace('ns')?.operations).toEqual([{ name: 'Op', access: 'write' }]);
    }
  });

  it('sorts namespaces, operations, groups and their namespaces by code unit, not by locale', () => {
    const catalog = new RouteCatalog([
      scoped('GET /b/', 'b-x', { operation: 'Lista', group: 'g' }),
      scoped('GET /c/', 'b-x', { operation: 'ListB', group: 'g' }),
      scoped('GET /d/', 'a', { group: 'g' }),
      scoped('GET /e/', 'B', { group: 'f' }),
    ]);
    expect(catalog.namespaces().map((ns) => ns.namespace)).toEqual(['B', 'a', 'b-x']);
    // localeCompare would put Lista first: a user's locale must not reorder what keys store.
    expect(catalog.namespace('b-x')?.operations.map((op) => op.name)).toEqual(['ListB', 'Lista']);
    expect(catalog.scopeGroups().map((group) => group.group)).toEqual(['f', 'g']);
    expect(catalog.scopeGroup('g')?.namespaces).toEqual(['a', 'b-x']);
  });

  it('counts a namespace wholly in a group only when all its scoped routes are in it', () => {
    const catalog = new RouteCatalog([
      scoped('GET /a/', 'mixed', { group: 'g' }),
      scoped('GET /b/', 'mixed'),
      scoped('GET /c/', 'whole', { group: 'g' }),
      scoped('POST /c/', 'whole', { group: 'g' }),
    ]);
    const group = catalog.scopeGroup('g');
    expect(group?.namespaces).toEqual(['mixed', 'whole']);
    expect([...(group?.wholeNamespaces ?? [])]).toEqual(['whole']);
    expect(group?.hasReadRoutes).toBe(true);
    expect(catalog.groups()).toEqual(new Map([['g', ['mixed', 'whole']]]));
  });

  it('knows only namespaces of scoped routes', () => {
    expect(CATALOG.namespace('apikeys')).toBeDefined();
    expect(
      CATALOG.namespaces().every((ns) =>
        CATALOG.routes.some((r) => r.auth === 'scoped' && r.namespace === ns.namespace),
      ),
    ).toBe(true);
    expect(CATALOG.namespace('nope')).toBeUndefined();
    expect(CATALOG.scopeGroup('nope')).toBeUndefined();
  });
});
