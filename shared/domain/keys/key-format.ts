import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The API key format: `<prefix><87 random chars><6-char checksum>`, all 93 characters from
 * `[0-9A-Za-z]`. The checksum is the CRC32 of the 87 random characters in base62, left-padded with
 * `0` (as GitHub's token format), so a mistyped or truncated key is rejected without a database read
 * and a leaked key is easy for secret scanners to recognise.
 */
export const DEFAULT_KEY_PREFIX = 'wsk-v1-';
export const KEY_RANDOM_LENGTH = 87;
export const KEY_CHECKSUM_LENGTH = 6;
/** Characters after the prefix: random part plus checksum. */
export const KEY_BODY_LENGTH = KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;
/** Random characters kept after the prefix in the display prefix (`wsk-v1-AbC`). */
export const DISPLAY_PREFIX_RANDOM_CHARS = 3;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 248 = 4 × 62: bytes at or above it are dropped, so every character is equally likely (no modulo bias).
const UNBIASED_BYTE_LIMIT = 256 - (256 % BASE62.length);

export type ParsedApiKey = { ok: true; key: string } | { ok: false; reason: 'malformed' | 'checksum' };

/** The base62 value of one character code, or -1 when it is not in `[0-9A-Za-z]`. */
function base62Digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z
  if (code >= 97 && code <= 122) return code - 61; // a-z
  return -1;
}

/** The checksum of a key's random part: its CRC32 in base62, left-padded with `0` to 6 characters. */
export function keyChecksum(randomPart: string): string {
  let value = crc32(randomPart);
  let text = '';
  for (let i = 0; i < KEY_CHECKSUM_LENGTH; i++) {
    text = BASE62[value % 62] + text;
    value = Math.floor(value / 62);
  }
  return text;
}

/** `length` characters of `[0-9A-Za-z]` from the CSPRNG, by rejection sampling. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // Draw a little more than needed: about 3% of bytes are rejected.
    const bytes = randomBytes(length - out.length + 16);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const byte = bytes[i] as number;
      if (byte < UNBIASED_BYTE_LIMIT) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** What {@link redactKeys} leaves of a key: its prefix and this. ASCII, as every log and context value. */
export const REDACTED_KEY_BODY = '[redacted]';

/**
 * `text` with everything shaped like a key of `prefix` (the prefix and the run of base62 characters
 * after it, up to a key's length) replaced by `<prefix>[redacted]`. For text made of what a client sent, such as a request
 * path, before it is logged or answered: a key pasted where an id or path segment belongs must not
 * reach a log line.
 */
export function redactKeys(text: string, prefix: string): string {
  let at = prefix.length === 0 ? -1 : text.indexOf(prefix);
  if (at === -1) return text;
  let out = '';
  let from = 0;
  while (at !== -1) {
    // At most a key's body, and never into another prefix: a key right after another starts there.
    const last = Math.min(text.length, at + prefix.length + KEY_BODY_LENGTH);
    let end = at + prefix.length;
    while (end < last && base62Digit(text.charCodeAt(end)) >= 0 && !text.startsWith(prefix, end)) end++;
    out += `${text.slice(from, at)}${prefix}${REDACTED_KEY_BODY}`;
    from = end;
    at = text.indexOf(prefix, from);
  }
  return out + text.slice(from);
}

/**
 * Generates a new API key secret: `prefix` + 87 CSPRNG characters + a 6-character checksum
 * (100 characters with the default prefix). The caller shows it once and stores only its digest.
 */
export function generateApiKey(prefix: string = DEFAULT_KEY_PREFIX): string {
  const randomPart = randomBase62(KEY_RANDOM_LENGTH);
  return prefix + randomPart + keyChecksum(randomPart);
}

/**
 * Checks a candidate key's shape and checksum, with no I/O: length, prefix, charset, then checksum.
 * Runs on the authorizer's hot path, so it loops over character codes instead of using regexes.
 * `malformed` = not shaped like a key; `checksum` = shaped like one but mistyped or forged.
 */
export function parseApiKey(candidate: string, prefix: string): ParsedApiKey {
  if (typeof candidate !== 'string' || candidate.length !== prefix.length + KEY_BODY_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  if (!candidate.startsWith(prefix)) return { ok: false, reason: 'malformed' };
  const checksumStart = prefix.length + KEY_RANDOM_LENGTH;
  let expected = 0;
  for (let i = prefix.length; i < candidate.length; i++) {
    const digit = base62Digit(candidate.charCodeAt(i));
    if (digit < 0) return { ok: false, reason: 'malformed' };
    // Decoding the checksum (at most 62^6, exact in a double) avoids building a string to compare.
    if (i >= checksumStart) expected = expected * 62 + digit;
  }
  if (crc32(candidate.slice(prefix.length, checksumStart)) !== expected) {
    return { ok: false, reason: 'checksum' };
  }
  return { ok: true, key: candidate };
}

/** SHA-256 hex of the whole key: what the table stores and looks keys up by, never the key itself. */
export function digestApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What lists show of a key: the prefix and the first 3 random characters, e.g. `wsk-v1-AbC`. */
export function displayPrefix(key: string, prefix: string): string {
  return key.slice(0, prefix.length + DISPLAY_PREFIX_RANDOM_CHARS);
}
