import { describe, expect, it } from 'vitest';
import { isKeyId, newKeyId } from '../../../shared/domain/keys/key-id.js';

describe('key ids', () => {
  it('are UUIDv7 carrying the creation millisecond', () => {
    const at = new Date('2031-05-06T07:08:09.123Z');
    const id = newKeyId(at);
    expect(isKeyId(id)).toBe(true);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBeGreaterThanOrEqual(at.getTime());
  });

  it('sort in creation order, within one millisecond and when the clock goes back', () => {
    const at = new Date('2031-05-06T07:08:09.123Z');
    const ids = [
      ...Array.from({ length: 5000 }, () => newKeyId(at)),
      newKeyId(new Date(at.getTime() - 60_000)),
      newKeyId(new Date(at.getTime() + 60_000)),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reject anything else', () => {
    for (const text of [
      '',
      'key-1',
      '0190A0B0-0000-7000-8000-000000000001',
      '0190a0b0-0000-4000-8000-000000000001',
    ]) {
      expect(isKeyId(text)).toBe(false);
    }
  });
});
