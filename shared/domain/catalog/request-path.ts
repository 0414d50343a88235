/**
 * Request path safety: the authorizer matches the path it is given against the catalog and the
 * backend routes the path it receives; if the two can read one path differently, a key allowed one
 * route reaches another. So before matching, refuse every path that some server normalises:
 * dot segments (also encoded, `%2e`), encoded slashes and backslashes (`%2f`, `%5c`), backslashes,
 * empty segments (`//`), control characters (raw or encoded), `;` (servlet containers drop
 * `;params` from a segment), percent-encoded letters, digits and `-._~` (RFC 3986 says they equal
 * the plain character, so a backend may decode them into a literal the authorizer did not see),
 * any other character a request carries encoded, and invalid percent-encoding or UTF-8.
 * One trailing slash is allowed (it is not significant, as in API Gateway).
 */

export type RequestPathRefusal =
  | 'not-absolute'
  | 'too-long'
  | 'empty-segment'
  | 'dot-segment'
  | 'encoded-slash'
  | 'backslash'
  | 'control-character'
  | 'semicolon'
  | 'non-canonical-encoding'
  | 'invalid-percent-encoding'
  | 'disallowed-character';

/** A refusal as data: the caller answers 400 with `message` (which never echoes the path). */
export type RequestPathCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: RequestPathRefusal; readonly message: string };

/** Longest request path accepted (API Gateway's own limit on a request line is about 10 KB). */
export const MAX_REQUEST_PATH_LENGTH = 8192;

// A segment's characters when sent plainly: RFC 3986 pchar without `;`, with `%` for escapes.
const PLAIN = /^[A-Za-z0-9\-._~!$&'()*+,=:@%]*$/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

const refuse = (reason: RequestPathRefusal, message: string): RequestPathCheck => ({
  ok: false,
  reason,
  message,
});

/** Checks a raw request path (percent-encoded as received, no query string). */
export function checkRequestPath(path: string): RequestPathCheck {
  if (path.length > MAX_REQUEST_PATH_LENGTH)
    return refuse('too-long', `path longer than ${MAX_REQUEST_PATH_LENGTH} characters`);
  if (!path.startsWith('/')) return refuse('not-absolute', 'path must start with /');
  // Control characters first: they are refused whatever else the path holds.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  if (/[\u0000-\u001f\u007f]/.test(path))
    return refuse('control-character', 'path holds a control character');
  if (path.includes('\\')) return refuse('backslash', 'path holds a backslash');
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    const refusal = checkSegment(segment, segments.length === 1);
    if (refusal) return refusal;
  }
  return { ok: true };
}

function checkSegment(segment: string, only: boolean): RequestPathCheck | undefined {
  // `/` alone is the root: its one segment is empty and allowed.
  if (segment === '') return only ? undefined : refuse('empty-segment', 'path holds an empty segment (//)');
  if (segment.includes(';')) return refuse('semicolon', 'path holds a ; (path parameters are not allowed)');
  if (!PLAIN.test(segment))
    return refuse('disallowed-character', 'path holds a character that must be percent-encoded');
  let decodedBytes = false;
  for (let i = segment.indexOf('%'); i >= 0; i = segment.indexOf('%', i + 1)) {
    const hex = segment.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex))
      return refuse('invalid-percent-encoding', 'path holds a % not followed by two hex digits');
    const code = Number.parseInt(hex, 16);
    const char = String.fromCharCode(code);
    if (char === '/' || char === '\\')
      return refuse('encoded-slash', 'path holds an encoded slash or backslash (%2F, %5C)');
    if (char === '.') return refuse('dot-segment', 'path holds an encoded dot (%2E)');
    if (code < 0x20 || code === 0x7f)
      return refuse('control-character', 'path holds an encoded control character');
    if (UNRESERVED.test(char))
      return refuse(
        'non-canonical-encoding',
        'path percent-encodes a letter, digit or -_~ (send it plainly)',
      );
    decodedBytes = true;
  }
  if (segment === '.' || segment === '..') return refuse('dot-segment', 'path holds a dot segment (. or ..)');
  if (decodedBytes) {
    try {
      decodeURIComponent(segment);
    } catch {
      return refuse('invalid-percent-encoding', 'path holds percent-encoded bytes that are not UTF-8');
    }
  }
  return undefined;
}
