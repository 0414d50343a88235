import { isExpired } from '../expiry/expiry-policy.js';
import type { ApiKeyRecord } from '../ports.js';
import type { KeyView } from './response-schemas.js';

/** A key as the management API renders it; described once, as a schema, in `response-schemas.ts`. */
export type { KeyView };

/** Renders a stored record at `now`, field by field (so nothing stored by accident can leak out). */
export function toKeyView(record: ApiKeyRecord, now: Date): KeyView {
  return {
    id: record.id,
    name: record.name,
    keyPrefix: record.keyPrefix,
    scopes: [...record.scopes],
    allowedIps: [...record.allowedIps],
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    expiresAt: record.expiresAt,
    expired: isExpired(record.expiresAt, now),
    lastUsedAt: record.lastUsedAt,
    enabled: record.enabled,
    rotatedFrom: record.rotatedFrom,
    rotatedTo: record.rotatedTo,
  };
}
