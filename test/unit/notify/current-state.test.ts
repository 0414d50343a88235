import { describe, expect, it } from 'vitest';
import { mergeKeyStates, readCurrentState } from '../../../shared/domain/notify/current-state.js';
import type { IndexedKey, KeyRef, KeyState, KeyStateReader } from '../../../shared/domain/notify/ports.js';

/**
 * The due keys' current state: the index says which keys are due, their own items say how they are
 * now (renamed, disabled, rotated, expiry shortened, deleted).
 */

const indexed = (keyId: string, companyId = 'acme'): IndexedKey => ({
  companyId,
  keyId,
  name: `old name ${keyId}`,
  keyPrefix: `wsk-v1-${keyId}`,
  scopes: ['pbx:read'],
  expiresAt: '2026-12-03T14:00:00.000Z',
});

const stateOf = (key: IndexedKey, overrides: Partial<KeyState> = {}): KeyState => ({
  companyId: key.companyId,
  keyId: key.keyId,
  name: key.name,
  keyPrefix: key.keyPrefix,
  expiresAt: key.expiresAt,
  enabled: true,
  rotatedTo: null,
  ...overrides,
});

class ReadsRecorded implements KeyStateReader {
  readonly reads: KeyRef[][] = [];
  constructor(private readonly items: KeyState[]) {}
  async statesOf(keys: readonly KeyRef[]): Promise<KeyState[]> {
    this.reads.push([...keys]);
    return this.items.filter((item) =>
      keys.some((key) => key.companyId === item.companyId && key.keyId === item.keyId),
    );
  }
}

describe('mergeKeyStates', () => {
  it('takes name, expiry, enabled and rotatedTo from the item, the rest from the index', () => {
    const key = indexed('a1');
    const { keys, deletedSince } = mergeKeyStates(
      [key],
      [stateOf(key, { name: 'renamed', expiresAt: '2026-12-01T12:00:00.000Z', enabled: false })],
    );
    expect(deletedSince).toBe(0);
    expect(keys).toEqual([
      {
        ...key,
        name: 'renamed',
        expiresAt: '2026-12-01T12:00:00.000Z',
        enabled: false,
        rotatedTo: null,
      },
    ]);
  });

  it('leaves out and counts a key whose item is gone', () => {
    const [a1, a2, a3] = [indexed('a1'), indexed('a2'), indexed('a3')];
    const { keys, deletedSince } = mergeKeyStates([a1, a2, a3], [stateOf(a2)]);
    expect(keys.map((key) => key.keyId)).toEqual(['a2']);
    expect(deletedSince).toBe(2);
  });

  it('names a successor by its prefix, whether it is due itself or read apart; null when it is gone', () => {
    const [a1, a2, a3, a4] = ['a1', 'a2', 'a3', 'a4'].map((id) => indexed(id));
    const successor = stateOf(indexed('n1'), { keyPrefix: 'wsk-v1-new' });
    const { keys } = mergeKeyStates(
      [a1, a2, a3, a4] as IndexedKey[],
      [
        stateOf(a1 as IndexedKey, { rotatedTo: 'a2' }),
        stateOf(a2 as IndexedKey),
        stateOf(a3 as IndexedKey, { rotatedTo: 'n1' }),
        stateOf(a4 as IndexedKey, { rotatedTo: 'gone' }),
      ],
      [successor],
    );
    expect(keys.map((key) => [key.keyId, key.rotatedTo])).toEqual([
      ['a1', { keyId: 'a2', keyPrefix: 'wsk-v1-a2' }],
      ['a2', null],
      ['a3', { keyId: 'n1', keyPrefix: 'wsk-v1-new' }],
      ['a4', { keyId: 'gone', keyPrefix: null }],
    ]);
  });

  it("looks a successor up in the key's own company only", () => {
    const key = indexed('a1', 'acme');
    const other = stateOf(indexed('n1', 'globex'), { keyPrefix: 'wsk-v1-glx' });
    const { keys } = mergeKeyStates([key], [stateOf(key, { rotatedTo: 'n1' })], [other]);
    expect(keys[0]?.rotatedTo).toEqual({ keyId: 'n1', keyPrefix: null });
  });

  it("keeps two companies' keys of the same id apart", () => {
    const acme = indexed('same', 'acme');
    const globex = indexed('same', 'globex');
    const { keys, deletedSince } = mergeKeyStates([acme, globex], [stateOf(globex, { enabled: false })]);
    expect(deletedSince).toBe(1);
    expect(keys).toEqual([{ ...globex, enabled: false, rotatedTo: null }]);
  });
});

describe('readCurrentState', () => {
  it('reads nothing when nothing is due', async () => {
    const reader = new ReadsRecorded([]);
    expect(await readCurrentState([], reader)).toEqual({ keys: [], deletedSince: 0 });
    expect(reader.reads).toEqual([]);
  });

  it('reads the due keys once, and no more when none was rotated', async () => {
    const due = [indexed('a1'), indexed('a2')];
    const reader = new ReadsRecorded(due.map((key) => stateOf(key)));
    const { keys } = await readCurrentState(due, reader);
    expect(keys).toHaveLength(2);
    expect(reader.reads).toEqual([due.map(({ companyId, keyId }) => ({ companyId, keyId }))]);
  });

  it('reads the successors not due themselves once more, each once', async () => {
    const [a1, a2, a3] = [indexed('a1'), indexed('a2'), indexed('a3')];
    const reader = new ReadsRecorded([
      stateOf(a1, { rotatedTo: 'a2' }),
      stateOf(a2, { rotatedTo: 'n1' }),
      stateOf(a3, { rotatedTo: 'n1' }),
      stateOf(indexed('n1'), { keyPrefix: 'wsk-v1-new' }),
    ]);
    const { keys } = await readCurrentState([a1, a2, a3], reader);
    expect(reader.reads).toHaveLength(2);
    expect(reader.reads[1]).toEqual([{ companyId: 'acme', keyId: 'n1' }]);
    expect(keys.map((key) => key.rotatedTo?.keyPrefix)).toEqual(['wsk-v1-a2', 'wsk-v1-new', 'wsk-v1-new']);
  });
});
