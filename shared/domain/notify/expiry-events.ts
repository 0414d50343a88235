import type { Clock } from '../clock.js';
import { expiryLifecycleEvent, type LifecycleEvent } from '../events/lifecycle-event.js';
import type { EventPublisher } from '../events/ports.js';
import type { Log } from '../ports.js';
import { leaseUntil } from './delivery.js';
import type { CompanyDigest } from './digest.js';
import type { Delivery, NotificationLedger } from './ports.js';

/**
 * The daily job's events: one `api-key.expired` or `api-key.expiring` per key of a company's digest,
 * published once per company and UTC day, as each recipient's email is. The day's events are one
 * more delivery in the ledger (the recipient `#events`, which no email address can be), so a rerun —
 * the platform's retry after a failed run, a manual `npm run notify` — does not publish them again;
 * a run whose publishing failed leaves it failed, and the next run publishes the company's events
 * again (at-least-once: some may then arrive twice; `day`, `keyId` and the detail-type identify one).
 */

/** The ledger's name for a company's daily events: not an email address, so never a recipient's. */
export const EVENTS_DELIVERY_RECIPIENT = '#events';

/** What happened to a company's events in one run. */
export type EventsOutcome =
  | { kind: 'published'; count: number }
  | { kind: 'already-published' }
  | { kind: 'in-progress' }
  | { kind: 'failed' };

export interface ExpiryEventsDeps {
  clock: Clock;
  ledger: NotificationLedger;
  events: EventPublisher;
  logger: Log;
}

/** The events of one company's digest for `day`: expired keys first, then expiring ones. */
export function digestEvents(digest: CompanyDigest, day: string, asOf: Date): LifecycleEvent[] {
  return [
    ...digest.expired.map((key) => expiryLifecycleEvent('api-key.expired', key, { day, asOf })),
    ...digest.expiring.map((key) => expiryLifecycleEvent('api-key.expiring', key, { day, asOf })),
  ];
}

/** Claim → publish → mark, for one company's events of the day. */
export async function publishDigestEvents(
  digest: CompanyDigest,
  day: string,
  asOf: Date,
  deps: ExpiryEventsDeps,
): Promise<EventsOutcome> {
  const delivery: Delivery = { companyId: digest.companyId, day, recipient: EVENTS_DELIVERY_RECIPIENT };
  const context = { companyId: digest.companyId, day };
  let claimToken: string;
  try {
    const now = deps.clock.now();
    const claim = await deps.ledger.claim(delivery, now, leaseUntil(now));
    if (!claim.claimed) {
      return claim.state === 'sent' ? { kind: 'already-published' } : { kind: 'in-progress' };
    }
    ({ claimToken } = claim);
  } catch (error) {
    deps.logger.error('expiry events not claimed; the next run retries', {
      ...context,
      error: String(error),
    });
    return { kind: 'failed' };
  }

  const events = digestEvents(digest, day, asOf);
  let failed: number;
  try {
    failed = (await deps.events.publish(events)).failed.length;
  } catch (error) {
    failed = events.length;
    deps.logger.error('expiry events not published', { ...context, error: String(error) });
  }
  if (failed > 0) {
    deps.logger.error('expiry events not all published; the next run publishes them again', {
      ...context,
      events: events.length,
      failed,
    });
    try {
      await deps.ledger.markFailed(delivery, claimToken, `${failed} events refused`, deps.clock.now());
    } catch (error) {
      deps.logger.error('could not record the failed events', { ...context, error: String(error) });
    }
    return { kind: 'failed' };
  }
  try {
    await deps.ledger.markSent(delivery, `${events.length} events`, deps.clock.now());
  } catch (error) {
    // Published: report it so. The claim lapses and a later run publishes them again (at-least-once).
    deps.logger.error('expiry events published but their marker was not updated', {
      ...context,
      error: String(error),
    });
  }
  return { kind: 'published', count: events.length };
}
