import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KEY_PREFIX,
  digestApiKey,
  displayPrefix,
  generateApiKey,
  keyChecksum,
  parseApiKey,
  redactKeys,
} from '../../../shared/domain/keys/key-format.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = /^wsk-v1-[0-9A-Za-z]{93}$/;

/** An independent oracle for the checksum: CRC32 in base62 via BigInt, padded to 6. */
function oracleChecksum(randomPart: string): string {
  let value = BigInt(crc32(Buffer.from(randomPart, 'ascii')));
  let text = '';
  do {
    text = ALPHABET[Number(value % 62n)] + text;
    value /= 62n;
  } while (value > 0n);
  return text.padStart(6, '0');
}

/** Replaces the character at `index`. */
const withCharAt = (key: string, index: number, char: string) =>
  key.slice(0, index) + char + key.slice(index + 1);

describe('generateApiKey', () => {
  it('makes 100-character keys: wsk-v1- + 93 base62 characters', () => {
    const key = generateApiKey();
    expect(key).toHaveLength(100);
    expect(key).toMatch(KEY_SHAPE);
  });

  it('ends with the CRC32-base62 checksum of the 87 random characters', () => {
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey();
      const randomPart = key.slice(7, 94);
      expect(key.slice(94)).toBe(oracleChecksum(randomPart));
      expect(keyChecksum(randomPart)).toBe(oracleChecksum(randomPart));
    }
  });

  it('uses the configured prefix', () => {
    const key = generateApiKey('acme-live-');
    expect(key.startsWith('acme-live-')).toBe(true);
    expect(key).toHaveLength('acme-live-'.length + 93);
    expect(parseApiKey(key, 'acme-live-')).toEqual({ ok: true, key });
    expect(parseApiKey(key, DEFAULT_KEY_PREFIX)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey()));
    expect(keys.size).toBe(2000);
  });

  it('draws every base62 character about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const samples = 1000;
    for (let i = 0; i < samples; i++) {
      for (const char of generateApiKey().slice(7, 94)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    const expected = (samples * 87) / 62;
    expect(counts.size).toBe(62);
    // ±15% is more than 5 standard deviations: a fair source never fails; a modulo-biased one
    // (bytes % 62 favours the first 8 characters by about 21%) always does.
    for (const count of counts.values()) {
      expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
    }
  });
});

describe('redactKeys', () => {
  it('replaces everything shaped like a key of the prefix, and leaves the rest as it was', () => {
    const key = generateApiKey();
    expect(redactKeys(`/v1/api-keys/${key}`, 'wsk-v1-')).toBe('/v1/api-keys/wsk-v1-[redacted]');
    expect(redactKeys(`/a/${key}/b?x=${key.slice(0, 40)}&y`, 'wsk-v1-')).toBe(
      '/a/wsk-v1-[redacted]/b?x=wsk-v1-[redacted]&y',
    );
    expect(redactKeys(`${key}${key}`, 'wsk-v1-')).toBe('wsk-v1-[redacted]wsk-v1-[redacted]');
    expect(redactKeys('/wsk-v1-', 'wsk-v1-')).toBe('/wsk-v1-[redacted]');
    const other = generateApiKey('acme_');
    expect(redactKeys(`/x/${other}`, 'acme_')).toBe('/x/acme_[redacted]');
    for (const text of ['/v1/api-keys/0190a0b0-0000-7000-8000-000000000001', '', '/wsk-v2-abc']) {
      expect(redactKeys(text, 'wsk-v1-')).toBe(text);
    }
  });

  it('leaves no key, nor its random part, in any text keys are mixed into', () => {
    const keys = Array.from({ length: 4 }, () => generateApiKey());
    const piece = fc.oneof(
      fc.constantFrom(...keys),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('/', 'wsk-v1-'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const redacted = redactKeys(pieces.join(''), 'wsk-v1-');
        for (const key of keys) {
          expect(redacted.includes(key.slice('wsk-v1-'.length, 'wsk-v1-'.length + 20))).toBe(false);
        }
      }),
    );
  });
});

