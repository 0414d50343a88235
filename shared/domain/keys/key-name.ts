/** Longest key name, in Unicode code points after trimming. */
export const MAX_KEY_NAME_LENGTH = 100;

export type KeyNameResult = { ok: true; name: string } | { ok: false; message: string };

/**
 * Validates a key's display name: a string, trimmed, 1–100 Unicode code points, with at least one
 * visible character, and none of the code points that can disguise what an admin or an email shows:
 * - control characters (`\p{Cc}`);
 * - bidirectional controls (every `Bidi_Control` code point: the embeddings, overrides and isolates
 *   U+202A–U+202E and U+2066–U+2069, and the marks U+200E, U+200F, U+061C). An override reversed the
 *   rest of a digest email's line; the marks reorder neighbouring text too, and Arabic or Hebrew
 *   names need none of them;
 * - the line and paragraph separators U+2028 and U+2029;
 * - tag characters (U+E0000–U+E007F), which render as nothing and can smuggle hidden text, except
 *   in the three emoji flags that are made of them (England, Scotland, Wales);
 * - lone surrogates (not Unicode text: they cannot be encoded as UTF-8 in an email or a log).
 * Any other Unicode (accents, CJK, Arabic and Hebrew text, emoji and their ZWJ sequences) is welcome.
 * A refusal says what is wrong; a position counts code points from 1 in the name as sent.
 */
export function validateKeyName(raw: unknown): KeyNameResult {
  if (typeof raw !== 'string') return { ok: false, message: 'name must be a string' };
  const name = raw.trim();
  // Trimming removes only white space, which is all in the BMP: one UTF-16 unit per code point.
  const leading = raw.length - raw.trimStart().length;
  const inFlag = subdivisionFlagUnits(name);
  const chars: string[] = [];
  let unit = 0;
  for (const char of name) {
    const kind = inFlag.has(unit) ? undefined : forbiddenKind(char.codePointAt(0) as number);
    if (kind !== undefined) {
      const position = leading + chars.length + 1;
      return { ok: false, message: `name contains ${kind} ${codePointLabel(char)} at position ${position}` };
    }
    chars.push(char);
    unit += char.length;
  }
  if (chars.length === 0) return { ok: false, message: 'name must not be empty' };
  if (chars.length > MAX_KEY_NAME_LENGTH) {
    return {
      ok: false,
      message: `name must be at most ${MAX_KEY_NAME_LENGTH} characters (it has ${chars.length})`,
    };
  }
  if (!VISIBLE.test(name)) {
    return {
      ok: false,
      message: `name must contain at least one visible character (it has only invisible ones, such as ${codePointLabel(chars[0] as string)})`,
    };
  }
  return { ok: true, name };
}

/** What a refused code point is, as the refusal names it; undefined when it is allowed. */
function forbiddenKind(code: number): string | undefined {
  if (code >= 0xd800 && code <= 0xdfff) return 'a lone surrogate (it is not valid Unicode text)';
  if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return 'a control character';
  if (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c
  ) {
    return 'a bidirectional control character';
  }
  if (code === 0x2028 || code === 0x2029) return 'a line or paragraph separator';
  if (code >= 0xe0000 && code <= 0xe007f) {
    return 'a tag character (only the England, Scotland and Wales flags may use them)';
  }
  return undefined;
}

/** `U+202E`: four to six upper-case hex digits, as Unicode writes code points. */
function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The RGI emoji tag sequences (UTS #51): a black flag, the tag letters of a subdivision, a cancel tag.
 * They are the only legitimate use of tag characters in a name; any other tag character is refused.
 */
const SUBDIVISION_FLAG =
  /\u{1F3F4}\u{E0067}\u{E0062}(?:\u{E0065}\u{E006E}\u{E0067}|\u{E0073}\u{E0063}\u{E0074}|\u{E0077}\u{E006C}\u{E0073})\u{E007F}/gu;

/** The UTF-16 offsets, in `name`, of the code points that belong to a subdivision flag. */
function subdivisionFlagUnits(name: string): Set<number> {
  const units = new Set<number>();
  for (const match of name.matchAll(SUBDIVISION_FLAG)) {
    for (let offset = 0; offset < match[0].length; offset++) units.add(match.index + offset);
  }
  return units;
}

/**
 * One visible character: anything but white space, default-ignorable code points (zero-width
 * characters, joiners, the soft hyphen, variation selectors, Hangul fillers, tags…), combining
 * marks on their own, format and control characters, and the blank Braille pattern U+2800 (which
 * is not default-ignorable but renders as nothing).
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{M}\p{Cc}\p{Cf}\u2800]/u;
