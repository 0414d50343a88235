import type { Access, CatalogRoute, RouteCatalog } from '../catalog/route-catalog.js';

/**
 * Scopes (DESIGN.md "Scopes"): `*:*` (global), `ns:*` (namespace), `ns:read` (every read route of
 * the namespace), `ns:Operation` (one named operation). Umbrella groups (`pbx`) use the same syntax:
 * `group:*` and `group:read` cover the routes of every namespace in the group.
 * A key is allowed a route when any of its scopes covers it.
 */

export const GLOBAL_SCOPE = '*:*';
/** Most scopes one key may hold. */
export const MAX_SCOPES = 100;
/** Longest scope string accepted; anything longer is malformed (keeps parsing and error messages bounded). */
export const MAX_SCOPE_LENGTH = 128;

export type ParsedScope =
  | { kind: 'global' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'read'; namespace: string }
  | { kind: 'operation'; namespace: string; operation: string };

export interface FieldError {
  pointer: string;
  message: string;
}

export type ScopesResult = { ok: true; scopes: string[] } | { ok: false; errors: FieldError[] };

// Linear, anchored character classes: no backtracking however long the input.
const NAMESPACE = /^[a-z][a-z0-9-]*$/;
const OPERATION = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Parses a scope's syntax (not whether the catalog knows it): `*:*`, `ns:*`, `ns:read` or
 * `ns:Operation`, where ns is `[a-z][a-z0-9-]*` (a namespace or a group) and Operation is
 * `[A-Z][A-Za-z0-9]*`. Returns undefined for anything else, including non-strings.
 */
export function parseScope(scope: string): ParsedScope | undefined {
  if (typeof scope !== 'string' || scope.length > MAX_SCOPE_LENGTH) return undefined;
  if (scope === GLOBAL_SCOPE) return { kind: 'global' };
  const colon = scope.indexOf(':');
  if (colon < 0) return undefined;
  const namespace = scope.slice(0, colon);
  const rest = scope.slice(colon + 1);
  if (!NAMESPACE.test(namespace)) return undefined;
  if (rest === '*') return { kind: 'namespace', namespace };
  if (rest === 'read') return { kind: 'read', namespace };
  if (OPERATION.test(rest)) return { kind: 'operation', namespace, operation: rest };
  return undefined;
}

const acceptingCache = new WeakMap<CatalogRoute, ReadonlySet<string>>();

function acceptingSet(route: CatalogRoute): ReadonlySet<string> {
  let set = acceptingCache.get(route);
  if (set === undefined) {
    set = new Set(acceptingScopes(route));
    acceptingCache.set(route, set);
  }
  return set;
}

/**
 * The scopes that grant a route by their own terms: `*:*`, `ns:*`, `ns:read` if it reads,
 * `ns:Op` if it is named, `group:*`, and `group:read` if it reads. A route is covered iff a key
 * holds one of them, which makes the per-request check a few Set lookups.
 * Routes with auth `root-admin` accept no scope at all (an empty list).
 */
export function acceptingScopes(route: CatalogRoute): string[] {
  if (route.auth === 'root-admin') return [];
  const read = route.access === 'read';
  const scopes = [GLOBAL_SCOPE, `${route.namespace}:*`];
  if (read) scopes.push(`${route.namespace}:read`);
  if (route.operation !== undefined) scopes.push(`${route.namespace}:${route.operation}`);
  if (route.group !== undefined) {
    scopes.push(`${route.group}:*`);
    if (read) scopes.push(`${route.group}:read`);
  }
  return scopes;
}

/**
 * Whether one scope grants a route by its own terms (see {@link acceptingScopes}). Does not apply
 * the `any-key` rule, which is about a key rather than a scope: use {@link scopesCoverRoute} to
 * decide a request.
 */
export function scopeCoversRoute(scope: string, route: CatalogRoute): boolean {
  return acceptingSet(route).has(scope);
}

/**
 * Whether a key holding `scopes` may call `route`: routes with auth `root-admin` never (keys are
 * not root admins); routes with auth `any-key` whenever the key holds any scope (every valid key
 * does); `scoped` routes when one of the scopes is among the route's accepting scopes.
 */
export function scopesCoverRoute(scopes: readonly string[], route: CatalogRoute): boolean {
  if (route.auth === 'root-admin') return false;
  if (route.auth === 'any-key') return scopes.length > 0;
  const accepting = acceptingSet(route);
  for (const scope of scopes) {
    if (accepting.has(scope)) return true;
  }
  return false;
}

/** What scope validation and structural coverage need to know about a catalog, computed once per catalog. */
interface ScopeIndex {
  /** Namespaces open to keys, with whether they have read routes. */
  readonly namespaces: ReadonlyMap<string, { hasRead: boolean; operations: ReadonlyMap<string, Access> }>;
  /** Groups with whether they have read routes. */
  readonly groups: ReadonlyMap<string, { hasRead: boolean }>;
  /** Namespaces whose every key-accessible route belongs to the group (so `group:x` covers `ns:x`). */
  readonly groupMembers: ReadonlyMap<string, ReadonlySet<string>>;
}

