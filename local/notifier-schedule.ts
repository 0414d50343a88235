/**
 * The EventBridge rule `cron(0 11 * * ? *)` of local mode: runs the notifier in this process every
 * day at 11:00 UTC, with an event whose `time` is the scheduled instant, as EventBridge sends it.
 * `npm start` starts it with the notifier Lambda's own code (`localNotifier`).
 */
import { parseArgs } from 'node:util';
import type { ExpiryNotificationSummary } from '../shared/domain/notify/run-expiry-notifications.js';

/** The daily run time, UTC. */
export const NOTIFY_AT_UTC = { hour: 11, minute: 0 } as const;

/**
 * Longest single sleep. The timer is re-armed at least this often, so a laptop that slept through
 * 11:00, or a clock that was changed, runs the job within a minute of waking instead of a day late.
 */
const MAX_SLEEP_MS = 60_000;

/** The first 11:00 UTC strictly after `now`. */
export function nextRunAfter(now: Date): Date {
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
    NOTIFY_AT_UTC.hour,
    NOTIFY_AT_UTC.minute,
  );
  return new Date(today > now.getTime() ? today : today + 86_400_000);
}

/** One line about a run, for a terminal. */
export function summaryLine(summary: ExpiryNotificationSummary): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const counts = [
    `${summary.companiesScanned} ${summary.companiesScanned === 1 ? 'company' : 'companies'} with keys due`,
    `${plural(summary.emailsSent, 'email')} sent`,
    `${plural(summary.alreadySent, 'recipient')} already sent today`,
    `${summary.skippedNoRecipients} skipped (no recipients)`,
    ...(summary.inProgress > 0 ? [`${plural(summary.inProgress, 'recipient')} in progress elsewhere`] : []),
    summary.failed.length > 0
      ? `FAILED: ${summary.failed.join(', ')} (${plural(summary.failedRecipients, 'recipient')} not sent)`
      : '0 failed',
    `${plural(summary.itemsRead, 'index item')} read`,
    `${plural(summary.eventsPublished, 'expiry event')} published`,
  ];
  return `digest for ${summary.day} (as of ${summary.asOf}): ${counts.join(', ')}`;
}

export interface NotifierScheduleOptions {
  log: (line: string) => void;
  /** Runs the notifier for a scheduled event time (`localNotifier` in `functions.ts`: the Lambda's code). */
  run: (time: Date) => Promise<ExpiryNotificationSummary>;
  /** Default: the real time. */
  now?: () => Date;
}

/**
 * Starts the daily schedule; returns a stop function that cancels the timer and waits for a run in
 * progress.
 */
export function scheduleDailyNotifier(options: NotifierScheduleOptions): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  const { run } = options;
  let next = nextRunAfter(now());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const arm = () => {
    if (stopped) return;
    timer = setTimeout(tick, Math.min(Math.max(next.getTime() - now().getTime(), 0), MAX_SLEEP_MS));
    // The gateway keeps `npm start` alive; the schedule alone must not.
    timer.unref();
  };
  const tick = () => {
    if (now().getTime() < next.getTime()) return arm();
    const scheduled = next;
    running = run(scheduled)
      .then((summary) => options.log(summaryLine(summary)))
      .catch((error: unknown) =>
        options.log(`digest for ${scheduled.toISOString()} failed: ${describe(error)}`),
      )
      .finally(() => {
        running = undefined;
        next = nextRunAfter(now());
        options.log(`next run ${next.toISOString()}`);
        arm();
      });
  };

  options.log(
    `daily expiry digest at 11:00 UTC; next run ${next.toISOString()} (run one now: npm run notify)`,
  );
  arm();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const NOTIFY_USAGE = 'usage: npm run notify -- [--now <RFC 3339 time, e.g. 2026-11-30T11:00:00Z>]';

/** A problem with how `npm run notify` was called or where it runs: reported as one line. */
export class InvalidNotifyArgumentsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidNotifyArgumentsError';
  }
}

/** Parses `npm run notify`'s arguments: `--now <RFC 3339>` (optional), `--help`. */
export function parseNotifyArguments(args: string[]): { now?: Date } {
  let values: { now?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { now: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    throw new InvalidNotifyArgumentsError(`${(error as Error).message}\n${NOTIFY_USAGE}`);
  }
  if (values.help) throw new InvalidNotifyArgumentsError(NOTIFY_USAGE);
  if (values.now === undefined) return {};
  const now = new Date(values.now);
  if (!RFC3339.test(values.now) || Number.isNaN(now.getTime())) {
    throw new InvalidNotifyArgumentsError(
      `--now must be an RFC 3339 time such as 2026-11-30T11:00:00Z, got "${values.now}".`,
    );
  }
  return { now };
}
