import type { FunctionComponent } from 'preact';
import type { ManagementApi } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { DeleteKeyDialog } from './delete-key-dialog.js';
import { KeyAuditDialog } from './key-audit-dialog.js';
import type { KeyChange } from './key-change.js';
import { DisableKeyDialog, EnableKeyDialog } from './key-enabled-dialog.js';
import { RenameKeyDialog } from './rename-key-dialog.js';
import { RotateKeyDialog } from './rotate-key-dialog.js';

/**
 * The per-key actions of the list, as data: each is a button in the key's row that opens its dialog.
 * An action the API gains joins this list: one dialog component and one entry here; the table needs
 * no change.
 */

export type { KeyChange } from './key-change.js';

export interface KeyActionProps {
  apiKey: ApiKey;
  api: ManagementApi;
  onDone: (change: KeyChange) => void;
  onClose: () => void;
}

/** The API refuses to rotate a key already rotated, expired or disabled (409): no button for those. */
const rotatable = (key: ApiKey) => key.rotatedTo === null && !key.expired && key.enabled === true;

export interface KeyAction {
  id: string;
  /** The button's visible text. */
  label: string;
  /** The button's accessible name for a key, naming the key (several rows have the same button). */
  describe: (key: ApiKey) => string;
  available: (key: ApiKey) => boolean;
  /** The action whose button replaces this one's once it changed the key (Disable → Enable). */
  replacedBy?: string;
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
    id: 'rotate',
    label: 'Rotate',
    describe: (key) => `Rotate ${key.name}`,
    available: rotatable,
    Dialog: RotateKeyDialog,
  },
  {
    id: 'disable',
    label: 'Disable',
    describe: (key) => `Disable ${key.name}`,
    available: (key) => key.enabled === true && !key.expired,
    replacedBy: 'enable',
    Dialog: DisableKeyDialog,
  },
  {
    id: 'enable',
    label: 'Enable',
    describe: (key) => `Enable ${key.name}`,
    available: (key) => key.enabled === false,
    replacedBy: 'disable',
    Dialog: EnableKeyDialog,
  },
  {
    id: 'audit',
    label: 'Audit trail',
    describe: (key) => `Audit trail of ${key.name}`,
    available: () => true,
    Dialog: KeyAuditDialog,
  },
  {
    id: 'delete',
    label: 'Delete',
    describe: (key) => `Delete ${key.name}`,
    available: () => true,
    Dialog: DeleteKeyDialog,
  },
];
