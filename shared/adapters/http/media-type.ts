/**
 * Content-Type as RFC 9110 §8.3.1 defines it: `type "/" subtype *( OWS ";" OWS [ parameter ] )`,
 * with `parameter = token "=" ( token / quoted-string )`. Type, subtype and parameter names are
 * case-insensitive, so they come out lower-cased; parameter values keep their case.
 */
export interface MediaType {
  /** `application/json`, lower-cased. */
  essence: string;
  type: string;
  subtype: string;
  parameters: Map<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
// qdtext (HTAB, SP, visible ASCII but `"` and `\`, obs-text) or a quoted-pair.
const QUOTED_STRING =
  '"(?:[\\t\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t\\x20-\\x7E\\x80-\\xFF])*"';
const ESSENCE = new RegExp(`^(${TOKEN})/(${TOKEN})`);
const PARAMETER = new RegExp(`^[ \\t]*;[ \\t]*(?:(${TOKEN})=(${TOKEN}|${QUOTED_STRING}))?`);

/** Parses a Content-Type header value; undefined when it is not a media type. */
export function parseMediaType(header: string): MediaType | undefined {
  const value = header.trim();
  const essence = ESSENCE.exec(value);
  if (!essence) return undefined;
  const [, type = '', subtype = ''] = essence;
  const parameters = new Map<string, string>();
  let rest = value.slice(essence[0].length);
  while (rest.length > 0) {
    const parameter = PARAMETER.exec(rest);
    if (!parameter || parameter[0].length === 0) return undefined;
    const [whole, name, raw] = parameter;
    if (name !== undefined && raw !== undefined) {
      const unquoted = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      // The first occurrence wins: a repeated parameter is ambiguous, and this keeps it deterministic.
      if (!parameters.has(name.toLowerCase())) parameters.set(name.toLowerCase(), unquoted);
    }
    rest = rest.slice(whole.length);
  }
  return {
    essence: `${type}/${subtype}`.toLowerCase(),
    type: type.toLowerCase(),
    subtype: subtype.toLowerCase(),
    parameters,
  };
}

/** The media type every management request body is sent as. */
export const JSON_MEDIA_TYPE = 'application/json';

export type JsonMediaTypeVerdict = { ok: true } | { ok: false; detail: string };

/**
 * Whether a declared Content-Type is JSON: `application/json` or a `+json` structured-syntax suffix
 * type (RFC 6839, e.g. `application/merge-patch+json`), in any case, with any parameters but a
 * charset other than UTF-8 (JSON exchanged between systems is UTF-8, RFC 8259 §8.1, and the body is
 * decoded as such). Anything else, including a header that is not a media type, is not JSON.
 */
export function judgeJsonMediaType(header: string): JsonMediaTypeVerdict {
  const expected = `Send the request body as JSON, with Content-Type: ${JSON_MEDIA_TYPE}`;
  const media = parseMediaType(header);
  if (!media) return { ok: false, detail: `${expected} (the Content-Type sent is not a media type).` };
  const json = media.type === 'application' && (media.subtype === 'json' || media.subtype.endsWith('+json'));
  if (!json) return { ok: false, detail: `${expected} (not ${shown(media.essence)}).` };
  const charset = media.parameters.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return { ok: false, detail: `${expected}, in UTF-8 (not charset=${shown(charset)}).` };
  }
  return { ok: true };
}

/** Client text quoted back in a detail: printable ASCII only (anything else is a `?`), at most 60 characters. */
function shown(text: string): string {
  const printable = text.replace(/[^\x20-\x7E]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}
