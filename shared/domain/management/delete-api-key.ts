import { buildAuditEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import { visibilityFor } from './delegation.js';
import { keyIdFrom, keyNotFound } from './get-api-key.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall } from './permissions.js';

/**
 * `DELETE /v1/api-keys/{id}`: revokes a key of the caller's company that the caller manages, at once
 * (its lookup item goes in the same transaction, so the very next request with it gets 401); 404 otherwise.
 */
export async function deleteKey(deps: ManagementDeps, caller: Caller, id: string | undefined): Promise<void> {
  assertMayCall(deps.catalog, caller, 'delete-api-key');
  const deleted = await deps.store.delete(
    caller.companyId,
    keyIdFrom(id),
    visibilityFor(deps.catalog, caller),
    (current) =>
      buildAuditEvent({
        action: 'api-key.deleted',
        caller,
        now: deps.clock.now(),
        target: { keyId: current.id, name: current.name, scopes: current.scopes },
      }),
  );
  if (!deleted) throw keyNotFound();
}
