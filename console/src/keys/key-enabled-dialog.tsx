import { useState } from 'preact/hooks';
import { ApiError } from '../api/problem.js';
import { Dialog } from '../ui/dialog.js';
import { DialogButtons } from '../ui/dialog-buttons.js';
import { FormAlert } from '../ui/field-error.js';
import type { KeyActionProps } from './key-actions.js';

/** Confirms disabling a key: refused (401) from the next request until enabled; nothing else changes. */
export function DisableKeyDialog(props: KeyActionProps) {
  return (
    <KeyEnabledDialog {...props} enable={false}>
      Disable <strong>{props.apiKey.name}</strong> ({props.apiKey.keyPrefix}…)? Applications using it are
      refused from the very next request until you enable it again. Its expiry does not change.
    </KeyEnabledDialog>
  );
}

/** Confirms enabling a disabled key again, with its expiry unchanged. */
export function EnableKeyDialog(props: KeyActionProps) {
  return (
    <KeyEnabledDialog {...props} enable={true}>
      Enable <strong>{props.apiKey.name}</strong> ({props.apiKey.keyPrefix}…) again? Applications using it are
      accepted from the next request, until it expires.
    </KeyEnabledDialog>
  );
}

function KeyEnabledDialog({
  apiKey,
  api,
  onDone,
  onClose,
  enable,
  children,
}: KeyActionProps & { enable: boolean; children: preact.ComponentChildren }) {
  const [problem, setProblem] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const verb = enable ? 'Enable' : 'Disable';
  const confirm = async () => {
    setBusy(true);
    try {
      const updated = await api.setKeyEnabled(apiKey.id, enable);
      onDone({ updated, message: `${enable ? 'Enabled' : 'Disabled'} ${apiKey.name}.` });
    } catch (error) {
      setProblem([error instanceof ApiError ? error.message : String(error)]);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`${verb} API key`} onClose={onClose}>
      <FormAlert messages={problem} />
      <p>{children}</p>
      <DialogButtons onClose={onClose} action={{ label: verb, busy, danger: !enable, onClick: confirm }} />
    </Dialog>
  );
}
