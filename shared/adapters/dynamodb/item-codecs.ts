import * as z from 'zod/mini';
import '../../domain/zod-english.js';

/**
 * The shapes of the items keygate writes (layout: `table-design.ts`), as the document client reads
 * them, and the one decoder every reader uses: an item of another shape is a `CorruptItemError` — a
 * fault, never a missing key.
 */

/** An item that does not have the shape this store writes: a fault, never a missing key. */
export class CorruptItemError extends Error {
  constructor(what: string, cause: unknown) {
    super(`stored ${what} item has an unexpected shape`, { cause });
    this.name = 'CorruptItemError';
  }
}

/** Attributes of the company's key item (besides the table and index keys). */
export const companyKeyItemSchema = z.object({
  companyId: z.string(),
  keyId: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  scopes: z.array(z.string()),
  allowedIps: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string(),
  // Kept so rename and delete can reach the lookup item; never leaves the store.
  digest: z.string(),
  // Absent on items written before disable/enable and rotation existed: enabled, never rotated.
  enabled: z.optional(z.boolean()),
  rotatedFrom: z.optional(z.string()),
  rotatedTo: z.optional(z.string()),
});

/**
 * A company key item as the expiry index projects it (`TABLE_KEYS.expiryIndex.projectedAttributes`):
 * what the digest shows, never the digest or the allow-list.
 */
export const dueKeyItemSchema = z.pick(companyKeyItemSchema, {
  companyId: true,
  keyId: true,
  name: true,
  keyPrefix: true,
  scopes: true,
  expiresAt: true,
});

/**
 * What the notifier reads of a company key item after the index (`DynamoNotificationStore.statesOf`):
 * the state the index does not project or may lag. `enabled` and `rotatedTo` are absent on items
 * written before disable and rotation existed (enabled, never rotated).
 */
export const keyStateItemSchema = z.pick(companyKeyItemSchema, {
  companyId: true,
  keyId: true,
  name: true,
  keyPrefix: true,
  expiresAt: true,
  enabled: true,
  rotatedTo: true,
});

/**
 * A digest delivery item as a failed conditional claim returns it (`ReturnValuesOnConditionCheckFailure`):
 * in DynamoDB's own attribute-value form, since the document client does not convert an error's item.
 */
export const deliveryConflictSchema = z.object({
  status: z.object({ S: z.enum(['sending', 'sent', 'failed']) }),
  claimToken: z.optional(z.object({ S: z.string() })),
});

/** The `lastUsedAt` projection of a lookup item (listing and getting read only this of it). */
export const lastUsedSchema = z.object({ pk: z.string(), lastUsedAt: z.optional(z.string()) });

export type CompanyKeyItem = z.infer<typeof companyKeyItemSchema>;

/** The lookup item the authorizer reads by digest (`DynamoKeyStore.create` writes it). */
export const lookupItemSchema = z.object({
  digest: z.string(),
  companyId: z.string(),
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  allowedIps: z.array(z.string()),
  expiresAt: z.string(),
  lastUsedAt: z.optional(z.string()),
  // Absent on items written before disable/enable existed: enabled.
  enabled: z.optional(z.boolean()),
});

/** `item` decoded by `schema`, or `CorruptItemError` naming what it should have been. */
export function parseItem<T>(schema: z.ZodMiniType<T>, item: unknown, what: string): T {
  const result = schema.safeParse(item);
  if (!result.success) throw new CorruptItemError(what, result.error);
  return result.data;
}
