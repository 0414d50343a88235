/**
 * What the expiry digest needs from the world. `runExpiryNotifications` receives these; the DynamoDB
 * adapter (`shared/adapters/dynamodb/dynamo-notification-store.ts`) and the SES adapter (`shared/adapters/ses/`)
 * implement them, and unit tests pass in-memory ones.
 */
import type { TimeRange } from './windows.js';

/**
 * A key as the expiry index holds it: what never changes after creation (company, id, prefix,
 * scopes) and what was true when the index was last updated (name, expiry). Never the secret,
 * never its digest.
 */
export interface IndexedKey {
  companyId: string;
  keyId: string;
  name: string;
  /** Display prefix, e.g. `wsk-v1-aB3`. */
  keyPrefix: string;
  scopes: string[];
  /** RFC 3339 UTC. */
  expiresAt: string;
}

/** A key as the digest shows it: as indexed, with its current state read from its own item. */
export interface DueKey extends IndexedKey {
  /** False once disabled: it already fails every request, so its expiry changes nothing for callers. */
  enabled: boolean;
  /**
   * The key that replaced it by rotation, or null: its callers are (or are being) moved to that key
   * and the admin need not act. `keyPrefix` is null when that key was deleted since.
   */
  rotatedTo: { keyId: string; keyPrefix: string | null } | null;
}

export interface ExpiryIndexPage {
  keys: IndexedKey[];
  /** Items the store read to produce this answer (what the run pays for). */
  itemsRead: number;
}

/** The keys of every company that expire in a time range, read from an index by expiry time. */
export interface ExpiryIndex {
  /** Every key with `after < expiresAt <= until`, all pages, reading nothing outside the range. */
  keysExpiringIn(range: TimeRange): Promise<ExpiryIndexPage>;
}

/** Names one company key. */
export interface KeyRef {
  companyId: string;
  keyId: string;
}

/** What may have changed about a key since the index last saw it, as its own item says now. */
export interface KeyState extends KeyRef {
  name: string;
  keyPrefix: string;
  expiresAt: string;
  enabled: boolean;
  rotatedTo: string | null;
}

/**
 * The current state of given keys, read from their own items (the expiry index is eventually
 * consistent and does not hold `enabled` or `rotatedTo`).
 */
export interface KeyStateReader {
  /**
   * The state of each of `keys` as of now (strongly consistent), in any order; a key whose item is
   * gone (deleted since) is simply absent. Costs grow with `keys`, never with the table.
   */
  statesOf(keys: readonly KeyRef[]): Promise<KeyState[]>;
}

/** Who receives a company's digest. */
export interface RecipientDirectory {
  /** The company's notification recipients; empty when none were set. */
  recipientsOf(companyId: string): Promise<string[]>;
}

/**
 * One recipient's copy of one company's digest for one UTC day: the unit the ledger records, so each
 * recipient gets each day's digest once however many runs try.
 */
export interface Delivery {
  companyId: string;
  /** UTC `yyyy-mm-dd` of the digest. */
  day: string;
  /** The recipient as the ledger knows it (`recipientIdentity`: case-folded), not necessarily as spelled. */
  recipient: string;
}

/** Result of trying to claim a delivery. */
export type ClaimOutcome =
  /** This run holds the delivery until `leaseUntil`; `claimToken` identifies this claim to the ledger. */
  | { claimed: true; claimToken: string }
  /** An earlier run sent it: send nothing. */
  | { claimed: false; state: 'sent' }
  /** Another run holds a lease that has not run out and may still be sending: leave it to that run. */
  | { claimed: false; state: 'in-progress' };

/**
 * The record of digests delivered, one marker per company, UTC day and recipient, so a rerun sends
 * nothing twice and sends what an earlier run failed (or never got) to send.
 */
export interface NotificationLedger {
  /**
   * Atomically claims `delivery` until `leaseUntil`. Succeeds when there is no marker, the marker says
   * the last attempt failed, or the marker's lease ran out by `now` (its run died mid-send).
   */
  claim(delivery: Delivery, now: Date, leaseUntil: Date): Promise<ClaimOutcome>;
  /** Records that the mail service accepted the delivery's message. */
  markSent(delivery: Delivery, messageId: string, sentAt: Date): Promise<void>;
  /**
   * Records that sending failed, so the next run claims it again at once; only while the claim is
   * still this one (`claimToken`), so a run whose lease ran out never frees another run's claim.
   */
  markFailed(delivery: Delivery, claimToken: string, reason: string, failedAt: Date): Promise<void>;
}

/** One message to one recipient (AWS advises a message per recipient; nobody sees the others). */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one email; resolves with the mail service's message id once it accepted the message. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
