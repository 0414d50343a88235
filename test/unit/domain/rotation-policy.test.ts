import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GLOBAL_SCOPE_MAX_LIFETIME_SECONDS,
  MAX_LIFETIME_SECONDS,
  MIN_LIFETIME_SECONDS,
} from '../../../shared/domain/expiry/expiry-policy.js';
import {
  MAX_GRACE_PERIOD_SECONDS,
  shortenedExpiry,
  successorExpiry,
} from '../../../shared/domain/expiry/rotation-policy.js';

/** Rotation arithmetic: the successor's inherited lifetime and its caps, the old key's grace period. */

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();

describe('the successor', () => {
  it('lives as long as the old key was granted at creation, counted from now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_LIFETIME_SECONDS * 1000, max: MAX_LIFETIME_SECONDS * 1000 }),
        fc.integer({ min: 0, max: 400 * DAY }),
        (lifetime, age) => {
          const old = { createdAt: at(T0), expiresAt: at(T0 + lifetime), scopes: ['colleagues:read'] };
          const now = new Date(T0 + age);
          expect(successorExpiry(old, now)).toEqual({ ok: true, expiresAt: new Date(T0 + age + lifetime) });
        },
      ),
    );
  });

  it('holding *:* lives at most 7 days, whatever the old key had', () => {
    fc.assert(
      fc.property(fc.integer({ min: HOUR, max: MAX_LIFETIME_SECONDS * 1000 }), (lifetime) => {
        const old = { createdAt: at(T0), expiresAt: at(T0 + lifetime), scopes: ['*:*'] };
        const result = successorExpiry(old, new Date(T0));
        expect(result.ok && result.expiresAt.getTime() - T0).toBe(
          Math.min(lifetime, GLOBAL_SCOPE_MAX_LIFETIME_SECONDS * 1000),
        );
      }),
    );
  });

  it('never lives less than 1 hour or more than 1 year, even from a record outside the rules', () => {
    const tooShort = { createdAt: at(T0), expiresAt: at(T0 + 60_000), scopes: ['a:read'] };
    const tooLong = {
      createdAt: at(T0),
      expiresAt: at(T0 + 2 * MAX_LIFETIME_SECONDS * 1000),
      scopes: ['a:read'],
    };
    expect(successorExpiry(tooShort, new Date(T0))).toEqual({ ok: true, expiresAt: new Date(T0 + HOUR) });
    expect(successorExpiry(tooLong, new Date(T0))).toEqual({
      ok: true,
      expiresAt: new Date(T0 + MAX_LIFETIME_SECONDS * 1000),
    });
  });

  it("is capped at a managing key's expiry, and refused when that leaves less than 1 hour", () => {
    const old = { createdAt: at(T0), expiresAt: at(T0 + 30 * DAY), scopes: ['a:read'] };
    const now = new Date(T0 + DAY);
    expect(successorExpiry(old, now, new Date(T0 + 10 * DAY))).toEqual({
      ok: true,
      expiresAt: new Date(T0 + 10 * DAY),
    });
    // The cap later than the inherited expiry changes nothing.
    expect(successorExpiry(old, now, new Date(T0 + 90 * DAY))).toEqual({
      ok: true,
      expiresAt: new Date(T0 + 31 * DAY),
    });
    // Exactly 1 hour left is enough; a millisecond less is not.
    expect(successorExpiry(old, now, new Date(now.getTime() + HOUR))).toEqual({
      ok: true,
      expiresAt: new Date(now.getTime() + HOUR),
    });
    expect(successorExpiry(old, now, new Date(now.getTime() + HOUR - 1))).toEqual({
      ok: false,
      capMs: now.getTime() + HOUR - 1,
    });
    expect(successorExpiry(old, now, new Date(Number.NaN)).ok).toBe(false);
  });

  it('never outlives a cap and never lives under 1 hour (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: HOUR, max: MAX_LIFETIME_SECONDS * 1000 }),
        fc.integer({ min: 0, max: 2 * MAX_LIFETIME_SECONDS * 1000 }),
        fc.boolean(),
        (lifetime, capIn, global) => {
          const old = {
            createdAt: at(T0),
            expiresAt: at(T0 + lifetime),
            scopes: global ? ['*:*'] : ['a:read'],
          };
          const result = successorExpiry(old, new Date(T0), new Date(T0 + capIn));
          if (!result.ok) {
            expect(capIn).toBeLessThan(HOUR);
            return;
          }
          const lives = result.expiresAt.getTime() - T0;
          expect(lives).toBeLessThanOrEqual(capIn);
          expect(lives).toBeGreaterThanOrEqual(HOUR);
          expect(lives).toBeLessThanOrEqual(global ? 7 * DAY : MAX_LIFETIME_SECONDS * 1000);
        },
      ),
    );
  });
});

describe('the old key', () => {
  it('expires at min(its expiry, now + grace), to the second', () => {
    const now = new Date(T0);
    const expiresAt = at(T0 + DAY);
    expect(shortenedExpiry(expiresAt, now, 0)).toEqual(now);
    expect(shortenedExpiry(expiresAt, now, 1)).toEqual(new Date(T0 + 1000));
    expect(shortenedExpiry(expiresAt, now, 86_399)).toEqual(new Date(T0 + DAY - 1000));
    expect(shortenedExpiry(expiresAt, now, 86_400)).toEqual(new Date(T0 + DAY));
    expect(shortenedExpiry(expiresAt, now, 86_401)).toEqual(new Date(T0 + DAY));
    expect(shortenedExpiry(expiresAt, now, MAX_GRACE_PERIOD_SECONDS)).toEqual(new Date(T0 + DAY));
  });

  it('never gets a later expiry than it had (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.integer({ min: 0, max: MAX_GRACE_PERIOD_SECONDS }),
        (left, grace) => {
          const now = new Date(T0);
          const result = shortenedExpiry(at(T0 + left), now, grace).getTime();
          expect(result).toBe(Math.min(T0 + left, T0 + grace * 1000));
          expect(result).toBeLessThanOrEqual(T0 + left);
        },
      ),
    );
  });
});
