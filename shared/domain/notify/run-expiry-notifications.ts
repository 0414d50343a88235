import type { Clock } from '../clock.js';
import { mapConcurrent } from '../concurrency.js';
import type { Log } from '../ports.js';
import { type CompanyDigest, groupIntoDigests } from './digest.js';
import {
  DigestTooLargeError,
  estimatedMessageBytes,
  renderDigestEmail,
  SES_MAX_MESSAGE_BYTES,
} from './digest-email.js';
import type { ExpiryIndex, Mailer, NotificationLedger, RecipientDirectory } from './ports.js';
import { digestWindows } from './windows.js';

/**
 * A claim older than this belongs to a run that died (Lambda's maximum timeout is 15 minutes), so
 * another run may take it over.
 */
export const CLAIM_TIMEOUT_MS = 15 * 60_000;

/**
 * No company is started with less time than this left before the platform kills the run: one
 * company's worst case (SES retries with its request timeouts, a few DynamoDB calls) fits in it. A run
 * killed mid-send leaves a claim that blocks the day for `CLAIM_TIMEOUT_MS`, longer than Lambda waits
 * between retries; a company left unclaimed is simply sent by the retry.
 */
export const DEADLINE_MARGIN_MS = 30_000;

export interface ExpiryNotificationDeps {
  /** Wall clock: claim times and their staleness. Also the digest time when `asOf` is not given. */
  clock: Clock;
  /**
   * The time the digest is "as of": its windows and its UTC day. The scheduled event's time, so a
   * retry hours later still reports on (and dedupes against) the day it was scheduled for.
   */
  asOf?: Date;
  expiryIndex: ExpiryIndex;
  recipients: RecipientDirectory;
  ledger: NotificationLedger;
  mailer: Mailer;
  logger: Log;
  /** Where admins manage their keys; linked from every email. */
  consoleUrl: string;
  /** Companies handled at once (each is a few DynamoDB calls and one SES call). Default 4. */
  concurrency?: number;
  /**
   * Time left before the platform ends the run (Lambda: `context.getRemainingTimeInMillis`). Companies
   * not started when it is under `DEADLINE_MARGIN_MS` are reported failed, unclaimed, for the retry.
   * Unset: no deadline.
   */
  remainingTimeMs?: () => number;
}

export interface ExpiryNotificationSummary {
  /** UTC day of the digest, `yyyy-mm-dd`. */
  day: string;
  asOf: string;
  /** Companies with at least one key in the windows. */
  companiesScanned: number;
  emailsSent: number;
  /** Companies with keys due but no recipients set. */
  skippedNoRecipients: number;
  /** Companies whose digest for the day was sent by an earlier run. */
  alreadySent: number;
  /** Companies another run claimed minutes ago and may still be sending. */
  inProgress: number;
  /** Companies whose digest could not be sent; the next run retries them. */
  failed: string[];
  /** Index items read: grows with the keys in the windows, not with all keys. */
  itemsRead: number;
  /** Keys listed across all emails sent or due. */
  keysDue: number;
}

type CompanyOutcome = 'sent' | 'no-recipients' | 'already-sent' | 'in-progress' | 'failed';

/**
 * The daily expiry digest: reads the keys that expired in the last 24 hours or expire within 7 days
 * from the expiry index, and sends each company with any one email, exactly once per UTC day.
 *
 * Exactly once: before sending, the run claims the company's marker for the day with a conditional
 * write; after the mail service accepts, it marks the marker sent; if sending fails it marks it
 * failed, so the next run retries. A rerun the same day finds `sent` and sends nothing.
 * Residual window: if the process dies after the mail service accepted but before the marker says
 * `sent`, the claim goes stale after `CLAIM_TIMEOUT_MS` and a later run that day sends it again —
 * one duplicate, never a loss.
 *
 * One company's failure never stops the others; the summary lists the failed companies and the
 * caller decides to fail the invocation. Only a failure to read the index throws.
 */
