import { buildAuditEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import { type FieldProblem, InvalidRequestError, NotPermittedError } from '../errors.js';
import { resolveExpiry } from '../expiry/expiry-policy.js';
import { digestApiKey, displayPrefix, generateApiKey } from '../keys/key-format.js';
import { newKeyId } from '../keys/key-id.js';
import { validateKeyName } from '../keys/key-name.js';
import { validateAllowedIps } from '../net/ip-allow-list.js';
import type { ApiKeyRecord } from '../ports.js';
import { validateScopes } from '../scopes/scope-normalisation.js';
import { type ChildRequest, delegateChild } from './delegation.js';
import { toKeyView } from './key-view.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall, createdByOf } from './permissions.js';
import { createKeyBody, fieldPointer, fromDomainErrors, readBody } from './request-schemas.js';
import type { CreatedKey } from './response-schemas.js';

export type { CreatedKey };

const DAY_SECONDS = 86_400;

/** Validates every field, collecting all problems, and returns what the key will be made of. */
function readCreateRequest(
  body: unknown,
  now: Date,
  catalog: RouteCatalog,
): ChildRequest & { name: string; scopes: string[] } {
  const { fields, unknownFields } = readBody(createKeyBody, body);
  const errors: FieldProblem[] = unknownFields.map((field) => ({
    pointer: fieldPointer(field),
    detail: 'unknown field; a key has name, scopes, expiresAt or expiresIn, and allowedIps',
  }));
  const required = (field: string) => ({ pointer: fieldPointer(field), detail: `${field} is required` });

  const name = fields.name === undefined ? undefined : validateKeyName(fields.name);
  if (name === undefined) errors.push(required('name'));
  else if (!name.ok) errors.push({ pointer: '/name', detail: name.message });

  const scopes = fields.scopes === undefined ? undefined : validateScopes(fields.scopes, catalog);
  if (scopes === undefined) errors.push(required('scopes'));
  else if (!scopes.ok) errors.push(...fromDomainErrors(scopes.errors));

  // Judge the expiry against the scopes asked for even when some of them are invalid, so one
  // response names every problem (`*:*` keys live at most 7 days).
  const askedScopes = Array.isArray(fields.scopes)
    ? fields.scopes.filter((scope): scope is string => typeof scope === 'string')
    : [];
  const expiry = resolveExpiry(
    { expiresAt: fields.expiresAt, expiresIn: fields.expiresIn },
    scopes?.ok ? scopes.scopes : askedScopes,
    now,
  );
  if (!expiry.ok) errors.push(...fromDomainErrors(expiry.errors));

  const allowedIps = validateAllowedIps(fields.allowedIps);
  if (!allowedIps.ok) errors.push(...fromDomainErrors(allowedIps.errors));

  if (errors.length > 0 || !name?.ok || !scopes?.ok || !expiry.ok || !allowedIps.ok) {
    throw new InvalidRequestError('The key cannot be created as asked; see errors.', errors);
  }
  const given = (value: unknown) => value !== undefined && value !== null;
  return {
    name: name.name,
    scopes: scopes.scopes,
    // Valid scopes are strings, so these are all the scopes the request names, in its order.
    requestedScopes: askedScopes,
    expiresAt: expiry.expiresAt,
    expiryField: given(fields.expiresAt) ? 'expiresAt' : given(fields.expiresIn) ? 'expiresIn' : undefined,
    // Valid, so an array of strings when given; kept as given so refusals can point at each entry.
    requestedAllowedIps: Array.isArray(fields.allowedIps) ? (fields.allowedIps as string[]) : undefined,
    allowedIps: allowedIps.cidrs,
  };
}

/**
 * `POST /v1/api-keys`: validates the request (400 naming every bad field), applies the delegation rule
 * (a key caller: 403 naming each scope, expiry or address beyond its own; an expiry or allow-list left
 * out is bounded by it), then stores the new key's digest and records.
 * The secret exists only in the returned value: the caller shows it once.
 */
export async function createKey(deps: ManagementDeps, caller: Caller, body: unknown): Promise<CreatedKey> {
  assertMayCall(deps.catalog, caller, 'create-api-key');
  const now = deps.clock.now();
  const request = readCreateRequest(body, now, deps.catalog);
  const delegated = delegateChild(deps.catalog, caller, request, now);
  if (!delegated.ok) {
    throw new NotPermittedError(
      `This key may not create a key beyond its own limits: ${delegated.reasons.join('; ')}.`,
      delegated.errors,
    );
  }
  const { expiresAt, allowedIps } = delegated.terms;

  const key = generateApiKey(deps.keyPrefix);
  const record: ApiKeyRecord = {
    id: newKeyId(now),
    companyId: caller.companyId,
    name: request.name,
    keyPrefix: displayPrefix(key, deps.keyPrefix),
    scopes: request.scopes,
    allowedIps,
    createdAt: now.toISOString(),
    createdBy: createdByOf(caller),
    expiresAt: expiresAt.toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
  };
  const ttl = Math.floor(expiresAt.getTime() / 1000) + deps.retentionDays * DAY_SECONDS;
  const audit = buildAuditEvent({
    action: 'api-key.created',
    caller,
    now,
    target: { keyId: record.id, name: record.name, scopes: record.scopes },
    changes: { scopes: record.scopes, expiresAt: record.expiresAt, allowedIps: record.allowedIps },
  });
  await deps.store.create(record, digestApiKey(key), ttl, audit);
  return { ...toKeyView(record, now), key };
}
