import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysCovering, digestWindows, utcDay, windowOf } from '../../../shared/domain/notify/windows.js';

const asOf = new Date('2026-11-30T11:00:00.000Z');
const at = (offsetMs: number) => new Date(asOf.getTime() + offsetMs);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('digest windows', () => {
  const windows = digestWindows(asOf);

  it('puts each boundary on the right side, to the millisecond', () => {
    expect(windowOf(at(-DAY), windows)).toBeUndefined();
    expect(windowOf(at(-DAY + 1), windows)).toBe('expired');
    expect(windowOf(at(0), windows)).toBe('expired');
    expect(windowOf(at(1), windows)).toBe('expiring');
    expect(windowOf(at(7 * DAY), windows)).toBe('expiring');
    expect(windowOf(at(7 * DAY + 1), windows)).toBeUndefined();
  });

  it('names the UTC day of the run and covers both windows as one range', () => {
    expect(windows.day).toBe('2026-11-30');
    expect(windows.covering.after.toISOString()).toBe('2026-11-29T11:00:00.000Z');
    expect(windows.covering.until.toISOString()).toBe('2026-12-07T11:00:00.000Z');
  });

  it('takes the day from UTC, not local time', () => {
    expect(digestWindows(new Date('2026-12-31T23:59:59.999Z')).day).toBe('2026-12-31');
    expect(digestWindows(new Date('2027-01-01T00:00:00.000Z')).day).toBe('2027-01-01');
  });

  it('rejects an invalid time', () => {
    expect(() => digestWindows(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('daysCovering', () => {
  it('lists the nine expiry days of an 11:00 run', () => {
    expect(daysCovering(digestWindows(asOf).covering)).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
    ]);
  });

  it('includes the day of a range ending exactly at midnight (that instant is in the range)', () => {
    const range = {
      after: new Date('2026-01-01T00:00:00.000Z'),
      until: new Date('2026-01-02T00:00:00.000Z'),
    };
    expect(daysCovering(range)).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('holds the day of every instant in the range, and no day outside it (property)', () => {
    const start = Date.parse('2020-01-01T00:00:00.000Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 * DAY }),
        fc.integer({ min: 1, max: 10 * DAY }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (offset, length, fraction) => {
          const after = new Date(start + offset);
          const until = new Date(start + offset + length);
          const days = daysCovering({ after, until });
          const inside = new Date(after.getTime() + Math.max(1, Math.round(length * fraction)));
          expect(days).toContain(utcDay(inside));
          expect(days[0]).toBe(utcDay(new Date(after.getTime() + 1)));
          expect(days.at(-1)).toBe(utcDay(until));
          expect(new Set(days).size).toBe(days.length);
        },
      ),
    );
  });
});
