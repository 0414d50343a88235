/**
 * What the expiry digest needs from the world. `runExpiryNotifications` receives these; the DynamoDB
 * adapter (`shared/adapters/dynamodb/dynamo-notification-store.ts`) and the SES adapter (`shared/adapters/ses/`)
 * implement them, and unit tests pass in-memory ones.
 */
import type { TimeRange } from './windows.js';

/** A key as the digest shows it: never the secret, never its digest. */
export interface DueKey {
  companyId: string;
  keyId: string;
  name: string;
  /** Display prefix, e.g. `wsk-v1-aB3`. */
  keyPrefix: string;
  scopes: string[];
  /** RFC 3339 UTC. */
  expiresAt: string;
}

export interface ExpiryIndexPage {
  keys: DueKey[];
  /** Items the store read to produce this answer (what the run pays for). */
  itemsRead: number;
}

/** The keys of every company that expire in a time range, read from an index by expiry time. */
export interface ExpiryIndex {
  /** Every key with `after < expiresAt <= until`, all pages, reading nothing outside the range. */
  keysExpiringIn(range: TimeRange): Promise<ExpiryIndexPage>;
}

/** Who receives a company's digest. */
export interface RecipientDirectory {
  /** The company's notification recipients; empty when none were set. */
  recipientsOf(companyId: string): Promise<string[]>;
}

/** Result of trying to claim a company's digest for a day. */
export type ClaimOutcome =
  | { claimed: true }
  /** Already sent that day: send nothing. */
  | { claimed: false; state: 'sent' }
  /** Another run claimed it recently and may still be sending: leave it to that run. */
  | { claimed: false; state: 'in-progress' };

/**
 * The record of digests sent, one marker per company per UTC day, so a rerun sends nothing twice
 * and a failed send is retried.
 */
export interface NotificationLedger {
  /**
   * Atomically claims the company's digest for `day`. Succeeds when there is no marker, the marker
   * says the last attempt failed, or a claim is older than `staleBefore` (its run died).
   */
  claim(companyId: string, day: string, attemptAt: Date, staleBefore: Date): Promise<ClaimOutcome>;
  /** Records that the mail service accepted the digest. */
  markSent(companyId: string, day: string, messageId: string, sentAt: Date): Promise<void>;
  /** Records that sending failed, so the next run claims it again. */
  markFailed(companyId: string, day: string, reason: string, failedAt: Date): Promise<void>;
}

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Sends one email; resolves with the mail service's message id once it accepted the message. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
