import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIFETIME_SECONDS,
  GLOBAL_SCOPE_MAX_LIFETIME_SECONDS,
  isExpired,
  MAX_LIFETIME_SECONDS,
  MIN_LIFETIME_SECONDS,
  parseRfc3339,
  resolveExpiry,
} from '../../../shared/domain/expiry/expiry-policy.js';

const NOW = new Date('2026-03-10T09:30:00.000Z');
const DAY = 86_400;
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();
const SCOPED = ['colleagues:read'];
const GLOBAL = ['*:*'];

function errorsOf(result: ReturnType<typeof resolveExpiry>) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('policy constants', () => {
  it('match the design: 1 hour to 365 days, 365 days by default, 7 days for *:*', () => {
    expect(MIN_LIFETIME_SECONDS).toBe(3600);
    expect(MAX_LIFETIME_SECONDS).toBe(365 * DAY);
    expect(DEFAULT_LIFETIME_SECONDS).toBe(365 * DAY);
    expect(GLOBAL_SCOPE_MAX_LIFETIME_SECONDS).toBe(7 * DAY);
  });
});

describe('resolveExpiry with nothing given', () => {
  it('gives 365 days', () => {
    expect(resolveExpiry({}, SCOPED, NOW)).toEqual({ ok: true, expiresAt: at(365 * DAY) });
  });

  it('gives 7 days to a *:* key, the longest it may have', () => {
    expect(resolveExpiry({}, ['colleagues:read', '*:*'], NOW)).toEqual({ ok: true, expiresAt: at(7 * DAY) });
  });

  it('treats null like absent', () => {
    expect(resolveExpiry({ expiresAt: null, expiresIn: null }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: at(365 * DAY),
    });
  });
});

