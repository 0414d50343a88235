import type { Caller } from '../auth/caller.js';
import { InvalidRequestError } from '../errors.js';
import { InvalidCursorError } from '../ports.js';
import { visibilityFor } from './delegation.js';
import { toKeyView } from './key-view.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall } from './permissions.js';
import type { KeyPage } from './response-schemas.js';

/** The body of `GET /v1/api-keys`. `nextCursor` is always present: null on the last page. */
export type { KeyPage };

/**
 * `GET /v1/api-keys`: one page of the caller's company's keys that the caller manages (a calling key
 * sees only the keys its scopes cover; see `KeyStore.list` for how such pages fill), newest first, strongly consistent
 * (a key shows right after it is created and is gone right after it is deleted). A cursor that was
 * not made for this company's list is a 400.
 */
export async function listKeys(
  deps: ManagementDeps,
  caller: Caller,
  query: { limit: number; cursor?: string },
): Promise<KeyPage> {
  assertMayCall(deps.catalog, caller, 'list-api-keys');
  try {
    const visible = visibilityFor(deps.catalog, caller);
    const page = await deps.store.list(caller.companyId, { ...query, ...(visible ? { visible } : {}) });
    const now = deps.clock.now();
    return { items: page.items.map((record) => toKeyView(record, now)), nextCursor: page.nextCursor ?? null };
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new InvalidRequestError('The cursor is not valid here; start again without one.', [
        { parameter: 'cursor', detail: 'cursor must be the nextCursor of a previous page of this list' },
      ]);
    }
    throw error;
  }
}
