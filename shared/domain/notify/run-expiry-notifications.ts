import type { Clock } from '../clock.js';
import { mapConcurrent } from '../concurrency.js';
import type { EventPublisher } from '../events/ports.js';
import type { Log } from '../ports.js';
import { readCurrentState } from './current-state.js';
import {
  type CompanyResult,
  type DeliveryCounts,
  type DeliveryOutcome,
  deliveryOf,
  leaseUntil,
  tallyDeliveries,
} from './delivery.js';
import { type CompanyDigest, groupIntoDigests } from './digest.js';
import {
  type DigestEmail,
  DigestTooLargeError,
  estimatedMessageBytes,
  renderDigestEmail,
  SES_MAX_MESSAGE_BYTES,
} from './digest-email.js';
import { type EventsOutcome, publishDigestEvents } from './expiry-events.js';
import type {
  Delivery,
  ExpiryIndex,
  KeyStateReader,
  Mailer,
  NotificationLedger,
  RecipientDirectory,
} from './ports.js';
import { digestWindows } from './windows.js';

/**
 * No recipient's send is started with less time than this left before the platform kills the run:
 * one send's worst case (SES retries with their request timeouts, two DynamoDB writes) fits in it. A
 * run killed mid-send leaves a claim that holds that one delivery for `CLAIM_LEASE_MS`; a delivery
 * left unclaimed is simply sent by the retry.
 */
export const DEADLINE_MARGIN_MS = 30_000;

export interface ExpiryNotificationDeps {
  /** Wall clock: claim times and their leases. Also the digest time when `asOf` is not given. */
  clock: Clock;
  /**
   * The time the digest is "as of": its windows and its UTC day. The scheduled event's time, so a
   * retry hours later still reports on (and dedupes against) the day it was scheduled for.
   */
  asOf?: Date;
  expiryIndex: ExpiryIndex;
  /** The due keys' current state (enabled, rotated, renamed, deleted), read after the index. */
  keyStates: KeyStateReader;
  recipients: RecipientDirectory;
  ledger: NotificationLedger;
  mailer: Mailer;
  /**
   * Where the `api-key.expired` / `api-key.expiring` events go (once per company and day, see
   * `expiry-events.ts`). Every deployed notifier has one; unset, the run publishes none.
   */
  events?: EventPublisher;
  logger: Log;
  /** Where admins manage their keys; linked from every email. */
  consoleUrl: string;
  /** Companies handled at once (each: one read, then per recipient two DynamoDB writes and one SES call). Default 4. */
  concurrency?: number;
  /**
   * Time left before the platform ends the run (Lambda: `context.getRemainingTimeInMillis`). Recipients
   * not started when it is under `DEADLINE_MARGIN_MS` are reported failed, unclaimed, for the retry.
   * Unset: no deadline.
   */
  remainingTimeMs?: () => number;
}

export interface ExpiryNotificationSummary extends DeliveryCounts {
  /** UTC day of the digest, `yyyy-mm-dd`. */
  day: string;
  asOf: string;
  /** Companies with at least one key in the windows. */
  companiesScanned: number;
  /** Index items read: grows with the keys in the windows, not with all keys. */
  itemsRead: number;
  /** Keys listed across all digests sent or due. */
  keysDue: number;
  /** Keys the index still listed whose items were gone (deleted since): not in any digest. */
  keysDeletedSince: number;
  /** Expiry events published in this run (companies whose events an earlier run published: none). */
  eventsPublished: number;
}

