import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateKeyName } from '../../../shared/domain/keys/key-name.js';

const codePoints = (text: string) => [...text].length;
const refusal = (name: unknown) => {
  const result = validateKeyName(name);
  expect(result.ok, JSON.stringify(name)).toBe(false);
  return result.ok ? '' : result.message;
};

const ENGLAND = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
const SCOTLAND = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
const WALES = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}';

/**
 * The rule, restated with Unicode properties (the implementation lists ranges), as the oracle of
 * the property tests: forbidden code points, and what counts as visible.
 */
const FORBIDDEN = /[\p{Cc}\p{Bidi_Control}\u2028\u2029\u{E0000}-\u{E007F}]|\p{Cs}/u;
const withoutFlags = (text: string) =>
  text.replaceAll(ENGLAND, 'F').replaceAll(SCOTLAND, 'F').replaceAll(WALES, 'F');
const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}\p{M}\p{Cf}\p{Cc}\u2800]*$/u;

/** Every code point the rule refuses, as a generator. */
const forbiddenCodePoint = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.constantFrom(
    0x061c,
    0x200e,
    0x200f,
    0x202a,
    0x202b,
    0x202c,
    0x202d,
    0x202e,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
  ),
  fc.constantFrom(0x2028, 0x2029),
  fc.integer({ min: 0xe0000, max: 0xe007f }),
  fc.integer({ min: 0xd800, max: 0xdfff }),
);

/** Names the rule accepts: visible pieces (scripts, emoji and their sequences) among allowed invisible ones. */
const visiblePiece = fc.constantFrom(
  'a',
  'Z',
  '7',
  'é',
  'e\u0301',
  'ß',
  '日本',
  'キー',
  '한국',
  'مرحبا',
  'שלום',
  'नमस्ते',
  '🔑',
  '👩‍💻',
  '🏳️‍🌈',
  '👍🏽',
  ENGLAND,
  SCOTLAND,
  WALES,
  '-',
  '(',
);
const allowedInvisible = fc.constantFrom(
  ' ',
  '\u00a0',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u00ad',
  '\ufe0f',
  '\u0301',
);
const validName = fc
  .array(fc.oneof({ weight: 3, arbitrary: visiblePiece }, { weight: 1, arbitrary: allowedInvisible }), {
    minLength: 1,
    maxLength: 30,
  })
  .chain((pieces) => visiblePiece.map((visible) => [...pieces, visible]))
  .map((pieces) => pieces.join('').trim())
  .filter((name) => codePoints(name) <= 100);

