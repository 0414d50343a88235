import { compareCodeUnits } from '../catalog/code-unit-order.js';
import type { Access, CatalogRoute, RouteCatalog } from '../catalog/route-catalog.js';
import { scopeCoversRoute } from './scope-coverage.js';
import { GLOBAL_SCOPE } from './scope-grammar.js';

/** One scope a picker can offer, with how many routes it opens. */
export interface ScopeDescription {
  scope: string;
  description: string;
  /** `read` when the scope grants reads only (GET/HEAD), `write` when it grants writes too. */
  access: Access;
  /** Number of `scoped` catalog routes the scope covers. */
  covers: number;
}

export interface NamespaceDescription {
  namespace: string;
  group?: string;
  /** `ns:read`, when the namespace has read routes. */
  readScope?: string;
  /** `ns:*`. */
  fullScope: string;
  /** Named operations (`ns:Op`), each read or write. */
  operations: Array<{ scope: string; access: Access }>;
}

export interface GroupDescription {
  group: string;
  /** `group:read`, when the group has read routes. */
  readScope?: string;
  /** `group:*`. */
  fullScope: string;
  namespaces: string[];
}

/** The body of `GET /v1/scopes`; every list in code-unit order (`compareCodeUnits`), as keys store scopes. */
export interface ScopeCatalogDescription {
  /** Every scope a key may hold: search by `scope` or `description`. */
  scopes: ScopeDescription[];
  /** Namespaces open to keys, with their read/full scopes and named operations. */
  namespaces: NamespaceDescription[];
  /** Umbrella groups. */
  groups: GroupDescription[];
}

/**
 * What `GET /v1/scopes` serves: every scope a key may hold (exactly those `validateScopes`
 * accepts) with a description, read/write access and the number of routes it opens, plus the
 * namespaces (read scope, full scope, operations) and umbrella groups, so a scope picker can search
 * and split read from write. Descriptions: the catalog's `scopes` member where it gives one, else
 * its routes' where they have them, else a generated sentence.
 */
export function describeScopeCatalog(catalog: RouteCatalog): ScopeCatalogDescription {
  const scoped = catalog.routes.filter((route) => route.auth === 'scoped');
  const scopes: ScopeDescription[] = [];
  const add = (scope: string, access: Access, fallback: string, routes: readonly CatalogRoute[] = []) => {
    // A route's description describes a scope only when the scope's routes are unnamed (the PBX
    // sections); the description of a named route is its operation's.
    const described = routes.every((route) => route.operation === undefined)
      ? routes.find((route) => route.description)?.description
      : undefined;
    const covers = scoped.filter((route) => scopeCoversRoute(scope, route)).length;
    // The catalog's own word for a scope (its `scopes` member) wins over anything derived.
    const given = catalog.scopeDescriptions.get(scope);
    scopes.push({ scope, description: given ?? described ?? fallback, access, covers });
  };

  add(GLOBAL_SCOPE, 'write', 'Every route open to API keys (a key holding it lives at most 7 days)');

  const groups: GroupDescription[] = catalog.scopeGroups().map(({ group, namespaces, hasReadRoutes }) => {
    if (hasReadRoutes) add(`${group}:read`, 'read', `Read every ${group} namespace`);
    add(`${group}:*`, 'write', `Full access to every ${group} namespace`);
    return {
      group,
      ...(hasReadRoutes ? { readScope: `${group}:read` } : {}),
      fullScope: `${group}:*`,
      namespaces: [...namespaces],
    };
  });

  const namespaces: NamespaceDescription[] = catalog
    .namespaces()
    .map(({ namespace, group, hasReadRoutes, operations }) => {
      const routes = scoped.filter((route) => route.namespace === namespace);
      if (hasReadRoutes) {
        add(
          `${namespace}:read`,
          'read',
          `Read ${namespace}`,
          routes.filter((r) => r.access === 'read'),
        );
      }
      add(
        `${namespace}:*`,
        'write',
        `Full access to ${namespace}`,
        routes.filter((r) => r.access === 'write'),
      );
      const described = operations.map(({ name, access }) => {
        const scope = `${namespace}:${name}`;
        const opRoutes = routes.filter((route) => route.operation === name);
        add(scope, access, opRoutes.find((route) => route.description)?.description ?? name);
        return { scope, access };
      });
      return {
        namespace,
        ...(group ? { group } : {}),
        ...(hasReadRoutes ? { readScope: `${namespace}:read` } : {}),
        fullScope: `${namespace}:*`,
        operations: described,
      };
    });

  scopes.sort((a, b) => compareCodeUnits(a.scope, b.scope));
  return { scopes, namespaces, groups };
}
