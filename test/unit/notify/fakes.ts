import { keyStateOf } from '../../../shared/domain/notify/current-state.js';
import type {
  ClaimOutcome,
  Delivery,
  DueKey,
  ExpiryIndex,
  ExpiryIndexPage,
  KeyRef,
  KeyState,
  KeyStateReader,
  Mailer,
  NotificationLedger,
  OutgoingEmail,
  RecipientDirectory,
} from '../../../shared/domain/notify/ports.js';
import type { TimeRange } from '../../../shared/domain/notify/windows.js';

/**
 * An expiry index over an array, and the keys' own items: counts every key it looks at, as a scan
 * would. The index answers with what it was given (`keys`); the state read answers from `items`,
 * which a test changes (disable, rotate, delete) to play a change made after the index saw the key.
 */
export class ArrayExpiryIndex implements ExpiryIndex, KeyStateReader {
  readonly items = new Map<string, KeyState>();
  /** Every `statesOf` call's keys, in order. */
  readonly stateReads: KeyRef[][] = [];
  constructor(readonly keys: DueKey[]) {
    for (const key of keys) {
      this.items.set(itemKey(key), keyStateOf(key));
    }
  }
  async keysExpiringIn(range: TimeRange): Promise<ExpiryIndexPage> {
    const keys = this.keys
      .filter((key) => {
        const t = Date.parse(key.expiresAt);
        return t > range.after.getTime() && t <= range.until.getTime();
      })
      .map(({ companyId, keyId, name, keyPrefix, scopes, expiresAt }) => ({
        companyId,
        keyId,
        name,
        keyPrefix,
        scopes,
        expiresAt,
      }));
    return { keys, itemsRead: keys.length };
  }
  async statesOf(keys: readonly KeyRef[]): Promise<KeyState[]> {
    this.stateReads.push([...keys]);
    return keys.flatMap((key) => {
      const item = this.items.get(itemKey(key));
      return item === undefined ? [] : [{ ...item }];
    });
  }
}

const itemKey = ({ companyId, keyId }: KeyRef) => `${companyId}/${keyId}`;

export class MapRecipients implements RecipientDirectory {
  constructor(readonly byCompany: Record<string, string[]>) {}
  async recipientsOf(companyId: string): Promise<string[]> {
    return this.byCompany[companyId] ?? [];
  }
}

interface Marker {
  status: 'sending' | 'sent' | 'failed';
  leaseUntil: Date;
  claimToken: string;
  messageId?: string;
  reason?: string;
}

/** `company/day/recipient`, the in-memory ledger's key. */
export const markerKey = (delivery: Delivery) =>
  `${delivery.companyId}/${delivery.day}/${delivery.recipient}`;

/** The ledger's contract in memory (the DynamoDB adapter is tested against the same behaviour). */
export class MemoryLedger implements NotificationLedger {
  readonly markers = new Map<string, Marker>();
  private claims = 0;
  async claim(delivery: Delivery, now: Date, leaseUntil: Date): Promise<ClaimOutcome> {
    const marker = this.markers.get(markerKey(delivery));
    const free =
      !marker ||
      marker.status === 'failed' ||
      (marker.status === 'sending' && marker.leaseUntil.getTime() <= now.getTime());
    if (!free) return { claimed: false, state: marker.status === 'sent' ? 'sent' : 'in-progress' };
    const claimToken = `claim-${++this.claims}`;
    this.markers.set(markerKey(delivery), { status: 'sending', leaseUntil, claimToken });
    return { claimed: true, claimToken };
  }
  async markSent(delivery: Delivery, messageId: string): Promise<void> {
    const marker = this.markers.get(markerKey(delivery));
    if (marker) Object.assign(marker, { status: 'sent', messageId });
  }
  async markFailed(delivery: Delivery, claimToken: string, reason: string): Promise<void> {
    const marker = this.markers.get(markerKey(delivery));
    if (marker?.status === 'sending' && marker.claimToken === claimToken)
      Object.assign(marker, { status: 'failed', reason });
  }
  /** Markers of one company and day, by recipient. */
  statuses(companyId: string, day: string): Record<string, string> {
    const prefix = `${companyId}/${day}/`;
    return Object.fromEntries(
      [...this.markers]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, marker]) => [key.slice(prefix.length), marker.status]),
    );
  }
}

/** Records every email; fails for the recipients listed in `failFor`. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  readonly failFor = new Set<string>();
  /** Every send tried, failed ones too, in order. */
  readonly attempts: string[] = [];
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    this.attempts.push(email.to);
    if (this.failFor.has(email.to)) throw new Error(`MessageRejected: simulated SES failure for ${email.to}`);
    this.sent.push(email);
    return { messageId: `msg-${this.sent.length}` };
  }
}
