import type { Caller } from '../auth/caller.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import { describeScopeCatalog, type ScopeCatalogDescription } from '../scopes/scope-resolution.js';
import { assertMayCall } from './permissions.js';

// A catalog is fixed for the life of a process: describe each once.
const described = new WeakMap<RouteCatalog, ScopeCatalogDescription>();

/** `GET /v1/scopes`: the scopes keys may hold, for scope pickers. Any authenticated caller. */
export function listScopes(catalog: RouteCatalog, caller: Caller): ScopeCatalogDescription {
  assertMayCall(catalog, caller, 'list-scopes');
  let description = described.get(catalog);
  if (description === undefined) {
    description = describeScopeCatalog(catalog);
    described.set(catalog, description);
  }
  return description;
}
