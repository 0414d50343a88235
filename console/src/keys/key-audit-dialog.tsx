import { AuditEvents } from '../audit/audit-events.js';
import { Dialog } from '../ui/dialog.js';
import { DialogButtons } from '../ui/dialog-buttons.js';
import type { KeyActionProps } from './key-actions.js';

/** A key's audit trail: the events whose target or actor the key is, newest first. */
export function KeyAuditDialog({ apiKey, api, onClose }: KeyActionProps) {
  return (
    <Dialog title={`Audit trail: ${apiKey.name}`} onClose={onClose} wide>
      <p class="hint">
        What was done to <strong>{apiKey.name}</strong> ({apiKey.keyPrefix}…) and what it did itself, newest
        first.
      </p>
      <AuditEvents api={api} keyId={apiKey.id} caption={`Audit trail of ${apiKey.name}, newest first`} />
      <DialogButtons onClose={onClose} closeLabel="Close" />
    </Dialog>
  );
}
