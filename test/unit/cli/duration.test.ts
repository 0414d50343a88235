import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../cli/duration.js';
import { UsageError } from '../../../cli/errors.js';

describe('CLI durations (--expires-in, --grace)', () => {
  it('reads a whole number and a unit as seconds', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('90m')).toBe(5_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration(' 30d ')).toBe(2_592_000);
    expect(parseDuration('2w')).toBe(1_209_600);
  });

  it('takes 0 only where allowed, and names the option in its refusal', () => {
    expect(parseDuration('0', '--grace', true)).toBe(0);
    expect(parseDuration('0h', '--grace', true)).toBe(0);
    expect(() => parseDuration('0')).toThrow(UsageError);
    expect(() => parseDuration('2 days', '--grace', true)).toThrow('--grace "2 days" is not a duration');
    for (const bad of ['', 'd', '1.5h', '-1d', '01d', '1y', '1D', '1234567890s']) {
      expect(() => parseDuration(bad), bad).toThrow('--expires-in');
    }
  });
});