const indexCache = new WeakMap<RouteCatalog, ScopeIndex>();

function scopeIndex(catalog: RouteCatalog): ScopeIndex {
  const cached = indexCache.get(catalog);
  if (cached) return cached;
  const scoped = catalog.routes.filter((route) => route.auth === 'scoped');
  const namespaces = new Map<string, { hasRead: boolean; operations: Map<string, Access> }>();
  const groups = new Map<string, { hasRead: boolean }>();
  // An operation counts as read only if every one of its routes reads.
  for (const route of scoped) {
    const ns = namespaces.get(route.namespace) ?? { hasRead: false, operations: new Map<string, Access>() };
    if (route.access === 'read') ns.hasRead = true;
    if (route.operation !== undefined) {
      const previous = ns.operations.get(route.operation);
      ns.operations.set(route.operation, previous === 'write' ? 'write' : route.access);
    }
    namespaces.set(route.namespace, ns);
    if (route.group !== undefined) {
      const group = groups.get(route.group) ?? { hasRead: false };
      if (route.access === 'read') group.hasRead = true;
      groups.set(route.group, group);
    }
  }
  // Structural coverage must never claim more than route coverage: a namespace is a member of a
  // group only when all of its routes are in that group.
  const groupMembers = new Map<string, Set<string>>();
  for (const namespace of namespaces.keys()) {
    const routes = scoped.filter((route) => route.namespace === namespace);
    const group = routes[0]?.group;
    if (group !== undefined && routes.every((route) => route.group === group)) {
      const members = groupMembers.get(group) ?? new Set<string>();
      members.add(namespace);
      groupMembers.set(group, members);
    }
  }
  const index: ScopeIndex = { namespaces, groups, groupMembers };
  indexCache.set(catalog, index);
  return index;
}

/**
 * Whether a key holding `holder` holds at least everything `wanted` grants, judged on the scopes'
 * structure: `*:*` covers all; `x:*` covers `x:*`, `x:read`, `x:Op` and, when x is a group, those of
 * its namespaces; `x:read` covers `x:read` and read operations of x (and, for a group, of its
 * namespaces); `ns:Op` covers only itself. Used for the privilege rule (a key may only grant scopes
 * its own scopes cover) and to normalise a key's scopes. Malformed scopes cover and are covered by nothing.
 */
export function scopeCoversScope(holder: string, wanted: string, catalog: RouteCatalog): boolean {
  const held = parseScope(holder);
  const want = parseScope(wanted);
  if (held === undefined || want === undefined) return false;
  if (held.kind === 'global') return true;
  if (want.kind === 'global') return false;
  if (held.kind === 'operation') return holder === wanted;
  const index = scopeIndex(catalog);
  const inScope = (namespace: string) =>
    namespace === held.namespace || (index.groupMembers.get(held.namespace)?.has(namespace) ?? false);
  if (!inScope(want.namespace)) return false;
  if (held.kind === 'namespace') return true;
  // held is `x:read`: covers read scopes and read operations, never `:*`.
  if (want.kind === 'read') return true;
  if (want.kind === 'operation') {
    return index.namespaces.get(want.namespace)?.operations.get(want.operation) === 'read';
  }
  return false;
}

/** Whether any of `holders` covers `wanted` (see {@link scopeCoversScope}). */
export function scopesCoverScope(holders: readonly string[], wanted: string, catalog: RouteCatalog): boolean {
  return holders.some((holder) => scopeCoversScope(holder, wanted, catalog));
}

/** Whether the catalog knows a parsed scope (so a key holding it can reach at least one route). */
function scopeExists(scope: ParsedScope, index: ScopeIndex): boolean {
  switch (scope.kind) {
    case 'global':
      return true;
    case 'namespace':
      return index.namespaces.has(scope.namespace) || index.groups.has(scope.namespace);
    case 'read':
      return (
        index.namespaces.get(scope.namespace)?.hasRead === true ||
        index.groups.get(scope.namespace)?.hasRead === true
      );
    case 'operation':
      return index.namespaces.get(scope.namespace)?.operations.has(scope.operation) === true;
  }
}

/** A scope for an error message: user input, so bounded in length. */
const quote = (scope: string) => JSON.stringify(scope.length > 64 ? `${scope.slice(0, 64)}…` : scope);

/**
 * Validates the `scopes` of a new key against the catalog and normalises them: a non-empty array of
 * at most 100 strings, each well-formed ("malformed scope") and known to the catalog ("unknown
 * scope"). The result drops duplicates and every scope another of the list covers, and is sorted,
 * so equal grants always store the same list. Error pointers are JSON pointers (`/scopes/2`).
 */
