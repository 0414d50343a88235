import type { Delivery } from './ports.js';

/**
 * The rules of delivering a digest to each recipient once: who a recipient is to the ledger, how long
 * a claim lasts, and how the recipients' outcomes add up to a company's and a run's.
 */

/**
 * How long a claim on one delivery lasts. A run holds a claim only while it sends that one message:
 * one SES call with the SDK's retries (3 attempts of at most 5 s each, plus back-off) and one marker
 * write — well under 30 s (`DEADLINE_MARGIN_MS`). Four times that is still shorter than Lambda's retry
 * schedule for a failed scheduled invocation (1 minute, then 2 more), so when a run dies mid-send the
 * platform's second retry finds that claim lapsed and sends the message — at-least-once, never lost.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;

/** The end of a lease taken at `now`. */
export function leaseUntil(now: Date): Date {
  return new Date(now.getTime() + CLAIM_LEASE_MS);
}

/**
 * The ledger's name for a recipient: the address case-folded, as the settings compare addresses when
 * they deduplicate them, so re-saving `Ops@acme.test` as `ops@acme.test` never sends it twice.
 */
export function recipientIdentity(address: string): string {
  return address.toLowerCase();
}

/** The delivery of a company's digest for `day` to `address`. */
export function deliveryOf(companyId: string, day: string, address: string): Delivery {
  return { companyId, day, recipient: recipientIdentity(address) };
}

/** What happened to one recipient's copy in one run. */
export type DeliveryOutcome =
  /** The mail service accepted it in this run. */
  | 'sent'
  /** An earlier run sent it. */
  | 'already-sent'
  /** Another run holds a live claim on it. */
  | 'in-progress'
  /** Not sent (send, claim or deadline); the next run retries it. */
  | 'failed';

/** What happened to one company's digest in one run. */
export type CompanyResult =
  | { companyId: string; kind: 'no-recipients' }
  /** Nothing was attempted for any recipient (recipients unreadable, digest too large, run out of time). */
  | { companyId: string; kind: 'failed' }
  | { companyId: string; kind: 'delivered'; deliveries: DeliveryOutcome[] };

export interface DeliveryCounts {
  /** Messages the mail service accepted in this run: one per recipient. */
  emailsSent: number;
  /** Recipients whose copy an earlier run sent. */
  alreadySent: number;
  /** Recipients another run holds a live claim on. */
  inProgress: number;
  /** Recipients not sent in this run (of companies that reached their recipients). */
  failedRecipients: number;
  /** Companies with keys due but no recipients. */
  skippedNoRecipients: number;
  /** Companies with any recipient not sent, or none attempted: the next run retries them. */
  failed: string[];
}

/** Adds up the companies' results (in their order) into the run's counts. */
export function tallyDeliveries(results: readonly CompanyResult[]): DeliveryCounts {
  const counts: DeliveryCounts = {
    emailsSent: 0,
    alreadySent: 0,
    inProgress: 0,
    failedRecipients: 0,
    skippedNoRecipients: 0,
    failed: [],
  };
  for (const result of results) {
    if (result.kind === 'no-recipients') counts.skippedNoRecipients += 1;
    else if (result.kind === 'failed') counts.failed.push(result.companyId);
    else {
      for (const outcome of result.deliveries) {
        if (outcome === 'sent') counts.emailsSent += 1;
        else if (outcome === 'already-sent') counts.alreadySent += 1;
        else if (outcome === 'in-progress') counts.inProgress += 1;
        else counts.failedRecipients += 1;
      }
      if (result.deliveries.includes('failed')) counts.failed.push(result.companyId);
    }
  }
  return counts;
}