describe('resolveExpiry with expiresIn', () => {
  it.each([
    [3600, SCOPED],
    [365 * DAY, SCOPED],
    [3600, GLOBAL],
    [7 * DAY, GLOBAL],
  ])('accepts %i seconds (bound included)', (seconds, scopes) => {
    expect(resolveExpiry({ expiresIn: seconds }, scopes, NOW)).toEqual({ ok: true, expiresAt: at(seconds) });
  });

  it('refuses 3599 seconds, naming the bounds', () => {
    expect(errorsOf(resolveExpiry({ expiresIn: 3599 }, SCOPED, NOW))).toEqual([
      {
        pointer: '/expiresIn',
        message: 'expiresIn must be between 1 hour and 365 days from now (3600 to 31536000 seconds)',
      },
    ]);
  });

  it('refuses 365 days + 1 second', () => {
    const [error] = errorsOf(resolveExpiry({ expiresIn: 365 * DAY + 1 }, SCOPED, NOW));
    expect(error?.pointer).toBe('/expiresIn');
    expect(error?.message).toContain('between 1 hour and 365 days');
  });

  it('refuses 7 days + 1 second for a *:* key, saying why', () => {
    const [error] = errorsOf(resolveExpiry({ expiresIn: 7 * DAY + 1 }, GLOBAL, NOW));
    expect(error).toEqual({
      pointer: '/expiresIn',
      message: 'expiresIn: keys with *:* may live at most 7 days (604800 seconds)',
    });
  });

  it('gives no leeway: 3599 s is refused even though expiresAt would allow it', () => {
    expect(resolveExpiry({ expiresIn: 3599 }, SCOPED, NOW).ok).toBe(false);
    expect(resolveExpiry({ expiresAt: iso(3599) }, SCOPED, NOW).ok).toBe(true);
  });

  it.each([
    ['a fraction', 3600.5],
    ['zero', 0],
    ['a negative number', -3600],
    ['a numeric string', '3600'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a boolean', true],
    ['an object', { seconds: 3600 }],
  ])('refuses %s', (_label, value) => {
    expect(errorsOf(resolveExpiry({ expiresIn: value }, SCOPED, NOW))).toEqual([
      { pointer: '/expiresIn', message: 'expiresIn must be a whole, positive number of seconds' },
    ]);
  });
});

describe('resolveExpiry with expiresAt', () => {
  it('accepts an RFC 3339 instant in range, with Z or an offset', () => {
    expect(resolveExpiry({ expiresAt: '2026-06-01T12:00:00Z' }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: new Date('2026-06-01T12:00:00Z'),
    });
    expect(resolveExpiry({ expiresAt: '2026-06-01T14:00:00+02:00' }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: new Date('2026-06-01T12:00:00Z'),
    });
    expect(resolveExpiry({ expiresAt: '2026-06-01t12:00:00.123456z' }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: new Date('2026-06-01T12:00:00.123Z'),
    });
  });

  it('allows 60 seconds of clock skew below 1 hour, not 61', () => {
    expect(resolveExpiry({ expiresAt: iso(3600 - 60) }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: at(3540),
    });
    const [error] = errorsOf(resolveExpiry({ expiresAt: iso(3600 - 61) }, SCOPED, NOW));
    expect(error).toEqual({
      pointer: '/expiresAt',
      message: 'expiresAt must be between 1 hour and 365 days from now',
    });
  });

  it('allows 60 seconds of clock skew above 365 days, clamped to 365 days; refuses 61', () => {
    expect(resolveExpiry({ expiresAt: iso(365 * DAY) }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: at(365 * DAY),
    });
    expect(resolveExpiry({ expiresAt: iso(365 * DAY + 60) }, SCOPED, NOW)).toEqual({
      ok: true,
      expiresAt: at(365 * DAY),
    });
    expect(resolveExpiry({ expiresAt: iso(365 * DAY + 61) }, SCOPED, NOW).ok).toBe(false);
  });

  it('holds a *:* key to 7 days (plus the leeway), saying why', () => {
    expect(resolveExpiry({ expiresAt: iso(7 * DAY) }, GLOBAL, NOW)).toEqual({
      ok: true,
      expiresAt: at(7 * DAY),
    });
    expect(resolveExpiry({ expiresAt: iso(7 * DAY + 30) }, GLOBAL, NOW)).toEqual({
      ok: true,
      expiresAt: at(7 * DAY),
    });
    expect(errorsOf(resolveExpiry({ expiresAt: iso(7 * DAY + 61) }, GLOBAL, NOW))).toEqual([
      { pointer: '/expiresAt', message: 'expiresAt: keys with *:* may live at most 7 days' },
    ]);
  });

  it('refuses an instant in the past', () => {
    expect(resolveExpiry({ expiresAt: '2020-01-01T00:00:00Z' }, SCOPED, NOW).ok).toBe(false);
  });

  it.each([
    ['no time zone', '2026-06-01T12:00:00'],
    ['a date only', '2026-06-01'],
    ['February 30th', '2026-02-30T00:00:00Z'],
    ['February 29th of a common year', '2027-02-29T00:00:00Z'],
    ['April 31st', '2026-04-31T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-06-01T24:00:00Z'],
    ['minute 60', '2026-06-01T12:60:00Z'],
    ['a leap second', '2026-06-30T23:59:60Z'],
    ['an offset without a colon', '2026-06-01T12:00:00+0200'],
    ['an offset of 24 hours', '2026-06-01T12:00:00+24:00'],
    ['a space instead of T', '2026-06-01 12:00:00Z'],
    ['an epoch number as a string', '1780000000'],
    ['free text', 'next tuesday'],
    ['surrounding spaces', ' 2026-06-01T12:00:00Z'],
    ['an empty string', ''],
    ['a number', 1_780_000_000_000],
    ['a Date-like object', { toISOString: '2026-06-01T12:00:00Z' }],
  ])('refuses %s', (_label, value) => {
    expect(errorsOf(resolveExpiry({ expiresAt: value }, SCOPED, NOW))).toEqual([
      {
        pointer: '/expiresAt',
        message: 'expiresAt must be an RFC 3339 date-time with a time zone, e.g. 2030-01-31T12:00:00Z',
      },
    ]);
  });

  it('accepts February 29th of a leap year', () => {
    expect(
      resolveExpiry({ expiresAt: '2028-02-29T00:00:00Z' }, SCOPED, new Date('2027-06-01T00:00:00Z')).ok,
    ).toBe(true);
  });
});

describe('resolveExpiry with both', () => {
  it('refuses expiresAt and expiresIn together, on both fields', () => {
    const message = 'give either expiresAt or expiresIn, not both';
    expect(errorsOf(resolveExpiry({ expiresAt: iso(7200), expiresIn: 7200 }, SCOPED, NOW))).toEqual([
      { pointer: '/expiresAt', message },
      { pointer: '/expiresIn', message },
    ]);
  });
});

describe('resolveExpiry properties', () => {
  const scopesArb = fc.constantFrom(SCOPED, GLOBAL, ['pbx:*', '*:*'], ['messaging:ListChannels']);
  const nowArb = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2200-01-01T00:00:00Z'),
    noInvalidDate: true,
  });

  it('never throws, and every accepted expiry lies within the policy', () => {
    fc.assert(
      fc.property(
        fc.record(
          { expiresAt: fc.oneof(fc.anything(), fc.string()), expiresIn: fc.anything() },
          { requiredKeys: [] },
        ),
        scopesArb,
        nowArb,
        (input, scopes, now) => {
          const result = resolveExpiry(input, scopes, now);
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            return;
          }
          const max = scopes.includes('*:*') ? GLOBAL_SCOPE_MAX_LIFETIME_SECONDS : MAX_LIFETIME_SECONDS;
          const lifetime = (result.expiresAt.getTime() - now.getTime()) / 1000;
          expect(lifetime).toBeGreaterThanOrEqual(MIN_LIFETIME_SECONDS - 60);
          expect(lifetime).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts every whole expiresIn within bounds, exactly', () => {
    fc.assert(
      fc.property(
        scopesArb,
        nowArb,
        fc.integer({ min: 0, max: MAX_LIFETIME_SECONDS }),
        (scopes, now, offset) => {
          const max = scopes.includes('*:*') ? GLOBAL_SCOPE_MAX_LIFETIME_SECONDS : MAX_LIFETIME_SECONDS;
          const seconds = MIN_LIFETIME_SECONDS + (offset % (max - MIN_LIFETIME_SECONDS + 1));
          expect(resolveExpiry({ expiresIn: seconds }, scopes, now)).toEqual({
            ok: true,
            expiresAt: new Date(now.getTime() + seconds * 1000),
          });
        },
      ),
    );
  });

  it('reads back every in-range instant written as RFC 3339 (UTC or offset)', () => {
    fc.assert(
      fc.property(
        nowArb,
        fc.integer({ min: MIN_LIFETIME_SECONDS, max: MAX_LIFETIME_SECONDS }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (now, seconds, offsetMinutes) => {
          const instant = new Date(now.getTime() + seconds * 1000);
          const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const abs = Math.abs(offsetMinutes);
          const zone = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseRfc3339(`${local}${zone}`)).toEqual(instant);
          expect(resolveExpiry({ expiresAt: instant.toISOString() }, SCOPED, now)).toEqual({
            ok: true,
            expiresAt: instant,
          });
        },
      ),
    );
  });
});

describe('isExpired', () => {
  const expiresAt = new Date('2026-03-10T12:00:00.000Z');

  it('is expired from the instant now >= expiresAt', () => {
    expect(isExpired(expiresAt, new Date(expiresAt.getTime() - 1))).toBe(false);
    expect(isExpired(expiresAt, expiresAt)).toBe(true);
    expect(isExpired(expiresAt, new Date(expiresAt.getTime() + 1))).toBe(true);
  });

  it('reads the stored ISO string', () => {
    expect(isExpired('2026-03-10T12:00:00.000Z', new Date('2026-03-10T11:59:59.999Z'))).toBe(false);
    expect(isExpired('2026-03-10T12:00:00.000Z', new Date('2026-03-10T12:00:00.000Z'))).toBe(true);
  });

  it('fails closed on an unreadable expiry', () => {
    expect(isExpired('not a date', NOW)).toBe(true);
    expect(isExpired(new Date(Number.NaN), NOW)).toBe(true);
  });
});
