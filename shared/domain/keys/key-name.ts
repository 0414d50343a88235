/** Longest key name, in Unicode code points after trimming. */
export const MAX_KEY_NAME_LENGTH = 100;

export type KeyNameResult = { ok: true; name: string } | { ok: false; message: string };

/**
 * Validates a key's display name: a string, trimmed, 1–100 Unicode code points, without control
 * characters (`\p{Cc}`) or lone surrogates (which cannot be encoded as UTF-8 in an email or a log).
 * Any other Unicode (emoji, accents, CJK) is welcome.
 */
export function validateKeyName(raw: unknown): KeyNameResult {
  if (typeof raw !== 'string') return { ok: false, message: 'name must be a string' };
  const name = raw.trim();
  let codePoints = 0;
  // Iterating a string yields code points; a lone surrogate comes out as a single unit in D800–DFFF.
  for (const char of name) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) {
      return { ok: false, message: 'name must be valid Unicode text (it contains a lone surrogate)' };
    }
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) {
      return { ok: false, message: 'name must not contain control characters' };
    }
    codePoints++;
  }
  if (codePoints === 0) return { ok: false, message: 'name must not be empty' };
  if (codePoints > MAX_KEY_NAME_LENGTH) {
    return { ok: false, message: `name must be at most ${MAX_KEY_NAME_LENGTH} characters` };
  }
  return { ok: true, name };
}
