import { GLOBAL_SCOPE } from '../scopes/scope-grammar.js';

/** Expiry rules of a key (DESIGN.md "Expiry"): from 1 hour to 365 days; keys holding `*:*` at most 7 days. */

const DAY_SECONDS = 86_400;
export const MIN_LIFETIME_SECONDS = 3600;
export const MAX_LIFETIME_SECONDS = 365 * DAY_SECONDS;
/** No expiry given: the longest allowed, 365 days (or 7 days for a `*:*` key). */
export const DEFAULT_LIFETIME_SECONDS = 365 * DAY_SECONDS;
export const GLOBAL_SCOPE_MAX_LIFETIME_SECONDS = 7 * DAY_SECONDS;
/** The longest a key holding `scopes` may live: 7 days with `*:*`, otherwise 365 days. */
export function maxLifetimeSeconds(scopes: readonly string[]): number {
  return scopes.includes(GLOBAL_SCOPE) ? GLOBAL_SCOPE_MAX_LIFETIME_SECONDS : MAX_LIFETIME_SECONDS;
}

/**
 * Leeway on both bounds for an absolute `expiresAt`: a client that computed `now + 1h` a moment ago,
 * on a clock a little off, must not be refused. `expiresIn` is relative, so it gets none.
 */
export const EXPIRES_AT_LEEWAY_SECONDS = 60;

export interface FieldError {
  pointer: string;
  message: string;
}

export type ExpiryResult = { ok: true; expiresAt: Date } | { ok: false; errors: FieldError[] };

// RFC 3339 `date-time`: full date, `T`, full time with optional fraction, then `Z` or a numeric offset.
// Anchored, with fixed-width groups: no backtracking.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses a strict RFC 3339 date-time with a time zone (`Z` or `±hh:mm`) naming a real calendar
 * instant. Returns undefined for anything else, including `2026-02-30T00:00:00Z`, a missing zone
 * and leap seconds (`:60`, which a JavaScript Date cannot hold).
 */
export function parseRfc3339(text: string): Date | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (!zulu) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millis);
  return date;
}

function describeSeconds(seconds: number): string {
  if (seconds % DAY_SECONDS === 0) return `${seconds / DAY_SECONDS} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  return `${seconds} seconds`;
}

const isAbsent = (value: unknown) => value === undefined || value === null;

/**
 * Decides when a new key expires, from `expiresAt` (RFC 3339 with a zone) or `expiresIn` (whole
 * seconds), never both. The lifetime must be between 1 hour and 365 days, at most 7 days for a key
 * holding `*:*`; none given means the longest allowed. `null` counts as not given.
 * An `expiresAt` within the 60 s leeway past the upper bound is clamped to it, so a key never
 * outlives the policy.
 */
export function resolveExpiry(
  input: { expiresAt?: unknown; expiresIn?: unknown },
  scopes: readonly string[],
  now: Date,
): ExpiryResult {
  const global = scopes.includes(GLOBAL_SCOPE);
  const maxSeconds = global ? GLOBAL_SCOPE_MAX_LIFETIME_SECONDS : MAX_LIFETIME_SECONDS;
  const nowMs = now.getTime();
  const hasAt = !isAbsent(input.expiresAt);
  const hasIn = !isAbsent(input.expiresIn);

  if (hasAt && hasIn) {
    const message = 'give either expiresAt or expiresIn, not both';
    return {
      ok: false,
      errors: [
        { pointer: '/expiresAt', message },
        { pointer: '/expiresIn', message },
      ],
    };
  }

  if (hasIn) {
    const seconds = input.expiresIn;
    if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds <= 0) {
      return fail('/expiresIn', 'expiresIn must be a whole, positive number of seconds');
    }
    if (seconds < MIN_LIFETIME_SECONDS || seconds > maxSeconds) {
      return fail('/expiresIn', boundsMessage('expiresIn', global && seconds > maxSeconds, maxSeconds));
    }
    return { ok: true, expiresAt: new Date(nowMs + seconds * 1000) };
  }

  if (hasAt) {
    const parsed = typeof input.expiresAt === 'string' ? parseRfc3339(input.expiresAt) : undefined;
    if (!parsed) {
      return fail(
        '/expiresAt',
        'expiresAt must be an RFC 3339 date-time with a time zone, e.g. 2030-01-31T12:00:00Z',
      );
    }
    const lifetimeMs = parsed.getTime() - nowMs;
    const leewayMs = EXPIRES_AT_LEEWAY_SECONDS * 1000;
    const tooShort = lifetimeMs < MIN_LIFETIME_SECONDS * 1000 - leewayMs;
    const tooLong = lifetimeMs > maxSeconds * 1000 + leewayMs;
    if (tooShort || tooLong)
      return fail('/expiresAt', boundsMessage('expiresAt', global && tooLong, maxSeconds));
    // Within the leeway past the upper bound: clamp, so a key never outlives the policy.
    return { ok: true, expiresAt: new Date(Math.min(parsed.getTime(), nowMs + maxSeconds * 1000)) };
  }

  return { ok: true, expiresAt: new Date(nowMs + Math.min(DEFAULT_LIFETIME_SECONDS, maxSeconds) * 1000) };
}

/** The error for a lifetime out of bounds, naming the bounds (in seconds too for `expiresIn`). */
function boundsMessage(field: 'expiresAt' | 'expiresIn', globalTooLong: boolean, maxSeconds: number): string {
  const inSeconds = field === 'expiresIn';
  if (globalTooLong) {
    return `${field}: keys with ${GLOBAL_SCOPE} may live at most ${describeSeconds(maxSeconds)}${inSeconds ? ` (${maxSeconds} seconds)` : ''}`;
  }
  const range = `between ${describeSeconds(MIN_LIFETIME_SECONDS)} and ${describeSeconds(maxSeconds)} from now`;
  return `${field} must be ${range}${inSeconds ? ` (${MIN_LIFETIME_SECONDS} to ${maxSeconds} seconds)` : ''}`;
}

function fail(pointer: string, message: string): ExpiryResult {
  return { ok: false, errors: [{ pointer, message }] };
}

/**
 * Whether a key is expired at `now`: from the instant `now >= expiresAt`. An unreadable
 * `expiresAt` counts as expired, so a corrupt record fails closed.
 */
export function isExpired(expiresAt: string | Date, now: Date): boolean {
  const expiresMs = typeof expiresAt === 'string' ? Date.parse(expiresAt) : expiresAt.getTime();
  if (Number.isNaN(expiresMs)) return true;
  return now.getTime() >= expiresMs;
}
