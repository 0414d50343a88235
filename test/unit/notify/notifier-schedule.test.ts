import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidNotifyArgumentsError,
  nextRunAfter,
  parseNotifyArguments,
  scheduleDailyNotifier,
  summaryLine,
} from '../../../local/notifier-schedule.js';
import type { ExpiryNotificationSummary } from '../../../shared/domain/notify/run-expiry-notifications.js';

const summaryAt = (time: Date): ExpiryNotificationSummary => ({
  day: time.toISOString().slice(0, 10),
  asOf: time.toISOString(),
  companiesScanned: 2,
  emailsSent: 1,
  skippedNoRecipients: 1,
  alreadySent: 0,
  inProgress: 0,
  failedRecipients: 0,
  failed: [],
  itemsRead: 3,
  eventsPublished: 0,
  keysDue: 3,
  keysDeletedSince: 0,
});

describe('nextRunAfter', () => {
  it.each([
    ['2026-11-30T10:59:59.999Z', '2026-11-30T11:00:00.000Z'],
    ['2026-11-30T11:00:00.000Z', '2026-12-01T11:00:00.000Z'],
    ['2026-11-30T23:30:00.000Z', '2026-12-01T11:00:00.000Z'],
    ['2026-12-31T12:00:00.000Z', '2027-01-01T11:00:00.000Z'],
  ])('after %s is %s', (now, next) => {
    expect(nextRunAfter(new Date(now)).toISOString()).toBe(next);
  });
});

describe('scheduleDailyNotifier', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at 11:00 UTC with that instant as the event time, logs one line, and reschedules', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T10:58:30.000Z') });
    const runs: string[] = [];
    const log: string[] = [];
    const stop = scheduleDailyNotifier({
      log: (line) => log.push(line),
      run: async (time) => {
        runs.push(time.toISOString());
        return summaryAt(time);
      },
    });
    await vi.advanceTimersByTimeAsync(89_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toEqual(['2026-11-30T11:00:00.000Z']);
    expect(
      log.some((line) => line.startsWith('digest for 2026-11-30') && line.includes('1 email sent')),
    ).toBe(true);
    expect(log.at(-1)).toBe('next run 2026-12-01T11:00:00.000Z');

    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(runs).toEqual(['2026-11-30T11:00:00.000Z', '2026-12-01T11:00:00.000Z']);
    await stop();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(runs).toHaveLength(2);
  });

  it('logs a failed run and still schedules the next', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T10:59:59.000Z') });
    const log: string[] = [];
    const stop = scheduleDailyNotifier({
      log: (line) => log.push(line),
      run: async () => {
        throw new Error('DynamoDB Local is gone');
      },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toContain('digest for 2026-11-30T11:00:00.000Z failed: Error: DynamoDB Local is gone');
    expect(log.at(-1)).toBe('next run 2026-12-01T11:00:00.000Z');
    await stop();
  });

  it('does not keep the process alive on its own', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const stop = scheduleDailyNotifier({ log: () => {}, run: async (time) => summaryAt(time) });
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
    return stop();
  });
});

describe('summaryLine', () => {
  it('says what the run did in one line', () => {
    const line = summaryLine({
      ...summaryAt(new Date('2026-11-30T11:00:00Z')),
      failed: ['globex'],
      failedRecipients: 2,
    });
    expect(line).toBe(
      'digest for 2026-11-30 (as of 2026-11-30T11:00:00.000Z): 2 companies with keys due, 1 email sent, ' +
        '0 recipients already sent today, 1 skipped (no recipients), FAILED: globex (2 recipients not sent), ' +
        '3 index items read, 0 expiry events published',
    );
    expect(line).not.toContain('\n');
  });
});

describe('parseNotifyArguments', () => {
  it('reads --now as an RFC 3339 time, with offsets', () => {
    expect(parseNotifyArguments(['--now', '2026-11-30T12:00:00+01:00']).now?.toISOString()).toBe(
      '2026-11-30T11:00:00.000Z',
    );
    expect(parseNotifyArguments([])).toEqual({});
  });

  it.each([
    [['--now', 'tomorrow']],
    [['--now', '2026-11-30']],
    [['--now', '2026-13-30T11:00:00Z']],
    [['--when', '2026-11-30T11:00:00Z']],
    [['--help']],
  ])('rejects %j with a one-line reason and the usage', (args) => {
    expect(() => parseNotifyArguments(args)).toThrow(InvalidNotifyArgumentsError);
  });
});
