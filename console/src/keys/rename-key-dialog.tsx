import { useState } from 'preact/hooks';
import { ApiError, type FieldMessages, fieldMessages } from '../api/problem.js';
import { MAX_KEY_NAME_LENGTH, validateKeyName } from '../domain.js';
import { Dialog } from '../ui/dialog.js';
import { errorId, FieldError, FormAlert } from '../ui/field-error.js';
import type { KeyActionProps } from './key-actions.js';

const NO_MESSAGES: FieldMessages = { fields: {}, general: [] };

/** Edit a key's name (the only thing about a key that can change). */
export function RenameKeyDialog({ apiKey, api, onDone, onClose }: KeyActionProps) {
  const [name, setName] = useState(apiKey.name);
  const [messages, setMessages] = useState<FieldMessages>(NO_MESSAGES);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const checked = validateKeyName(name);
    if (!checked.ok) {
      setMessages({ fields: { name: [checked.message] }, general: [] });
      return;
    }
    setBusy(true);
    try {
      const updated = await api.renameKey(apiKey.id, checked.name);
      onDone({ updated, message: `Renamed to ${updated.name}.` });
    } catch (error) {
      setMessages(problemMessages(error));
      setBusy(false);
    }
  };

  const nameErrors = messages.fields.name;
  return (
    <Dialog title="Edit API key" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p class="hint">Only the name can change. For other scopes or another expiry, create a new key.</p>
        <FormAlert messages={messages.general} />
        <div class="field">
          <label for="rename-name">Name</label>
          <input
            id="rename-name"
            value={name}
            maxLength={MAX_KEY_NAME_LENGTH * 2}
            required
            aria-invalid={nameErrors ? 'true' : undefined}
            aria-describedby={errorId('rename-name', nameErrors)}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          <FieldError id="rename-name-error" messages={nameErrors} />
        </div>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            Edit
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** An error of a call, as messages for the `name` field or the whole form. */
function problemMessages(error: unknown): FieldMessages {
  if (error instanceof ApiError)
    return fieldMessages(error.problem, (field) => (field === 'name' ? 'name' : undefined));
  return { fields: {}, general: [String(error)] };
}
