/**
 * Credential parsing: headers in, the one credential a request carries out (`Authorization: Bearer`
 * or `X-API-Key`), or why there is none. Syntax only: whether the key or token is valid is the
 * decision's business (`authorize-request.ts`).
 */

/** The headers that may carry a credential, as the request source gives them. */
export interface CredentialHeaders {
  /** Request headers, any letter case. */
  headers: Readonly<Record<string, string | undefined>> | null | undefined;
  /** Every value of repeated headers, when the source provides them (API Gateway does). */
  multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
}

/** Why a request carries no usable credential (each a 401). */
export type CredentialFailure = 'missing' | 'malformed' | 'conflicting-credentials';

/** The one credential of a request, not yet checked: a JWT-shaped bearer is a token, anything else a key. */
export type Credential =
  | { ok: true; kind: 'api-key' | 'token'; value: string }
  | { ok: false; reason: CredentialFailure };

/** `Bearer` (any case), one or more spaces, one token (RFC 6750 §2.1). */
const BEARER = /^bearer +(\S+)$/i;
/** Three base64url parts: a JWT (keys contain no dots, so nothing else looks like this). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Finds the one credential of a request: `Authorization: Bearer <x>` or `X-API-Key: <x>`.
 * Both present with different values, or a header repeated with different values, is ambiguous and
 * refused; an `Authorization` header of another scheme is malformed rather than silently ignored.
 */
export function extractCredential(request: CredentialHeaders): Credential {
  const authorization = headerValue(request, 'authorization');
  const apiKey = headerValue(request, 'x-api-key');
  if (authorization === CONFLICT || apiKey === CONFLICT)
    return { ok: false, reason: 'conflicting-credentials' };

  let bearer: string | undefined;
  if (authorization !== undefined) {
    bearer = BEARER.exec(authorization)?.[1];
    if (bearer === undefined) return { ok: false, reason: 'malformed' };
  }
  if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) {
    return { ok: false, reason: 'conflicting-credentials' };
  }
  if (bearer !== undefined)
    return { ok: true, kind: JWT_SHAPE.test(bearer) ? 'token' : 'api-key', value: bearer };
  if (apiKey !== undefined) return { ok: true, kind: 'api-key', value: apiKey };
  return { ok: false, reason: 'missing' };
}

const CONFLICT = Symbol('conflicting values');

/**
 * One header's value, trimmed, matched case-insensitively; undefined when absent or blank;
 * CONFLICT when it appears more than once with different values.
 */
function headerValue(request: CredentialHeaders, lowerName: string): string | undefined | typeof CONFLICT {
  const values = new Set<string>();
  const collect = (raw: string | undefined) => {
    const value = raw?.trim();
    if (value) values.add(value);
  };
  if (request.headers) {
    for (const name in request.headers) {
      if (name.length === lowerName.length && name.toLowerCase() === lowerName)
        collect(request.headers[name]);
    }
  }
  if (request.multiValueHeaders) {
    for (const name in request.multiValueHeaders) {
      if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
        for (const raw of request.multiValueHeaders[name] ?? []) collect(raw);
      }
    }
  }
  if (values.size > 1) return CONFLICT;
  return values.values().next().value;
}
