import { useState } from 'preact/hooks';
import { type FieldMessages, NO_MESSAGES, oneFieldMessages } from '../api/problem.js';
import type { CreatedApiKey } from '../api/types.js';
import { SecretPanel } from '../create/secret-panel.js';
import { Dialog } from '../ui/dialog.js';
import { DialogButtons } from '../ui/dialog-buttons.js';
import { errorId, FieldError, FormAlert } from '../ui/field-error.js';
import type { KeyActionProps } from './key-actions.js';

/** How long the old key keeps working, as the API takes it (`gracePeriodSeconds`, 0 to 7 days). */
export const GRACE_PERIODS = [
  { seconds: 0, label: 'Stop at once' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
] as const;
/** The API's default, preselected. */
const DEFAULT_GRACE_SECONDS = 86_400;

/**
 * Rotates a key: the admin chooses how long the old key keeps working, then the successor's secret is
 * shown once, exactly as on creation; "Done" drops it and the list is read again (the old key's
 * expiry and the new key both changed).
 */
export function RotateKeyDialog({ apiKey, api, onDone, onClose }: KeyActionProps) {
  const [grace, setGrace] = useState<number>(DEFAULT_GRACE_SECONDS);
  const [created, setCreated] = useState<CreatedApiKey | undefined>(undefined);
  const [messages, setMessages] = useState<FieldMessages>(NO_MESSAGES);
  const [busy, setBusy] = useState(false);

  const rotate = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      setCreated(await api.rotateKey(apiKey.id, grace));
    } catch (error) {
      setMessages(oneFieldMessages(error, 'gracePeriodSeconds'));
      setBusy(false);
    }
  };
  const finish = () => {
    setCreated(undefined);
    onDone({ reload: true, message: `Rotated ${apiKey.name}: the new key is listed.` });
  };

  if (created) {
    return (
      // Closing with Escape drops the secret as "Done" does.
      <Dialog title="Rotate API key" onClose={finish}>
        <SecretPanel created={created} onDone={finish} title="New API key" nested />
      </Dialog>
    );
  }
  const graceErrors = messages.fields.gracePeriodSeconds;
  return (
    <Dialog title="Rotate API key" onClose={onClose}>
      <form onSubmit={rotate} noValidate>
        <FormAlert messages={messages.general} />
        <p>
          Rotating <strong>{apiKey.name}</strong> ({apiKey.keyPrefix}…) issues a new key with the same name,
          scopes and allowed addresses. Give its applications time to switch.
        </p>
        <div class="field">
          <label for="grace-period">Old key keeps working for</label>
          <select
            id="grace-period"
            value={String(grace)}
            aria-invalid={graceErrors ? 'true' : undefined}
            aria-describedby={errorId('grace-period', graceErrors)}
            onChange={(event) => setGrace(Number(event.currentTarget.value))}
          >
            {GRACE_PERIODS.map((period) => (
              <option key={period.seconds} value={String(period.seconds)}>
                {period.label}
              </option>
            ))}
          </select>
          <p class="hint">Never past its own expiry. "Stop at once" refuses it from the very next request.</p>
          <FieldError id="grace-period-error" messages={graceErrors} />
        </div>
        <DialogButtons onClose={onClose} action={{ label: 'Rotate', busy }} />
      </form>
    </Dialog>
  );
}
