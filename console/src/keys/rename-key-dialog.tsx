import { useRef, useState } from 'preact/hooks';
import { type FieldMessages, NO_MESSAGES, oneFieldMessages } from '../api/problem.js';
import { MAX_KEY_NAME_LENGTH, validateKeyName } from '../domain.js';
import { Dialog } from '../ui/dialog.js';
import { DialogButtons } from '../ui/dialog-buttons.js';
import { errorId, FieldError, FormAlert } from '../ui/field-error.js';
import { focusFirstError } from '../ui/focus-first-error.js';
import type { KeyActionProps } from './key-actions.js';

/** Edit a key's name (the only thing about a key that can change). */
export function RenameKeyDialog({ apiKey, api, onDone, onClose }: KeyActionProps) {
  const [name, setName] = useState(apiKey.name);
  const [messages, setMessages] = useState<FieldMessages>(NO_MESSAGES);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const checked = validateKeyName(name);
    if (!checked.ok) {
      setMessages({ fields: { name: [checked.message] }, general: [] });
      focusFirstError(form.current);
      return;
    }
    setBusy(true);
    setMessages(NO_MESSAGES);
    try {
      const updated = await api.renameKey(apiKey.id, checked.name);
      onDone({ updated, message: `Renamed to ${updated.name}.` });
    } catch (error) {
      setMessages(oneFieldMessages(error, 'name'));
      setBusy(false);
      // The field the API names, or the alert with what it said: focus lands on what to fix.
      focusFirstError(form.current);
    }
  };

  const nameErrors = messages.fields.name;
  return (
    <Dialog title="Edit API key" onClose={onClose}>
      <form ref={form} onSubmit={submit} noValidate>
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
        <DialogButtons onClose={onClose} action={{ label: 'Edit', busy }} />
      </form>
    </Dialog>
  );
}
