import { describe, expect, it } from 'vitest';
import { catalogFromDocument } from '../../../shared/catalogs/catalog-document.js';
import { scopeCoversRoute } from '../../../shared/domain/scopes/scope-coverage.js';
import { validateScopes } from '../../../shared/domain/scopes/scope-normalisation.js';
import { describeScopeCatalog } from '../../../shared/domain/scopes/scope-presentation.js';
import { CATALOG, PBX_SCOPE_SECTIONS } from '../../support/catalog.js';

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

describe('scope descriptions from the catalog files ("scopes")', () => {
  it('show in GET /v1/scopes over any derived description, once loaded and once bundled', () => {
    const document = {
      routes: [
        {
          method: 'GET',
          path: '/orders',
          namespace: 'orders',
          operation: 'ListOrders',
          description: 'List orders',
        },
        { method: 'POST', path: '/orders', namespace: 'orders' },
      ],
      scopes: { 'orders:read': 'See every order', 'orders:*': 'Place and cancel orders' },
    };
    const catalog = catalogFromDocument(document, 'orders.json');
    const described = new Map(
      describeScopeCatalog(catalog).scopes.map((entry) => [entry.scope, entry.description]),
    );
    expect(described.get('orders:read')).toBe('See every order');
    expect(described.get('orders:*')).toBe('Place and cancel orders');
    // Scopes the file does not describe keep their derived description.
    expect(described.get('orders:ListOrders')).toBe('List orders');
  });
});
