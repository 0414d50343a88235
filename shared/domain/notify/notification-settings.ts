import * as z from 'zod/mini';
import '../zod-english.js';
import type { AuditEvent } from '../audit/audit-event.js';

/** Each recipient is one message a day: the cap bounds a company's daily SES sends (and the run's time). */
export const MAX_NOTIFICATION_RECIPIENTS = 20;

/**
 * The body of `PUT /v1/settings/notifications`: `{emails}`, up to 20 valid addresses, nothing else.
 * An empty list is allowed: it is what `GET` answers before anything is set, and it stops the
 * company's expiry email (the notifier then skips the company as having no recipients).
 * Addresses are deduplicated case-insensitively, keeping the first spelling and the order given.
 */
export const notificationSettingsSchema = z.pipe(
  z.strictObject({
    emails: z
      .array(z.email({ error: 'must be a valid email address' }).check(z.maxLength(254)), {
        error: 'must be a list of email addresses, e.g. ["ops@example.com"]',
      })
      .check(
        z.maxLength(MAX_NOTIFICATION_RECIPIENTS, {
          error: `at most ${MAX_NOTIFICATION_RECIPIENTS} addresses`,
        }),
      ),
  }),
  z.transform(({ emails }: { emails: string[] }) => ({ emails: dedupeAddresses(emails) })),
);

export type NotificationSettings = z.output<typeof notificationSettingsSchema>;

/** Removes repeated addresses, comparing them case-insensitively. */
export function dedupeAddresses(emails: readonly string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((email) => {
    const folded = email.toLowerCase();
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  });
}

/** Storage of each company's notification recipients (the settings endpoints' port). */
export interface NotificationSettingsStore {
  /** The company's settings, or undefined if never set. */
  getNotificationSettings(companyId: string): Promise<NotificationSettings | undefined>;
  /**
   * Replaces the company's recipients, with `audit` (built from the recipients it replaces, `[]` when
   * never set) in the same transaction: if the audit record cannot be written, nothing changes.
   * Optional only so that test fixtures can seed settings; the settings endpoint always passes one.
   */
  putNotificationSettings(
    companyId: string,
    settings: NotificationSettings,
    change: { updatedBy: string; updatedAt: Date },
    audit?: (previous: NotificationSettings) => AuditEvent,
  ): Promise<void>;
}
