import { useState } from 'preact/hooks';
import { ApiError } from '../api/problem.js';
import { Dialog } from '../ui/dialog.js';
import { DialogButtons } from '../ui/dialog-buttons.js';
import { FormAlert } from '../ui/field-error.js';
import type { KeyActionProps } from './key-actions.js';

/** Confirms and deletes a key: it stops working on the very next request. */
export function DeleteKeyDialog({ apiKey, api, onDone, onClose }: KeyActionProps) {
  const [problem, setProblem] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await api.deleteKey(apiKey.id);
      onDone({ deleted: apiKey.id, message: `Deleted ${apiKey.name}.` });
    } catch (error) {
      setProblem([error instanceof ApiError ? error.message : String(error)]);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Delete API key" onClose={onClose}>
      <FormAlert messages={problem} />
      <p>
        Delete <strong>{apiKey.name}</strong> ({apiKey.keyPrefix}…)? Applications using it are refused from
        the very next request. This cannot be undone.
      </p>
      <DialogButtons onClose={onClose} action={{ label: 'Delete', busy, danger: true, onClick: confirm }} />
    </Dialog>
  );
}
