import type { Caller } from '../auth/caller.js';
import { NotFoundError } from '../errors.js';
import { isKeyId } from '../keys/key-id.js';
import { managesKey } from './delegation.js';
import { type KeyView, toKeyView } from './key-view.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall } from './permissions.js';

/**
 * The one answer for a key the caller cannot see: unknown, deleted, malformed id, another company's,
 * or one a calling key does not cover (delegation rule). All look the same, so nothing is learnt
 * about other companies, keys beyond the caller, or the id format.
 */
export const keyNotFound = () => new NotFoundError('There is no API key with this id in your company.');

/** The id from the path, or 404 when it cannot name a key (checked before any database read). */
export function keyIdFrom(id: string | undefined): string {
  if (id === undefined || !isKeyId(id)) throw keyNotFound();
  return id;
}

/** `GET /v1/api-keys/{id}`: one key of the caller's company that the caller manages; 404 otherwise. */
export async function getKey(deps: ManagementDeps, caller: Caller, id: string | undefined): Promise<KeyView> {
  assertMayCall(deps.catalog, caller, 'get-api-key');
  const record = await deps.store.get(caller.companyId, keyIdFrom(id));
  if (record === undefined || !managesKey(deps.catalog, caller, record)) throw keyNotFound();
  return toKeyView(record, deps.clock.now());
}
