import { describe, expect, it } from 'vitest';
import { nextPollDelay } from '../../../local/audit-stream-poller.js';

const intervals = { intervalMs: 250, idleIntervalMs: 2_000 };

describe("local mode's stream poller pace", () => {
  it('doubles the wait after each empty poll, up to the idle interval', () => {
    const waits: number[] = [];
    let delay = intervals.intervalMs;
    for (let poll = 0; poll < 6; poll++) {
      delay = nextPollDelay(delay, false, intervals);
      waits.push(delay);
    }
    expect(waits).toEqual([500, 1_000, 2_000, 2_000, 2_000, 2_000]);
  });

  it('comes back to the quick interval after a poll that read records', () => {
    expect(nextPollDelay(2_000, true, intervals)).toBe(250);
    expect(nextPollDelay(250, true, intervals)).toBe(250);
  });

  it('never waits less than the quick interval nor more than the idle one', () => {
    expect(nextPollDelay(0, false, intervals)).toBe(500);
    expect(nextPollDelay(1_500, false, intervals)).toBe(2_000);
    expect(nextPollDelay(100, false, { intervalMs: 100, idleIntervalMs: 100 })).toBe(100);
  });
});