export function validateScopes(input: unknown, catalog: RouteCatalog): ScopesResult {
  if (!Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must be an array of scope strings' }],
    };
  }
  if (input.length === 0) {
    return { ok: false, errors: [{ pointer: '/scopes', message: 'scopes must contain at least one scope' }] };
  }
  if (input.length > MAX_SCOPES) {
    return {
      ok: false,
      errors: [{ pointer: '/scopes', message: `scopes must contain at most ${MAX_SCOPES} scopes` }],
    };
  }
  const index = scopeIndex(catalog);
  const errors: FieldError[] = [];
  const valid: string[] = [];
  input.forEach((scope: unknown, i) => {
    const pointer = `/scopes/${i}`;
    if (typeof scope !== 'string') {
      errors.push({ pointer, message: 'scope must be a string' });
      return;
    }
    const parsed = parseScope(scope);
    if (parsed === undefined) {
      errors.push({
        pointer,
        message: `malformed scope ${quote(scope)}: expected *:*, namespace:*, namespace:read or namespace:Operation`,
      });
    } else if (!scopeExists(parsed, index)) {
      errors.push({
        pointer,
        message: `unknown scope ${quote(scope)}: see GET /v1/scopes for the scopes keys may hold`,
      });
    } else {
      valid.push(scope);
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, scopes: normaliseScopes(valid, catalog) };
}

/**
 * Drops duplicates and every scope covered by another scope of the list, then sorts (by code unit,
 * so the order does not depend on the locale). Coverage between distinct scopes has no cycles, but
 * should two ever cover each other the smaller string is kept, so the result stays deterministic.
 */
export function normaliseScopes(scopes: readonly string[], catalog: RouteCatalog): string[] {
  const unique = [...new Set(scopes)];
  const kept = unique.filter(
    (scope) =>
      !unique.some(
        (other) =>
          other !== scope &&
          scopeCoversScope(other, scope, catalog) &&
          !(scopeCoversScope(scope, other, catalog) && scope < other),
      ),
  );
  return kept.sort();
}

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

/** The body of `GET /v1/scopes`. */
export interface ScopeCatalogDescription {
  /** Every scope a key may hold, sorted as {@link validateScopes} sorts: search by `scope` or `description`. */
  scopes: ScopeDescription[];
  /** Namespaces open to keys, sorted, with their read/full scopes and named operations. */
  namespaces: NamespaceDescription[];
  /** Umbrella groups, sorted. */
  groups: GroupDescription[];
}

/**
 * What `GET /v1/scopes` serves: every scope a key may hold (exactly those {@link validateScopes}
 * accepts) with a description, read/write access and the number of routes it opens, plus the
 * namespaces (read scope, full scope, operations) and umbrella groups, so a scope picker can search
 * and split read from write. Descriptions come from the catalog's routes where it has them.
 */
export function describeScopeCatalog(catalog: RouteCatalog): ScopeCatalogDescription {
  const index = scopeIndex(catalog);
  const scoped = catalog.routes.filter((route) => route.auth === 'scoped');
  const scopes: ScopeDescription[] = [];
  const add = (scope: string, access: Access, fallback: string, routes: readonly CatalogRoute[] = []) => {
    // A route's description describes a scope only when the scope's routes are unnamed (the PBX
    // sections); the description of a named route is its operation's.
    const described = routes.every((route) => route.operation === undefined)
      ? routes.find((route) => route.description)?.description
      : undefined;
    const covers = scoped.filter((route) => scopeCoversRoute(scope, route)).length;
    scopes.push({ scope, description: described ?? fallback, access, covers });
  };

  add(GLOBAL_SCOPE, 'write', 'Every route open to API keys (a key holding it lives at most 7 days)');

  const groups: GroupDescription[] = [...catalog.groups().entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, namespaces]) => {
      const hasRead = index.groups.get(group)?.hasRead === true;
      if (hasRead) add(`${group}:read`, 'read', `Read every ${group} namespace`);
      add(`${group}:*`, 'write', `Full access to every ${group} namespace`);
      return {
        group,
        ...(hasRead ? { readScope: `${group}:read` } : {}),
        fullScope: `${group}:*`,
        namespaces,
      };
    });

  const namespaces: NamespaceDescription[] = catalog.namespaces().map(({ namespace, group }) => {
    const routes = scoped.filter((route) => route.namespace === namespace);
    const { hasRead, operations } = index.namespaces.get(namespace) ?? {
      hasRead: false,
      operations: new Map(),
    };
    if (hasRead) {
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
    const described = [...operations.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([operation, access]) => {
        const scope = `${namespace}:${operation}`;
        const opRoutes = routes.filter((route) => route.operation === operation);
        add(scope, access, opRoutes.find((route) => route.description)?.description ?? operation);
        return { scope, access };
      });
    return {
      namespace,
      ...(group ? { group } : {}),
      ...(hasRead ? { readScope: `${namespace}:read` } : {}),
      fullScope: `${namespace}:*`,
      operations: described,
    };
  });

  scopes.sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  return { scopes, namespaces, groups };
}