describe('parseApiKey', () => {
  const key = generateApiKey();

  it('accepts a generated key', () => {
    expect(parseApiKey(key, DEFAULT_KEY_PREFIX)).toEqual({ ok: true, key });
  });

  it.each([
    ['empty', ''],
    ['the prefix alone', DEFAULT_KEY_PREFIX],
    ['one character short', key.slice(0, -1)],
    ['one character long', `${key}a`],
    ['surrounded by spaces', ` ${key.slice(1)}`],
    ['another prefix', `wsk-v2-${key.slice(7)}`],
    ['an upper-case prefix', `WSK-V1-${key.slice(7)}`],
    ['a dash in the body', withCharAt(key, 50, '-')],
    ['an underscore in the body', withCharAt(key, 8, '_')],
    ['a non-ASCII letter in the body', withCharAt(key, 20, 'é')],
    ['a character in the checksum that is not base62', withCharAt(key, 99, '=')],
  ])('calls %s malformed', (_label, candidate) => {
    expect(parseApiKey(candidate, DEFAULT_KEY_PREFIX)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a well-shaped key with a wrong checksum a checksum failure', () => {
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(parseApiKey(withCharAt(key, 99, last), DEFAULT_KEY_PREFIX)).toEqual({
      ok: false,
      reason: 'checksum',
    });
    // A checksum above 2^32 can never match a CRC32.
    expect(parseApiKey(`${key.slice(0, 94)}zzzzzz`, DEFAULT_KEY_PREFIX)).toEqual({
      ok: false,
      reason: 'checksum',
    });
  });

  it('treats a non-string as malformed instead of throwing', () => {
    expect(parseApiKey(undefined as unknown as string, DEFAULT_KEY_PREFIX)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(parseApiKey(42 as unknown as string, DEFAULT_KEY_PREFIX)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('parseApiKey properties', () => {
  const keyArb = fc.constant(null).map(() => generateApiKey());

  it('accepts every generated key, with any prefix', () => {
    fc.assert(
      fc.property(fc.constantFrom(DEFAULT_KEY_PREFIX, 'acme_', 'x-', ''), (prefix) => {
        const key = generateApiKey(prefix);
        expect(parseApiKey(key, prefix)).toEqual({ ok: true, key });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any single-character change', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.nat({ max: 99 }),
        fc.oneof(fc.constantFrom(...ALPHABET), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })),
        (key, index, char) => {
          fc.pre(key[index] !== char);
          const result = parseApiKey(withCharAt(key, index, char), DEFAULT_KEY_PREFIX);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects any transposition of two different characters', () => {
    fc.assert(
      fc.property(keyArb, fc.nat({ max: 99 }), fc.nat({ max: 99 }), (key, i, j) => {
        const a = key[i] as string;
        const b = key[j] as string;
        fc.pre(a !== b);
        const swapped = withCharAt(withCharAt(key, i, b), j, a);
        expect(parseApiKey(swapped, DEFAULT_KEY_PREFIX).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects adjacent transpositions in the random part with reason checksum', () => {
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 7, max: 92 }), (key, i) => {
        fc.pre(key[i] !== key[i + 1]);
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        expect(parseApiKey(swapped, DEFAULT_KEY_PREFIX)).toEqual({ ok: false, reason: 'checksum' });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary strings and accepts only well-formed keys', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 120 })), (candidate) => {
        const result = parseApiKey(candidate, DEFAULT_KEY_PREFIX);
        if (result.ok) {
          expect(candidate).toMatch(KEY_SHAPE);
          expect(candidate.slice(94)).toBe(oracleChecksum(candidate.slice(7, 94)));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('on key-shaped strings agrees with the checksum oracle', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 93, maxLength: 93 }), (body) => {
        const candidate = DEFAULT_KEY_PREFIX + body;
        const valid = body.slice(87) === oracleChecksum(body.slice(0, 87));
        expect(parseApiKey(candidate, DEFAULT_KEY_PREFIX)).toEqual(
          valid ? { ok: true, key: candidate } : { ok: false, reason: 'checksum' },
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('digestApiKey', () => {
  it('is the SHA-256 hex of the whole key', () => {
    const key = generateApiKey();
    expect(digestApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(digestApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('differs between keys and never contains the key', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(digestApiKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestApiKey(a)).not.toBe(digestApiKey(b));
    expect(digestApiKey(a)).not.toContain(a.slice(7, 20));
  });
});

describe('displayPrefix', () => {
  it('keeps the prefix and the first 3 random characters', () => {
    const key = generateApiKey();
    expect(displayPrefix(key, DEFAULT_KEY_PREFIX)).toBe(key.slice(0, 10));
    expect(displayPrefix(key, DEFAULT_KEY_PREFIX)).toMatch(/^wsk-v1-[0-9A-Za-z]{3}$/);
    const custom = generateApiKey('acme-');
    expect(displayPrefix(custom, 'acme-')).toBe(custom.slice(0, 8));
  });
});
