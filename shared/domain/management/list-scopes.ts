import type { Caller } from '../auth/caller.js';
import { describeScopeCatalog, type ScopeCatalogDescription } from '../scopes/scope-resolution.js';
import { assertMayCall } from './permissions.js';

// The catalog is fixed at deploy time: describe it once per process.
let described: ScopeCatalogDescription | undefined;

/** `GET /v1/scopes`: the scopes keys may hold, for scope pickers. Any authenticated caller. */
export function listScopes(caller: Caller): ScopeCatalogDescription {
  assertMayCall(caller, 'list-scopes');
  described ??= describeScopeCatalog();
  return described;
}
