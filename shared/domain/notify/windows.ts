/**
 * The two windows of the daily digest, as of the run's time `asOf` (seed 001: "keys that expired in
 * the past 24 hours" and "keys that are about to expire within the next 7 days"):
 *
 * - expired:  asOf - 24 h < expiresAt <= asOf   (a key is expired from the instant asOf >= expiresAt)
 * - expiring: asOf < expiresAt <= asOf + 7 days
 *
 * Together they are the one half-open range (asOf - 24 h, asOf + 7 days], which the expiry index is
 * queried for. The digest's UTC day (`yyyy-mm-dd` of asOf) keys the per-recipient delivery markers.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const EXPIRED_LOOKBACK_MS = DAY_MS;
export const EXPIRING_LOOKAHEAD_MS = 7 * DAY_MS;

/** A half-open time range `(after, until]`. */
export interface TimeRange {
  after: Date;
  until: Date;
}

export interface DigestWindows {
  asOf: Date;
  /** UTC `yyyy-mm-dd` of `asOf`: one digest per company per such day. */
  day: string;
  expired: TimeRange;
  expiring: TimeRange;
  /** Both windows as one range: what the expiry index is read for. */
  covering: TimeRange;
}

export type WindowName = 'expired' | 'expiring';

/** The digest windows at `asOf`. */
export function digestWindows(asOf: Date): DigestWindows {
  if (Number.isNaN(asOf.getTime())) throw new RangeError('asOf is not a valid time');
  const after = new Date(asOf.getTime() - EXPIRED_LOOKBACK_MS);
  const until = new Date(asOf.getTime() + EXPIRING_LOOKAHEAD_MS);
  return {
    asOf,
    day: utcDay(asOf),
    expired: { after, until: asOf },
    expiring: { after: asOf, until },
    covering: { after, until },
  };
}

/** Which window `expiresAt` falls in, or undefined if neither. */
export function windowOf(expiresAt: Date, windows: DigestWindows): WindowName | undefined {
  if (within(expiresAt, windows.expired)) return 'expired';
  if (within(expiresAt, windows.expiring)) return 'expiring';
  return undefined;
}

function within(time: Date, range: TimeRange): boolean {
  const t = time.getTime();
  return t > range.after.getTime() && t <= range.until.getTime();
}

/** UTC `yyyy-mm-dd` of `time`. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/**
 * Every UTC day (`yyyy-mm-dd`) that holds part of `(after, until]`, in order: the expiry index
 * partitions to read. The instant midnight belongs to the day it starts, so a range starting at a
 * midnight skips that day's first instant and a range ending at one reaches into the next day.
 */
export function daysCovering(range: TimeRange): string[] {
  const first = Date.parse(`${utcDay(new Date(range.after.getTime() + 1))}T00:00:00.000Z`);
  const days: string[] = [];
  for (let t = first; t <= range.until.getTime(); t += DAY_MS) {
    days.push(utcDay(new Date(t)));
  }
  return days;
}
