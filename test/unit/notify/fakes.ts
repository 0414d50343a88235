import type {
  ClaimOutcome,
  DueKey,
  ExpiryIndex,
  ExpiryIndexPage,
  Mailer,
  NotificationLedger,
  OutgoingEmail,
  RecipientDirectory,
} from '../../../shared/domain/notify/ports.js';
import type { TimeRange } from '../../../shared/domain/notify/windows.js';

/** An expiry index over an array; counts every key it looks at, as a scan would. */
export class ArrayExpiryIndex implements ExpiryIndex {
  constructor(readonly keys: DueKey[]) {}
  async keysExpiringIn(range: TimeRange): Promise<ExpiryIndexPage> {
    const keys = this.keys.filter((key) => {
      const t = Date.parse(key.expiresAt);
      return t > range.after.getTime() && t <= range.until.getTime();
    });
    return { keys, itemsRead: keys.length };
  }
}

export class MapRecipients implements RecipientDirectory {
  constructor(readonly byCompany: Record<string, string[]>) {}
  async recipientsOf(companyId: string): Promise<string[]> {
    return this.byCompany[companyId] ?? [];
  }
}

interface Marker {
  status: 'sending' | 'sent' | 'failed';
  claimedAt: Date;
  messageId?: string;
  reason?: string;
}

/** The ledger's contract in memory (the DynamoDB adapter is tested against the same behaviour). */
export class MemoryLedger implements NotificationLedger {
  readonly markers = new Map<string, Marker>();
  async claim(companyId: string, day: string, attemptAt: Date, staleBefore: Date): Promise<ClaimOutcome> {
    const marker = this.markers.get(`${companyId}/${day}`);
    const free =
      !marker ||
      marker.status === 'failed' ||
      (marker.status === 'sending' && marker.claimedAt.getTime() < staleBefore.getTime());
    if (!free) return { claimed: false, state: marker.status === 'sent' ? 'sent' : 'in-progress' };
    this.markers.set(`${companyId}/${day}`, { status: 'sending', claimedAt: attemptAt });
    return { claimed: true };
  }
  async markSent(companyId: string, day: string, messageId: string): Promise<void> {
    const marker = this.markers.get(`${companyId}/${day}`);
    if (marker) Object.assign(marker, { status: 'sent', messageId });
  }
  async markFailed(companyId: string, day: string, reason: string): Promise<void> {
    const marker = this.markers.get(`${companyId}/${day}`);
    if (marker?.status === 'sending') Object.assign(marker, { status: 'failed', reason });
  }
}

/** Records every email; fails for the recipients listed in `failFor`. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  readonly failFor = new Set<string>();
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (email.to.some((to) => this.failFor.has(to)))
      throw new Error('MessageRejected: simulated SES failure');
    this.sent.push(email);
    return { messageId: `msg-${this.sent.length}` };
  }
}
