import { useEffect, useRef, useState } from 'preact/hooks';
import type { ManagementApi } from '../api/client.js';
import { type FieldMessages, NO_MESSAGES, oneFieldMessages } from '../api/problem.js';
import { splitList } from '../create/create-request.js';
import { errorId, FieldError, FormAlert } from '../ui/field-error.js';
import { focusFirstError } from '../ui/focus-first-error.js';

/** Notifications: who receives the daily 11:00 UTC email about expired and expiring keys. */
export function NotificationsScreen(props: { api: ManagementApi; announce: (text: string) => void }) {
  const [emails, setEmails] = useState<string | undefined>(undefined);
  const [messages, setMessages] = useState<FieldMessages>(NO_MESSAGES);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    props.api.notificationSettings().then(
      (settings) => setEmails(settings.emails.join('\n')),
      (error: unknown) => setMessages({ fields: {}, general: [(error as Error).message] }),
    );
  }, [props.api]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessages(NO_MESSAGES);
    // The last save's "Saved" goes as this one starts: it must not stand above a failure.
    props.announce('');
    try {
      const saved = await props.api.saveNotificationSettings({ emails: splitList(emails ?? '') });
      setEmails(saved.emails.join('\n'));
      props.announce(
        saved.emails.length === 0
          ? 'Saved: nobody receives the expiry email.'
          : `Saved: ${saved.emails.length} ${saved.emails.length === 1 ? 'recipient' : 'recipients'}.`,
      );
    } catch (error) {
      setMessages(oneFieldMessages(error, 'emails'));
      focusFirstError(form.current);
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = messages.fields.emails;
  return (
    <section aria-labelledby="notifications-title">
      <div class="screen-head">
        <h1 id="notifications-title" tabIndex={-1}>
          Notifications
        </h1>
      </div>
      <p>
        Every day at 11:00 UTC these recipients get one email listing the keys that expired in the past 24
        hours and the keys that expire within the next 7 days. No email when there is nothing to report.
      </p>
      <form ref={form} onSubmit={save} noValidate>
        <FormAlert messages={messages.general} />
        <div class="field">
          <label for="recipients">Recipients</label>
          <textarea
            id="recipients"
            rows={5}
            value={emails ?? ''}
            disabled={emails === undefined}
            aria-invalid={fieldErrors ? 'true' : undefined}
            aria-describedby={['recipients-hint', errorId('recipients', fieldErrors)]
              .filter(Boolean)
              .join(' ')}
            onInput={(event) => setEmails(event.currentTarget.value)}
          />
          <p id="recipients-hint" class="hint">
            One email address per line, up to 20. Leave it empty to send no expiry email.
          </p>
          <FieldError id="recipients-error" messages={fieldErrors} />
        </div>
        <div class="form-buttons">
          {/* Not disabled while saving: a disabled button drops the keyboard focus to the page's start. */}
          <button type="submit" disabled={emails === undefined} aria-disabled={busy ? 'true' : undefined}>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}
