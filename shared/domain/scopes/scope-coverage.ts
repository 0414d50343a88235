import type { CatalogRoute, RouteCatalog } from '../catalog/route-catalog.js';
import { GLOBAL_SCOPE, parseScope } from './scope-grammar.js';

/**
 * Coverage: which scopes grant a route, and which scopes grant at least what another grants.
 * A key is allowed a route when any of its scopes covers it.
 */

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
  const inScope =
    want.namespace === held.namespace ||
    (catalog.scopeGroup(held.namespace)?.wholeNamespaces.has(want.namespace) ?? false);
  if (!inScope) return false;
  if (held.kind === 'namespace') return true;
  // held is `x:read`: covers read scopes and read operations, never `:*`.
  if (want.kind === 'read') return true;
  if (want.kind === 'operation') {
    const operation = catalog
      .namespace(want.namespace)
      ?.operations.find((candidate) => candidate.name === want.operation);
    return operation?.access === 'read';
  }
  return false;
}

/** Whether any of `holders` covers `wanted` (see {@link scopeCoversScope}). */
export function scopesCoverScope(holders: readonly string[], wanted: string, catalog: RouteCatalog): boolean {
  return holders.some((holder) => scopeCoversScope(holder, wanted, catalog));
}
