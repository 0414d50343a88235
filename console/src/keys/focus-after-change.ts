import type { ApiKey } from '../api/types.js';
import type { KeyChange } from './key-change.js';

/**
 * Where the keyboard focus goes once a key action changed the list, since the button that opened the
 * dialog may be gone with the change (Disable became Enable, the row was deleted, Rotate is hidden on
 * a rotated key): a button of a row, by preference, else that row's first action, else the list's
 * heading. Pure, so unit tests check the choice without a DOM.
 */
export interface FocusTarget {
  /** The row, by key id; absent: the list's heading. */
  keyId?: string;
  /** Action ids, in order of preference, among the row's buttons. */
  actions: string[];
}

/** The target after `change`, made by `action` on `key`, with `shown` the rows as they were listed. */
export function focusAfterChange(
  change: KeyChange,
  action: { id: string; replacedBy?: string },
  key: ApiKey,
  shown: readonly ApiKey[],
): FocusTarget {
  if ('deleted' in change) {
    // The row below takes the deleted row's place; at the end, the one above.
    const index = shown.findIndex((candidate) => candidate.id === change.deleted);
    const neighbour = index === -1 ? undefined : (shown[index + 1] ?? shown[index - 1]);
    return neighbour ? { keyId: neighbour.id, actions: [] } : { actions: [] };
  }
  const actions = action.replacedBy ? [action.id, action.replacedBy] : [action.id];
  if ('updated' in change) return { keyId: change.updated.id, actions };
  return { keyId: change.focusKeyId ?? key.id, actions };
}
