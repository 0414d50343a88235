import type { Caller } from '../auth/caller.js';
import type { ManagementHandler } from '../catalog/catalog-types.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import { NotPermittedError } from '../errors.js';
import { acceptingScopes, scopesCoverRoute } from '../scopes/scope-resolution.js';

/**
 * Who may do what on the management API. The authorizer has already checked the route, but each
 * handler checks again (defence in depth: a misconfigured gateway must not open the API):
 * - a root admin may do everything within their company and grant any scope;
 * - a key may call a route its scopes cover (`apikeys:read` for reads, `apikeys:*` for everything,
 *   or the route's operation scope); which keys it may then see, manage and create is the delegation
 *   rule (`delegation.ts`).
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

/** `createdBy` of a key this caller creates: `admin:<email or subject>` or `key:<keyId>`. */
export function createdByOf(caller: Caller): string {
  return caller.kind === 'key' ? `key:${caller.keyId}` : `admin:${caller.email ?? caller.subject}`;
}
