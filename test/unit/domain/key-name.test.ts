import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateKeyName } from '../../../shared/domain/keys/key-name.js';

const codePoints = (text: string) => [...text].length;

describe('validateKeyName', () => {
  it('accepts and trims a name', () => {
    expect(validateKeyName('  CRM sync  ')).toEqual({ ok: true, name: 'CRM sync' });
  });

  it('accepts any non-control Unicode: accents, CJK, emoji, inner spaces', () => {
    for (const name of ['Zoë’s intégration', '日本語のキー', 'deploy 🚀 bot', 'a\u00a0b', 'x']) {
      expect(validateKeyName(name)).toEqual({ ok: true, name });
    }
  });

  it('counts code points, not UTF-16 units: 100 emoji pass, 101 fail', () => {
    expect(validateKeyName('🔑'.repeat(100))).toEqual({ ok: true, name: '🔑'.repeat(100) });
    const tooLong = validateKeyName('🔑'.repeat(101));
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.message).toContain('100');
  });

  it('accepts 1 and 100 characters, refuses 0 and 101', () => {
    expect(validateKeyName('a').ok).toBe(true);
    expect(validateKeyName('a'.repeat(100)).ok).toBe(true);
    expect(validateKeyName('a'.repeat(101)).ok).toBe(false);
    expect(validateKeyName('').ok).toBe(false);
  });

  it('measures the length after trimming', () => {
    expect(validateKeyName(`   ${'a'.repeat(100)}   `)).toEqual({ ok: true, name: 'a'.repeat(100) });
    expect(validateKeyName(' \t\n ')).toEqual({ ok: false, message: 'name must not be empty' });
  });

  it.each([
    ['a newline inside', 'line\nbreak'],
    ['a tab inside', 'a\tb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (NEL)', 'a\u0085b'],
  ])('refuses %s', (_label, name) => {
    expect(validateKeyName(name)).toEqual({ ok: false, message: 'name must not contain control characters' });
  });

  it('refuses lone surrogates, high or low', () => {
    for (const name of ['a\ud800b', 'a\udc00', '\ud83d']) {
      const result = validateKeyName(name);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('surrogate');
    }
  });

  it.each([[undefined], [null], [42], [['name']], [{ name: 'x' }]])('refuses the non-string %j', (raw) => {
    expect(validateKeyName(raw)).toEqual({ ok: false, message: 'name must be a string' });
  });

  it('never throws, and whatever it accepts is trimmed, 1–100 code points, control-free, well-formed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string({ unit: 'binary', maxLength: 120 })), (raw) => {
        const result = validateKeyName(raw);
        if (!result.ok) {
          expect(result.message.length).toBeGreaterThan(0);
          return;
        }
        expect(typeof raw).toBe('string');
        expect(result.name).toBe((raw as string).trim());
        expect(codePoints(result.name)).toBeGreaterThanOrEqual(1);
        expect(codePoints(result.name)).toBeLessThanOrEqual(100);
        expect(result.name).not.toMatch(/\p{Cc}/u);
        expect(Buffer.from(result.name, 'utf8').toString('utf8')).toBe(result.name);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every printable, well-formed name of 1–100 code points', () => {
    const printable = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 100 })
      .filter((s) => !/\p{Cc}/u.test(s) && s.trim().length > 0 && codePoints(s) <= 100);
    fc.assert(
      fc.property(printable, (name) => {
        expect(validateKeyName(name)).toEqual({ ok: true, name: name.trim() });
      }),
      { numRuns: 500 },
    );
  });
});
