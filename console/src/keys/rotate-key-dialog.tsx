import { useState } from 'preact/hooks';
import { type FieldMessages, NO_MESSAGES, oneFieldMessages } from '../api/problem.js';
import type { CreatedApiKey } from '../api/types.js';
import { SecretPanel } from '../create/secret-panel.js';
import { useUnloadGuard } from '../ui/busy-guard.js';
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

/** Said when the admin tries to close the dialog while the rotation is under way. */
export const ROTATION_UNDER_WAY =
  'Rotating: this dialog stays open until the new key arrives, as it is shown only once.';

/**
 * Rotates a key: the admin chooses how long the old key keeps working, then the successor's secret is
 * shown once, exactly as on creation; "Done" drops it and the list is read again (the old key's
 * expiry and the new key both changed). While the request is under way the dialog cannot be closed
 * (Escape, Cancel): the server rotates anyway, and the new secret would be lost unseen.
 */
export function RotateKeyDialog({ apiKey, api, onDone, onClose }: KeyActionProps) {
  const [grace, setGrace] = useState<number>(DEFAULT_GRACE_SECONDS);
  const [created, setCreated] = useState<CreatedApiKey | undefined>(undefined);
  const [messages, setMessages] = useState<FieldMessages>(NO_MESSAGES);
  const [busy, setBusy] = useState(false);
  const [held, setHeld] = useState(false);
  // A failed answer (the connection dropped) does not prove the key was not rotated.
  const [failed, setFailed] = useState(false);
  useUnloadGuard(busy || created !== undefined);

  const close = () => {
    if (busy) setHeld(true);
    else if (failed)
      onDone({
        reload: true,
        message: `Rotating ${apiKey.name} failed; the list is read again to show what the API did.`,
      });
    else onClose();
  };
  const rotate = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessages(NO_MESSAGES);
    try {
      setCreated(await api.rotateKey(apiKey.id, grace));
    } catch (error) {
      setMessages(oneFieldMessages(error, 'gracePeriodSeconds'));
      setFailed(true);
    } finally {
      setBusy(false);
      setHeld(false);
    }
  };
  const finish = () => {
    const successor = created?.id;
    setCreated(undefined);
    onDone({
      reload: true,
      message: `Rotated ${apiKey.name}: the new key is listed.`,
      ...(successor ? { focusKeyId: successor } : {}),
    });
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
    <Dialog title="Rotate API key" onClose={close}>
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
        <p class={held ? 'busy-note' : 'visually-hidden'} role="status">
          {held ? ROTATION_UNDER_WAY : ''}
        </p>
        <DialogButtons onClose={close} action={{ label: busy ? 'Rotating…' : 'Rotate', busy }} />
      </form>
    </Dialog>
  );
}