describe('validateKeyName', () => {
  it('accepts and trims a name', () => {
    expect(validateKeyName('  CRM sync  ')).toEqual({ ok: true, name: 'CRM sync' });
  });

  it('accepts ordinary Unicode: accents, CJK, Arabic and Hebrew, emoji and their ZWJ and flag sequences', () => {
    for (const name of [
      'Zoë’s intégration',
      '日本語のキー',
      'deploy 🚀 bot',
      'a\u00a0b',
      'x',
      'مفتاح الفوترة',
      'מפתח חיוב 2',
      'فارسی\u200cنویسی',
      '👩‍👩‍👧‍👦 family',
      '❤️ heart',
      `${ENGLAND}${SCOTLAND}${WALES} fans`,
      'Fraktur\u00adschrift',
      'e\u0301te\u0301',
      '\u{F0000} private use',
    ]) {
      expect(validateKeyName(name)).toEqual({ ok: true, name });
    }
  });

  it('counts code points, not UTF-16 units: 100 emoji pass, 101 fail, and says how many it got', () => {
    expect(validateKeyName('🔑'.repeat(100))).toEqual({ ok: true, name: '🔑'.repeat(100) });
    expect(refusal('🔑'.repeat(101))).toBe('name must be at most 100 characters (it has 101)');
  });

  it('accepts 1 and 100 characters, refuses 0 and 101', () => {
    expect(validateKeyName('a').ok).toBe(true);
    expect(validateKeyName('a'.repeat(100)).ok).toBe(true);
    expect(refusal('a'.repeat(101))).toContain('at most 100');
    expect(refusal('')).toBe('name must not be empty');
  });

  it('counts every code point of a flag, as it counts every code point of a ZWJ sequence', () => {
    // A flag is 7 code points: 14 flags are 98, 15 are 105.
    expect(validateKeyName(ENGLAND.repeat(14)).ok).toBe(true);
    expect(refusal(ENGLAND.repeat(15))).toBe('name must be at most 100 characters (it has 105)');
  });

  it('measures the length after trimming', () => {
    expect(validateKeyName(`   ${'a'.repeat(100)}   `)).toEqual({ ok: true, name: 'a'.repeat(100) });
    expect(refusal(' \t\n ')).toBe('name must not be empty');
  });

  it.each([
    ['a newline inside', 'line\nbreak', 'a control character U+000A at position 5'],
    ['a tab inside', 'a\tb', 'a control character U+0009 at position 2'],
    ['NUL', 'a\u0000b', 'a control character U+0000 at position 2'],
    ['DEL', 'a\u007fb', 'a control character U+007F at position 2'],
    ['a C1 control (NEL), even at the end', 'a\u0085', 'a control character U+0085 at position 2'],
    [
      'a right-to-left override',
      'key\u202Egnp.exe',
      'a bidirectional control character U+202E at position 4',
    ],
    ['a left-to-right embedding', '\u202Aabc', 'a bidirectional control character U+202A at position 1'],
    ['a pop directional formatting', 'abc\u202C', 'a bidirectional control character U+202C at position 4'],
    ['a right-to-left isolate', 'ab\u2067c', 'a bidirectional control character U+2067 at position 3'],
    ['a pop directional isolate', 'ab\u2069', 'a bidirectional control character U+2069 at position 3'],
    ['a left-to-right mark', 'a\u200Eb', 'a bidirectional control character U+200E at position 2'],
    ['a right-to-left mark', 'שלום\u200F1', 'a bidirectional control character U+200F at position 5'],
    ['an Arabic letter mark', 'مرحبا\u061C', 'a bidirectional control character U+061C at position 6'],
    ['a line separator inside', 'a\u2028b', 'a line or paragraph separator U+2028 at position 2'],
    ['a paragraph separator inside', 'a\u2029b', 'a line or paragraph separator U+2029 at position 2'],
    [
      'a hidden tag text',
      'ok\u{E0068}\u{E0069}',
      'a tag character (only the England, Scotland and Wales flags may use them) U+E0068 at position 3',
    ],
    [
      'a lone cancel tag',
      'flag\u{E007F}',
      'a tag character (only the England, Scotland and Wales flags may use them) U+E007F at position 5',
    ],
    [
      'a black flag with a made-up subdivision',
      '\u{1F3F4}\u{E0075}\u{E0073}\u{E0074}\u{E0078}\u{E007F}',
      'a tag character (only the England, Scotland and Wales flags may use them) U+E0075 at position 2',
    ],
    [
      'a lone high surrogate',
      'a\ud800b',
      'a lone surrogate (it is not valid Unicode text) U+D800 at position 2',
    ],
    [
      'a lone low surrogate',
      'a\udc00',
      'a lone surrogate (it is not valid Unicode text) U+DC00 at position 2',
    ],
  ])('refuses %s, saying what and where', (_label, name, what) => {
    expect(refusal(name)).toBe(`name contains ${what}`);
  });

  it('counts the position in the name as sent (leading spaces included), in code points', () => {
    expect(refusal('  ab\u202E')).toBe(
      'name contains a bidirectional control character U+202E at position 5',
    );
    expect(refusal('🔑🔑\u202E')).toBe(
      'name contains a bidirectional control character U+202E at position 3',
    );
    expect(refusal(`${ENGLAND}\u202E`)).toBe(
      'name contains a bidirectional control character U+202E at position 8',
    );
  });

  it.each([
    ['zero-width spaces only', '\u200b\u200b', 'U+200B'],
    ['a zero-width joiner only', '\u200d', 'U+200D'],
    ['a soft hyphen only', '\u00ad', 'U+00AD'],
    ['combining marks only', '\u0301\u0308', 'U+0301'],
    ['variation selectors only', '\ufe0f\u{E0100}', 'U+FE0F'],
    ['a word joiner and a BOM inside', '\u2060\ufeff\u2060', 'U+2060'],
    ['a Hangul filler', '\u3164', 'U+3164'],
    ['a blank Braille pattern', '\u2800\u2800', 'U+2800'],
    ['invisible characters between spaces', ' \u200b \u200c ', 'U+200B'],
  ])('refuses a name without a visible character: %s', (_label, name, example) => {
    expect(refusal(name)).toBe(
      `name must contain at least one visible character (it has only invisible ones, such as ${example})`,
    );
  });

  it.each([[undefined], [null], [42], [['name']], [{ name: 'x' }]])('refuses the non-string %j', (raw) => {
    expect(validateKeyName(raw)).toEqual({ ok: false, message: 'name must be a string' });
  });

  it('never throws; what it accepts is trimmed, 1–100 code points, well-formed, free of forbidden code points and visible', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string({ unit: 'binary', maxLength: 120 }),
          fc.string({ unit: 'grapheme', maxLength: 60 }),
        ),
        (raw) => {
          const result = validateKeyName(raw);
          if (!result.ok) {
            expect(result.message).toMatch(/^name /);
            return;
          }
          expect(typeof raw).toBe('string');
          expect(result.name).toBe((raw as string).trim());
          expect(codePoints(result.name)).toBeGreaterThanOrEqual(1);
          expect(codePoints(result.name)).toBeLessThanOrEqual(100);
          expect(withoutFlags(result.name)).not.toMatch(FORBIDDEN);
          expect(result.name).not.toMatch(INVISIBLE_ONLY);
          expect(Buffer.from(result.name, 'utf8').toString('utf8')).toBe(result.name);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts every grapheme string of 1–100 code points that the oracle calls clean and visible', () => {
    const clean = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 100 })
      .filter((s) => !FORBIDDEN.test(s) && !INVISIBLE_ONLY.test(s) && codePoints(s.trim()) <= 100);
    fc.assert(
      fc.property(clean, (name) => {
        expect(validateKeyName(name)).toEqual({ ok: true, name: name.trim() });
      }),
      { numRuns: 500 },
    );
  });

  it('accepts generated names made of scripts, emoji sequences, flags and allowed invisible characters', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(validateKeyName(name)).toEqual({ ok: true, name });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a valid name with a forbidden code point inserted anywhere, naming it and its position', () => {
    fc.assert(
      fc.property(validName, forbiddenCodePoint, fc.nat(), (name, code, at) => {
        const chars = [...name];
        const index = at % (chars.length + 1);
        const inserted = String.fromCodePoint(code);
        const candidate = [...chars.slice(0, index), inserted, ...chars.slice(index)].join('');
        if (/\s/u.test(inserted) && (index === 0 || index === chars.length)) {
          // White space (tab, newline, U+2028…) at either end is trimmed away, as it always was.
          expect(validateKeyName(candidate)).toEqual({ ok: true, name });
          return;
        }
        const message = refusal(candidate);
        const [, hex, position] =
          /^name contains .* U\+([0-9A-F]{4,6}) at position (\d+)$/.exec(message) ?? [];
        // The code point named is really at the position named.
        expect([...candidate][Number(position) - 1]?.codePointAt(0), message).toBe(
          Number.parseInt(hex ?? '', 16),
        );
        if (Number(position) !== index + 1) {
          // Only inserting into a flag breaks it: then another tag character of that flag, just before or
          // after the inserted one, is the first stray one (a cancel tag inserted before the flag's own
          // cancel completes the flag, leaving the original cancel stray).
          expect(Number.parseInt(hex ?? '', 16)).toBeGreaterThanOrEqual(0xe0000);
          expect(Math.abs(Number(position) - (index + 1))).toBeLessThanOrEqual(7);
        } else {
          expect(Number.parseInt(hex ?? '', 16)).toBe(code);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any string made only of invisible characters', () => {
    const invisible = fc.constantFrom(
      '\u200b',
      '\u200c',
      '\u200d',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u034f',
      '\u0301',
      '\u0308',
      '\ufe0f',
      '\ufe00',
      '\u{E0100}',
      '\u115f',
      '\u3164',
      '\uffa0',
      '\u2800',
      ' ',
      '\u3000',
    );
    fc.assert(
      fc.property(fc.array(invisible, { minLength: 1, maxLength: 50 }), (pieces) => {
        const name = pieces.join('');
        expect(refusal(name)).toMatch(
          /^name (must not be empty|must contain at least one visible character)/,
        );
      }),
      { numRuns: 500 },
    );
  });
});