/**
 * The daily expiry digest: reads the keys that expired in the last 24 hours or expire within 7 days
 * from the expiry index, then the current state of just those keys (`current-state.ts`), renders one digest per company, and sends it as one message to each of the
 * company's recipients, each recipient once per UTC day.
 *
 * Once per recipient: before each message the run claims that recipient's delivery for the day with a
 * conditional write holding a lease (`CLAIM_LEASE_MS`); after the mail service accepts, it marks the
 * delivery sent; if sending fails it marks it failed, so the next run retries that recipient alone. A
 * rerun sends only what is not marked sent.
 *
 * At-least-once, not exactly-once: SES takes no idempotency key, so a message SES accepted but whose
 * `sent` mark never landed (the run died in between, the mark's write failed, or SES accepted a request
 * whose answer was lost and the SDK sent it again) is sent again once its lease runs out — a rare
 * duplicate to that one recipient, never a lost digest. The window is one SES answer to one marker
 * write, per message.
 *
 * One recipient's or company's failure never stops the others; the summary lists the companies not
 * fully sent and the caller decides to fail the invocation. Only a failure to read the index or the
 * keys' state throws.
 */
export async function runExpiryNotifications(
  deps: ExpiryNotificationDeps,
): Promise<ExpiryNotificationSummary> {
  const windows = digestWindows(deps.asOf ?? deps.clock.now());
  const { keys: indexed, itemsRead } = await deps.expiryIndex.keysExpiringIn(windows.covering);
  const { keys, deletedSince } = await readCurrentState(indexed, deps.keyStates);
  const { digests, outsideWindows } = groupIntoDigests(keys, windows);
  if (outsideWindows > 0) {
    // The index lags its items: a key whose expiry changed since (a rotation shortening it) can
    // fall outside the windows by its current expiry.
    deps.logger.warn('keys outside the windows by their current expiry; ignored', { outsideWindows });
  }
  const results = await mapConcurrent(digests, deps.concurrency ?? 4, async (digest) => ({
    email: await notifyCompany(digest, windows.day, windows.asOf, deps),
    events: await companyEvents(digest, windows.day, windows.asOf, deps),
  }));
  const counts = tallyDeliveries(results.map((result) => result.email));
  let eventsPublished = 0;
  for (const [index, { events }] of results.entries()) {
    const { companyId } = digests[index] as CompanyDigest;
    if (events?.kind === 'published') eventsPublished += events.count;
    // A company's events not published (or held by another run) fail the run like an unsent email.
    if (events?.kind === 'failed' && !counts.failed.includes(companyId)) counts.failed.push(companyId);
    if (events?.kind === 'in-progress') counts.inProgress += 1;
  }
  const summary: ExpiryNotificationSummary = {
    day: windows.day,
    asOf: windows.asOf.toISOString(),
    companiesScanned: digests.length,
    ...counts,
    itemsRead,
    keysDue: keys.length - outsideWindows,
    keysDeletedSince: deletedSince,
    eventsPublished,
  };
  deps.logger.info('expiry digest run finished', { ...summary });
  return summary;
}

/** The company's expiry events of the day, unless there is no publisher or no time left. */
async function companyEvents(
  digest: CompanyDigest,
  day: string,
  asOf: Date,
  deps: ExpiryNotificationDeps,
): Promise<EventsOutcome | undefined> {
  if (deps.events === undefined) return undefined;
  if (outOfTime(deps)) {
    deps.logger.error('expiry events not started: the run is about to time out; the retry publishes them', {
      companyId: digest.companyId,
      day,
    });
    return { kind: 'failed' };
  }
  return publishDigestEvents(digest, day, asOf, { ...deps, events: deps.events });
}

