/**
 * Path templates in catalog files: `/literal/{parameter}/…`, a trailing slash allowed and not
 * significant. A parameter is a whole segment and matches exactly one non-empty request segment.
 * Literal segments hold only characters a request path carries unencoded (RFC 3986 `pchar` less
 * `%` and `;`), so comparing them with a request segment needs no decoding (see request-path.ts).
 */

const LITERAL = /^[A-Za-z0-9\-._~!$&'()*+,=:@]+$/;
const PARAMETER = /^\{([A-Za-z_][A-Za-z0-9_-]*)\}$/;
/** Longest template accepted: keeps error messages and matching bounded. */
export const MAX_TEMPLATE_LENGTH = 1024;

/** A template segment: a literal to compare, or a parameter to capture. */
export type TemplateSegment = { readonly literal: string } | { readonly parameter: string };

export type TemplateResult =
  | { readonly ok: true; readonly segments: readonly TemplateSegment[] }
  | { readonly ok: false; readonly problem: string };

/** Parses a path template, or says what is wrong with it. */
export function parsePathTemplate(path: unknown): TemplateResult {
  if (typeof path !== 'string') return { ok: false, problem: 'path must be a string' };
  const bad = (why: string): TemplateResult => ({
    ok: false,
    problem: `bad path template ${JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path)}: ${why}`,
  });
  if (path.length > MAX_TEMPLATE_LENGTH) return bad(`longer than ${MAX_TEMPLATE_LENGTH} characters`);
  if (!path.startsWith('/')) return bad('must start with /');
  if (/[?#]/.test(path)) return bad('a template has no query string or fragment');
  const parts = path.split('/').slice(1);
  // One trailing slash is allowed (`/a/` is `/a`); any other empty segment is a `//`.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const segments: TemplateSegment[] = [];
  const names = new Set<string>();
  for (const part of parts) {
    if (part === '') return bad('empty segment (//)');
    if (part === '.' || part === '..') return bad('dot segments (. and ..) are not allowed');
    const parameter = PARAMETER.exec(part)?.[1];
    if (parameter !== undefined) {
      if (names.has(parameter)) return bad(`parameter {${parameter}} appears twice`);
      names.add(parameter);
      segments.push({ parameter });
    } else if (part.includes('{') || part.includes('}')) {
      return bad(
        `segment ${JSON.stringify(part)}: a parameter must be a whole segment named [A-Za-z_][A-Za-z0-9_-]* (no {name+}, no text beside it)`,
      );
    } else if (!LITERAL.test(part)) {
      return bad(
        `segment ${JSON.stringify(part)} has a character a request would percent-encode, or ; (literal segments use A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)`,
      );
    } else {
      segments.push({ literal: part });
    }
  }
  return { ok: true, segments };
}

/** The requests a template matches, as a key: equal keys match exactly the same requests. */
export function templateShape(segments: readonly TemplateSegment[]): string {
  return segments.map((segment) => ('literal' in segment ? `/${segment.literal}` : '/{}')).join('');
}

/**
 * How two templates of the same method relate when they are not the same shape:
 * `disjoint` (no request matches both), `nested` (every request of one matches the other, which is
 * more general: the specific one wins, as intended), or `crossing` (each has a literal where the
 * other has a parameter: the one whose literal comes first wins, which nobody reading the catalog
 * would guess). For `crossing`, `winner` is 0 or 1 and `sample` a request path both match.
 */
export function compareTemplates(
  a: readonly TemplateSegment[],
  b: readonly TemplateSegment[],
): { kind: 'disjoint' } | { kind: 'nested' } | { kind: 'crossing'; winner: 0 | 1; sample: string } {
  if (a.length !== b.length) return { kind: 'disjoint' };
  let aLiteralFirst: number | undefined;
  let bLiteralFirst: number | undefined;
  const sample: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as TemplateSegment;
    const y = b[i] as TemplateSegment;
    if ('literal' in x && 'literal' in y) {
      if (x.literal !== y.literal) return { kind: 'disjoint' };
      sample.push(x.literal);
    } else if ('literal' in x) {
      aLiteralFirst ??= i;
      sample.push(x.literal);
    } else if ('literal' in y) {
      bLiteralFirst ??= i;
      sample.push(y.literal);
    } else {
      sample.push('x');
    }
  }
  if (aLiteralFirst === undefined || bLiteralFirst === undefined) return { kind: 'nested' };
  return { kind: 'crossing', winner: aLiteralFirst < bLiteralFirst ? 0 : 1, sample: `/${sample.join('/')}` };
}
