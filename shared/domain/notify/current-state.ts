import type { DueKey, IndexedKey, KeyRef, KeyState, KeyStateReader } from './ports.js';

/**
 * The due keys as they are now. The expiry index says which keys are due, but it is eventually
 * consistent and holds neither `enabled` nor `rotatedTo` (its projection cannot change in place), so
 * the digest reads the current state of just those keys from their own items: a key renamed,
 * disabled or rotated after the index saw it shows as it is now, and a key deleted since is left out.
 */

/** What the state read found: the keys to show, and how many indexed keys were deleted since. */
export interface CurrentDueKeys {
  keys: DueKey[];
  deletedSince: number;
}

/**
 * Reads the state of `indexed` keys, then, for those rotated away, the prefix of the key that
 * replaced each (one more read, only when a due key was rotated and its successor is not due itself).
 */
export async function readCurrentState(
  indexed: readonly IndexedKey[],
  reader: KeyStateReader,
): Promise<CurrentDueKeys> {
  if (indexed.length === 0) return { keys: [], deletedSince: 0 };
  const states = await reader.statesOf(indexed.map(refOf));
  const known = new Set(states.map(refKey));
  const successors = new Map<string, KeyRef>();
  for (const state of states) {
    if (state.rotatedTo === null) continue;
    const successor = { companyId: state.companyId, keyId: state.rotatedTo };
    if (!known.has(refKey(successor))) successors.set(refKey(successor), successor);
  }
  const successorStates = successors.size > 0 ? await reader.statesOf([...successors.values()]) : [];
  return mergeKeyStates(indexed, states, successorStates);
}

/**
 * Pure: each indexed key with its current state. Name and expiry come from the state (the index may
 * lag a rename or a rotation's shortened expiry); company, id, prefix and scopes never change. A key
 * with no state was deleted since and is left out. A successor is looked up in the key's own company
 * only; its prefix is null when it was deleted since.
 */
export function mergeKeyStates(
  indexed: readonly IndexedKey[],
  states: readonly KeyState[],
  successorStates: readonly KeyState[] = [],
): CurrentDueKeys {
  const byRef = new Map<string, KeyState>();
  for (const state of [...successorStates, ...states]) byRef.set(refKey(state), state);
  const keys: DueKey[] = [];
  let deletedSince = 0;
  for (const key of indexed) {
    const state = byRef.get(refKey(key));
    if (state === undefined) {
      deletedSince += 1;
      continue;
    }
    const successor =
      state.rotatedTo === null
        ? undefined
        : byRef.get(refKey({ companyId: key.companyId, keyId: state.rotatedTo }));
    keys.push({
      ...key,
      name: state.name,
      expiresAt: state.expiresAt,
      enabled: state.enabled,
      rotatedTo:
        state.rotatedTo === null ? null : { keyId: state.rotatedTo, keyPrefix: successor?.keyPrefix ?? null },
    });
  }
  return { keys, deletedSince };
}

/** A due key's state as the digest read it: what `mergeKeyStates` took from its item. */
export function keyStateOf(key: DueKey): KeyState {
  const { companyId, keyId, name, keyPrefix, expiresAt, enabled } = key;
  return { companyId, keyId, name, keyPrefix, expiresAt, enabled, rotatedTo: key.rotatedTo?.keyId ?? null };
}

function refOf({ companyId, keyId }: KeyRef): KeyRef {
  return { companyId, keyId };
}

/** One text per company key (the state read and the store match keys by it): ids never hold a newline. */
export function refKey({ companyId, keyId }: KeyRef): string {
  return `${companyId}\n${keyId}`;
}
