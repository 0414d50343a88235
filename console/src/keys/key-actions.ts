import type { FunctionComponent } from 'preact';
import type { ManagementApi } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { DeleteKeyDialog } from './delete-key-dialog.js';
import { RenameKeyDialog } from './rename-key-dialog.js';

/**
 * The per-key actions of the list, as data: each is a button in the key's row that opens its dialog.
 * Actions the API does not have yet join this list when it does — Rotate (`POST …/rotate`),
 * Disable / Enable (`available: (key) => typeof key.enabled === 'boolean'`), the key's audit trail —
 * each one dialog component and one entry here; the table needs no change.
 */
export interface KeyActionProps {
  apiKey: ApiKey;
  api: ManagementApi;
  /** Called with the changed key, or with `{deleted: id}` when the key is gone. */
  onDone: (change: { updated: ApiKey } | { deleted: string }) => void;
  onClose: () => void;
}

export interface KeyAction {
  id: string;
  /** The button's visible text. */
  label: string;
  /** The button's accessible name for a key, naming the key (several rows have the same button). */
  describe: (key: ApiKey) => string;
  available: (key: ApiKey) => boolean;
  Dialog: FunctionComponent<KeyActionProps>;
}

export const KEY_ACTIONS: readonly KeyAction[] = [
  {
    id: 'edit',
    label: 'Edit',
    describe: (key) => `Edit the name of ${key.name}`,
    available: () => true,
    Dialog: RenameKeyDialog,
  },
  {
    id: 'delete',
    label: 'Delete',
    describe: (key) => `Delete ${key.name}`,
    available: () => true,
    Dialog: DeleteKeyDialog,
  },
];