async function notifyCompany(
  digest: CompanyDigest,
  day: string,
  asOf: Date,
  deps: ExpiryNotificationDeps,
): Promise<CompanyResult> {
  const { companyId } = digest;
  const counts = { companyId, day, expired: digest.expired.length, expiring: digest.expiring.length };
  if (outOfTime(deps)) {
    deps.logger.error('digest not started: the run is about to time out; the retry sends it', counts);
    return { companyId, kind: 'failed' };
  }
  let recipients: string[];
  let email: DigestEmail;
  try {
    recipients = await deps.recipients.recipientsOf(companyId);
    if (recipients.length === 0) {
      deps.logger.warn('keys due but no notification recipients set; skipped', counts);
      return { companyId, kind: 'no-recipients' };
    }
    // One rendering per company per day: every recipient gets the very same digest.
    email = renderDigestEmail(digest, { asOf, consoleUrl: deps.consoleUrl });
    // Every message is the same digest; the longest address makes the largest header.
    const longest = recipients.reduce((a, b) => (b.length > a.length ? b : a));
    const size = estimatedMessageBytes(email, longest);
    if (size > SES_MAX_MESSAGE_BYTES) throw new DigestTooLargeError(companyId, size);
  } catch (error) {
    deps.logger.error('digest not sent; the next run retries', { ...counts, ...describe(error) });
    return { companyId, kind: 'failed' };
  }

  // One at a time: a company's messages never add to SES's sending rate beyond the run's concurrency.
  const deliveries: DeliveryOutcome[] = [];
  for (const [index, address] of recipients.entries()) {
    // Addresses stay out of the logs: a recipient is its position in the company's list.
    const context = { ...counts, recipient: index };
    deliveries.push(await deliver(email, address, day, context, deps));
  }
  const sent = deliveries.filter((outcome) => outcome === 'sent').length;
  deps.logger.info('digest delivered', { ...counts, recipients: recipients.length, sent });
  return { companyId, kind: 'delivered', deliveries };
}

/** Claim → send → mark, for one recipient. */
async function deliver(
  email: DigestEmail,
  address: string,
  day: string,
  context: Record<string, unknown> & { companyId: string },
  deps: ExpiryNotificationDeps,
): Promise<DeliveryOutcome> {
  if (outOfTime(deps)) {
    deps.logger.error('recipient not started: the run is about to time out; the retry sends it', context);
    return 'failed';
  }
  const delivery = deliveryOf(context.companyId, day, address);
  let claimToken: string;
  try {
    const now = deps.clock.now();
    const claim = await deps.ledger.claim(delivery, now, leaseUntil(now));
    if (!claim.claimed) {
      deps.logger.info(
        claim.state === 'sent'
          ? 'digest already sent to this recipient today'
          : 'recipient claimed by another run',
        context,
      );
      return claim.state === 'sent' ? 'already-sent' : 'in-progress';
    }
    ({ claimToken } = claim);
  } catch (error) {
    deps.logger.error('recipient not claimed; the next run retries', { ...context, ...describe(error) });
    return 'failed';
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ to: address, ...email }));
  } catch (error) {
    deps.logger.error('digest not sent to this recipient; the next run retries', {
      ...context,
      ...describe(error),
    });
    await releaseClaim(delivery, claimToken, error, context, deps);
    return 'failed';
  }

  try {
    await deps.ledger.markSent(delivery, messageId, deps.clock.now());
  } catch (error) {
    // The mail went out: report it sent. The claim stays `sending` until its lease runs out; a run
    // after that sends it again (the documented duplicate window).
    deps.logger.error('digest sent but its marker was not updated', { ...context, ...describe(error) });
  }
  deps.logger.info('digest sent to recipient', { ...context, messageId });
  return 'sent';
}

function outOfTime(deps: ExpiryNotificationDeps): boolean {
  return deps.remainingTimeMs !== undefined && deps.remainingTimeMs() < DEADLINE_MARGIN_MS;
}

async function releaseClaim(
  delivery: Delivery,
  claimToken: string,
  cause: unknown,
  context: Record<string, unknown>,
  deps: ExpiryNotificationDeps,
) {
  try {
    await deps.ledger.markFailed(delivery, claimToken, describe(cause).error, deps.clock.now());
  } catch (error) {
    // A claim left in `sending` is claimed again once its lease runs out, so it is still retried, later.
    deps.logger.error('could not record the failed send', { ...context, ...describe(error) });
  }
}

/**
 * Error name and message only (never a stack with values in it); SES and DynamoDB errors hold no
 * secrets, but SES names addresses in some (e.g. "not verified … : ops@acme.test"), so those are masked.
 */
function describe(error: unknown): { error: string } {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { error: text.replace(/[^\s<>"',;:]+@[^\s<>"',;:]+/g, '<address>').slice(0, 500) };
}
