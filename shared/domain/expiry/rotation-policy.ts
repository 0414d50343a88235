import { MIN_LIFETIME_SECONDS, maxLifetimeSeconds } from './expiry-policy.js';

/**
 * Rotation arithmetic (DESIGN.md "Rotation"), pure: the successor lives as long as the old key was
 * granted at creation, within the expiry rules; the old key keeps working for the grace period at
 * most, never longer than it would have.
 */

export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;
export const MAX_GRACE_PERIOD_SECONDS = 7 * 86_400;

/** The part of the rotated key the arithmetic reads. */
export interface RotatedKeyTerms {
  createdAt: string;
  expiresAt: string;
  scopes: readonly string[];
}

export type SuccessorExpiry =
  | { ok: true; expiresAt: Date }
  /** The managing key's own expiry leaves the successor less than the 1-hour minimum lifetime. */
  | { ok: false; capMs: number };

/**
 * The successor's expiry: `now` + the old key's lifetime at creation (`expiresAt − createdAt`),
 * clamped to 1 hour … the maximum its scopes allow (7 days with `*:*`), then capped at `capAt` (a
 * managing key's own expiry) when given. A cap that leaves less than 1 hour is a refusal, as at create.
 */
export function successorExpiry(old: RotatedKeyTerms, now: Date, capAt?: Date): SuccessorExpiry {
  const granted = Date.parse(old.expiresAt) - Date.parse(old.createdAt);
  const lifetimeMs = Math.min(
    Math.max(granted, MIN_LIFETIME_SECONDS * 1000),
    maxLifetimeSeconds(old.scopes) * 1000,
  );
  const wanted = now.getTime() + lifetimeMs;
  if (capAt === undefined || wanted <= capAt.getTime()) return { ok: true, expiresAt: new Date(wanted) };
  const capMs = capAt.getTime();
  // An unreadable cap (NaN) bounds nothing: refuse rather than guess (fail closed).
  if (Number.isNaN(capMs) || capMs - now.getTime() < MIN_LIFETIME_SECONDS * 1000) return { ok: false, capMs };
  return { ok: true, expiresAt: new Date(capMs) };
}

/** The old key's expiry after rotation: min(its expiry, now + grace). With 0 it is expired at `now`. */
export function shortenedExpiry(oldExpiresAt: string, now: Date, graceSeconds: number): Date {
  return new Date(Math.min(Date.parse(oldExpiresAt), now.getTime() + graceSeconds * 1000));
}
