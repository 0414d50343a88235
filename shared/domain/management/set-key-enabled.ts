import { buildAuditEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import { visibilityFor } from './delegation.js';
import { keyIdFrom, keyNotFound } from './get-api-key.js';
import { type KeyView, toKeyView } from './key-view.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall } from './permissions.js';

/**
 * `POST /v1/api-keys/{id}/disable` and `/enable`: sets `enabled` on a key of the caller's company that
 * the caller manages (itself included); 404 otherwise. Idempotent: disabling a disabled key answers
 * 200 with the same record. The expiry never changes. A key that disables itself cannot enable itself
 * again (it gets 401 from then on): an admin or another managing key must.
 */
export async function setKeyEnabled(
  deps: ManagementDeps,
  caller: Caller,
  id: string | undefined,
  enabled: boolean,
): Promise<KeyView> {
  assertMayCall(deps.catalog, caller, enabled ? 'enable-api-key' : 'disable-api-key');
  const record = await deps.store.setEnabled(
    caller.companyId,
    keyIdFrom(id),
    enabled,
    visibilityFor(deps.catalog, caller),
    (current) =>
      buildAuditEvent({
        action: enabled ? 'api-key.enabled' : 'api-key.disabled',
        caller,
        now: deps.clock.now(),
        target: { keyId: current.id, name: current.name, scopes: current.scopes },
        changes: { wasEnabled: current.enabled, enabled },
      }),
  );
  if (record === undefined) throw keyNotFound();
  return toKeyView(record, deps.clock.now());
}
