import { buildAuditEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import { type FieldProblem, InvalidRequestError } from '../errors.js';
import { validateKeyName } from '../keys/key-name.js';
import { visibilityFor } from './delegation.js';
import { keyIdFrom, keyNotFound } from './get-api-key.js';
import { type KeyView, toKeyView } from './key-view.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall } from './permissions.js';
import { fieldPointer, readBody, renameKeyBody } from './request-schemas.js';

const IMMUTABLE_FIELDS = new Set(['scopes', 'expiresAt', 'expiresIn', 'allowedIps']);

/** Reads `{name}`, the only thing about a key that can change; anything else is a 400 saying why. */
function readRenameRequest(body: unknown): string {
  const { fields, unknownFields } = readBody(renameKeyBody, body);
  if (unknownFields.length > 0) {
    throw new InvalidRequestError(
      'Only the name of a key can change: scopes, expiry and IP allow-lists cannot change. Create a new key instead.',
      unknownFields.map((field) => ({
        pointer: fieldPointer(field),
        detail: IMMUTABLE_FIELDS.has(field) ? `${field} cannot change; create a new key` : 'unknown field',
      })),
    );
  }
  const errors: FieldProblem[] = [];
  const name = fields.name === undefined ? undefined : validateKeyName(fields.name);
  if (name === undefined) errors.push({ pointer: '/name', detail: 'name is required' });
  else if (!name.ok) errors.push({ pointer: '/name', detail: name.message });
  if (!name?.ok) throw new InvalidRequestError('The new name is not valid; see errors.', errors);
  return name.name;
}

/**
 * `PATCH /v1/api-keys/{id}`: renames a key of the caller's company that the caller manages (both
 * stored items at once); 404 otherwise.
 */
export async function renameKey(
  deps: ManagementDeps,
  caller: Caller,
  id: string | undefined,
  body: unknown,
): Promise<KeyView> {
  assertMayCall(deps.catalog, caller, 'rename-api-key');
  const name = readRenameRequest(body);
  const record = await deps.store.rename(
    caller.companyId,
    keyIdFrom(id),
    name,
    visibilityFor(deps.catalog, caller),
    (current) =>
      buildAuditEvent({
        action: 'api-key.renamed',
        caller,
        now: deps.clock.now(),
        target: { keyId: current.id, name, scopes: current.scopes },
        changes: { oldName: current.name, newName: name },
      }),
  );
  if (record === undefined) throw keyNotFound();
  return toKeyView(record, deps.clock.now());
}