export async function runExpiryNotifications(
  deps: ExpiryNotificationDeps,
): Promise<ExpiryNotificationSummary> {
  const windows = digestWindows(deps.asOf ?? deps.clock.now());
  const { keys, itemsRead } = await deps.expiryIndex.keysExpiringIn(windows.covering);
  const { digests, outsideWindows } = groupIntoDigests(keys, windows);
  if (outsideWindows > 0) {
    deps.logger.warn('expiry index returned keys outside the windows; ignored', { outsideWindows });
  }

  const summary: ExpiryNotificationSummary = {
    day: windows.day,
    asOf: windows.asOf.toISOString(),
    companiesScanned: digests.length,
    emailsSent: 0,
    skippedNoRecipients: 0,
    alreadySent: 0,
    inProgress: 0,
    failed: [],
    itemsRead,
    keysDue: keys.length - outsideWindows,
  };
  const outcomes = await mapConcurrent(digests, deps.concurrency ?? 4, (digest) =>
    notifyCompany(digest, windows.day, windows.asOf, deps),
  );
  outcomes.forEach((outcome, index) => {
    if (outcome === 'sent') summary.emailsSent += 1;
    else if (outcome === 'no-recipients') summary.skippedNoRecipients += 1;
    else if (outcome === 'already-sent') summary.alreadySent += 1;
    else if (outcome === 'in-progress') summary.inProgress += 1;
    else summary.failed.push(digests[index]?.companyId ?? '');
  });
  deps.logger.info('expiry digest run finished', { ...summary });
  return summary;
}

async function notifyCompany(
  digest: CompanyDigest,
  day: string,
  asOf: Date,
  deps: ExpiryNotificationDeps,
): Promise<CompanyOutcome> {
  const { companyId } = digest;
  const counts = { companyId, day, expired: digest.expired.length, expiring: digest.expiring.length };
  if (deps.remainingTimeMs && deps.remainingTimeMs() < DEADLINE_MARGIN_MS) {
    deps.logger.error('digest not started: the run is about to time out; the retry sends it', counts);
    return 'failed';
  }
  try {
    const recipients = await deps.recipients.recipientsOf(companyId);
    if (recipients.length === 0) {
      deps.logger.warn('keys due but no notification recipients set; skipped', counts);
      return 'no-recipients';
    }

    const email = renderDigestEmail(digest, { asOf, consoleUrl: deps.consoleUrl });
    const size = estimatedMessageBytes(email, recipients);
    if (size > SES_MAX_MESSAGE_BYTES) throw new DigestTooLargeError(companyId, size);

    const attemptAt = deps.clock.now();
    const claim = await deps.ledger.claim(
      companyId,
      day,
      attemptAt,
      new Date(attemptAt.getTime() - CLAIM_TIMEOUT_MS),
    );
    if (!claim.claimed) {
      deps.logger.info(
        claim.state === 'sent' ? 'digest already sent today' : 'digest claimed by another run',
        counts,
      );
      return claim.state === 'sent' ? 'already-sent' : 'in-progress';
    }

    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send({ to: recipients, ...email }));
    } catch (error) {
      await releaseClaim(companyId, day, error, deps);
      throw error;
    }

    try {
      await deps.ledger.markSent(companyId, day, messageId, deps.clock.now());
    } catch (error) {
      // The mail went out: report it sent. The claim stays `sending`, so no run resends it before
      // the claim goes stale (the documented residual duplicate window).
      deps.logger.error('digest sent but its marker was not updated', { ...counts, ...describe(error) });
    }
    deps.logger.info('digest sent', { ...counts, recipients: recipients.length, messageId });
    return 'sent';
  } catch (error) {
    deps.logger.error('digest not sent; the next run retries', { ...counts, ...describe(error) });
    return 'failed';
  }
}

async function releaseClaim(companyId: string, day: string, cause: unknown, deps: ExpiryNotificationDeps) {
  try {
    await deps.ledger.markFailed(companyId, day, describe(cause).error, deps.clock.now());
  } catch (error) {
    // A claim left in `sending` is re-claimed once stale, so the digest is still retried, later.
    deps.logger.error('could not record the failed send', { companyId, day, ...describe(error) });
  }
}

/** Error name and message only (never a stack with values in it); SES and DynamoDB errors hold no secrets. */
function describe(error: unknown): { error: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`.slice(0, 500) };
  return { error: String(error).slice(0, 500) };
}
