import { buildAuditEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import { ConflictError, InvalidRequestError, NotPermittedError } from '../errors.js';
import { isExpired } from '../expiry/expiry-policy.js';
import {
  DEFAULT_GRACE_PERIOD_SECONDS,
  MAX_GRACE_PERIOD_SECONDS,
  shortenedExpiry,
  successorExpiry,
} from '../expiry/rotation-policy.js';
import { digestApiKey, displayPrefix, generateApiKey } from '../keys/key-format.js';
import { newKeyId } from '../keys/key-id.js';
import type { ApiKeyRecord, RotationPlan } from '../ports.js';
import { rotationRefusal, visibilityFor } from './delegation.js';
import { keyIdFrom, keyNotFound } from './get-api-key.js';
import { toKeyView } from './key-view.js';
import type { ManagementDeps } from './management-deps.js';
import { assertMayCall, createdByOf } from './permissions.js';
import { fieldPointer, readBody, rotateKeyBody, rotateKeyRequest } from './request-schemas.js';
import type { RotatedKey } from './response-schemas.js';

export type { RotatedKey };

const DAY_SECONDS = 86_400;

/** Reads `{gracePeriodSeconds?}` (0–604800, default 86400); anything else is a 400. */
function readRotateRequest(body: unknown): number {
  const { fields, unknownFields } = readBody(rotateKeyBody, body);
  if (unknownFields.length > 0) {
    throw new InvalidRequestError(
      'A rotation takes only gracePeriodSeconds: the new key keeps the name, scopes and allow-list.',
      unknownFields.map((field) => ({ pointer: fieldPointer(field), detail: 'unknown field' })),
    );
  }
  const grace = fields.gracePeriodSeconds;
  if (grace === undefined) return DEFAULT_GRACE_PERIOD_SECONDS;
  // The wire schema is the one statement of the bounds (and what the OpenAPI document shows).
  const parsed = rotateKeyRequest.shape.gracePeriodSeconds.safeParse(grace);
  if (!parsed.success || parsed.data === undefined) {
    throw new InvalidRequestError('The grace period is not valid; see errors.', [
      {
        pointer: '/gracePeriodSeconds',
        detail: `must be a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS} (7 days)`,
      },
    ]);
  }
  return parsed.data;
}

/**
 * Refuses what a rotation cannot sensibly do (409): a key already rotated has its successor (rotate
 * that one); an expired key has nothing to hand over (create a new key); a disabled key would hand an
 * enabled successor to whoever holds it (enable it first, or create a new key).
 */
function assertRotatable(current: ApiKeyRecord, now: Date): void {
  if (current.rotatedTo !== null) {
    throw new ConflictError(
      `This key was already rotated; its successor is ${current.rotatedTo}. Rotate the successor instead.`,
    );
  }
  if (isExpired(current.expiresAt, now)) {
    throw new ConflictError('Expired keys cannot be rotated; create a new key instead.');
  }
  if (!current.enabled) {
    throw new ConflictError('Disabled keys cannot be rotated; enable the key first, or create a new key.');
  }
}

/**
 * `POST /v1/api-keys/{id}/rotate`: a new key with the old one's name, scopes and allow-list and its
 * lifetime at creation (within the expiry rules); the old key's expiry becomes min(its expiry, now +
 * grace). Both written in one transaction. A managing key rotating another key caps the successor at
 * its own expiry (no key outlives the key that made it); a key rotating itself does not, since the
 * successor replaces it: that is how an integration renews its own credential with no admin at hand.
 * A managing key with an allow-list rotates only keys whose allow-list lies inside its own (403).
 * The secret exists only in the returned value: the caller shows it once.
 */
export async function rotateKey(
  deps: ManagementDeps,
  caller: Caller,
  id: string | undefined,
  body: unknown,
): Promise<RotatedKey> {
  assertMayCall(deps.catalog, caller, 'rotate-api-key');
  const graceSeconds = readRotateRequest(body);
  const keyId = keyIdFrom(id);
  const now = deps.clock.now();
  const key = generateApiKey(deps.keyPrefix);
  const ttlOf = (expiresAt: Date) =>
    Math.floor(expiresAt.getTime() / 1000) + deps.retentionDays * DAY_SECONDS;

  const plan = (current: ApiKeyRecord): RotationPlan => {
    assertRotatable(current, now);
    const refusal = rotationRefusal(caller, current);
    if (refusal !== undefined) {
      throw new NotPermittedError(`This key may not rotate that key: ${refusal}.`, undefined, {
        keyId: current.id,
        name: current.name,
        scopes: current.scopes,
      });
    }
    const capAt =
      caller.kind === 'key' && caller.keyId !== current.id ? new Date(caller.expiresAt) : undefined;
    const expiry = successorExpiry(current, now, capAt);
    if (!expiry.ok) {
      throw new NotPermittedError(
        `This key may not rotate that key: the new key would outlive the calling key, which expires at ${new Date(expiry.capMs).toISOString()}, less than the 1-hour minimum lifetime of a key from now.`,
        undefined,
        { keyId: current.id, name: current.name, scopes: current.scopes },
      );
    }
    const oldExpiresAt = shortenedExpiry(current.expiresAt, now, graceSeconds);
    const successor: ApiKeyRecord = {
      id: newKeyId(now),
      companyId: caller.companyId,
      name: current.name,
      keyPrefix: displayPrefix(key, deps.keyPrefix),
      scopes: [...current.scopes],
      allowedIps: [...current.allowedIps],
      createdAt: now.toISOString(),
      createdBy: createdByOf(caller),
      expiresAt: expiry.expiresAt.toISOString(),
      lastUsedAt: null,
      enabled: true,
      rotatedFrom: current.id,
      rotatedTo: null,
    };
    return {
      successor,
      successorDigest: digestApiKey(key),
      successorTtlEpochSeconds: ttlOf(expiry.expiresAt),
      oldExpiresAt: oldExpiresAt.toISOString(),
      oldTtlEpochSeconds: ttlOf(oldExpiresAt),
    };
  };

  const audit = (current: ApiKeyRecord, successor: ApiKeyRecord) =>
    buildAuditEvent({
      action: 'api-key.rotated',
      caller,
      now,
      target: { keyId: current.id, name: current.name, scopes: current.scopes },
      changes: {
        newKeyId: successor.id,
        gracePeriodSeconds: graceSeconds,
        oldExpiresAt: current.expiresAt,
        newExpiresAtOfOldKey: shortenedExpiry(current.expiresAt, now, graceSeconds).toISOString(),
        successorExpiresAt: successor.expiresAt,
      },
    });
  const result = await deps.store.rotate(
    caller.companyId,
    keyId,
    plan,
    visibilityFor(deps.catalog, caller),
    audit,
  );
  if (result.outcome === 'not-found') throw keyNotFound();
  if (result.outcome === 'conflict') {
    throw new ConflictError('The key was rotated or deleted meanwhile; read it again before retrying.');
  }
  return { ...toKeyView(result.successor, now), key };
}
