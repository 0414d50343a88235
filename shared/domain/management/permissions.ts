import type { Caller } from '../auth/caller.js';
import type { ManagementHandler } from '../catalog/catalog-types.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import { NotPermittedError } from '../errors.js';
import { acceptingScopes, scopesCoverRoute, scopesCoverScope } from '../scopes/scope-resolution.js';

/**
 * Who may do what on the management API. The authorizer has already checked the route, but each
 * handler checks again (defence in depth: a misconfigured gateway must not open the API):
 * - a root admin may do everything within their company and grant any scope;
 * - a key may call a route its scopes cover (`apikeys:read` for reads, `apikeys:*` for everything,
 *   or the route's operation scope), and may only grant scopes its own scopes cover.
 */

/** Throws `NotPermittedError` unless the caller may call the route served by `handler`. */
export function assertMayCall(catalog: RouteCatalog, caller: Caller, handler: ManagementHandler): void {
  if (caller.kind === 'root-admin') return;
  const route = catalog.routes.find((candidate) => candidate.handler === handler);
  // Every management handler is in the catalog; one that is not is open to nobody but root admins.
  if (route === undefined || route.auth === 'root-admin') {
    throw new NotPermittedError('Only root admins may do this; API keys may not.');
  }
  if (route.auth === 'any-key') return;
  if (!scopesCoverRoute(caller.scopes, route)) {
    throw new NotPermittedError(
      `This key's scopes do not allow ${route.method} ${route.path}; it needs one of: ${acceptingScopes(route).join(', ')}.`,
    );
  }
}

/**
 * The privilege rule: a key may only grant scopes its own scopes cover. Judged on every scope the
 * request names (not only those left after normalisation), so the 403 names each one the key may not
 * grant, with a pointer to where the request asked for it.
 */
export function assertMayGrant(catalog: RouteCatalog, caller: Caller, requested: readonly string[]): void {
  if (caller.kind === 'root-admin') return;
  const denied = [...new Set(requested)].filter((scope) => !scopesCoverScope(caller.scopes, scope, catalog));
  if (denied.length === 0) return;
  throw new NotPermittedError(
    `This key may not grant scopes it does not hold itself: ${denied.join(', ')}.`,
    denied.map((scope) => ({
      pointer: `/scopes/${requested.indexOf(scope)}`,
      detail: `the calling key's scopes do not cover ${scope}`,
    })),
  );
}

/** `createdBy` of a key this caller creates: `admin:<email or subject>` or `key:<keyId>`. */
export function createdByOf(caller: Caller): string {
  return caller.kind === 'key' ? `key:${caller.keyId}` : `admin:${caller.email ?? caller.subject}`;
}
