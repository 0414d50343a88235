/**
 * What a protected route's backend receives from keygate, the same in AWS (integration request
 * parameters, `infra/constructs/keygate-api.ts`) and in local mode (the local gateway's HTTP proxy):
 * the caller as `X-Keygate-*` headers, set from the authorizer's context so a client's own values
 * are overwritten, and never the client's credential.
 */

/** Header → the authorizer context field it carries (`shared/adapters/apigateway/authorizer-context.ts`). */
export const CALLER_HEADERS = {
  'X-Keygate-Company-Id': 'companyId',
  'X-Keygate-Key-Id': 'keyId',
  /** The key's scopes, space-separated, as the authorizer context holds them. */
  'X-Keygate-Scopes': 'scopes',
} as const;

export type CallerHeader = keyof typeof CALLER_HEADERS;

/** The headers that carry a client's secret: a backend never receives them. */
export const CREDENTIAL_HEADERS = ['Authorization', 'X-API-Key'] as const;

/**
 * What a backend receives in place of each credential header, whether or not the client sent one.
 * A REST API's parameter mapping can set a header but not remove it (it has no "remove", unlike an
 * HTTP API's), so each credential header is overwritten with this fixed, secret-free static value;
 * local mode sends the same, so a backend sees one behaviour. Backends must not read these headers.
 */
export const CREDENTIAL_PLACEHOLDER = 'removed-by-keygate';

/**
 * The headers to send a backend, as API Gateway sends them: the client's, with every credential
 * header and every `X-Keygate-*` header (matched case-insensitively) replaced: credentials by
 * {@link CREDENTIAL_PLACEHOLDER}, the caller's headers by `context`'s values. For local mode's proxy;
 * `context` is the authorizer context as API Gateway passes it on.
 */
export function backendRequestHeaders(
  clientHeaders: Readonly<Record<string, string | readonly string[] | undefined>>,
  context: Readonly<Record<string, unknown>>,
): Record<string, string | readonly string[]> {
  const dropped = new Set<string>([
    ...CREDENTIAL_HEADERS.map((name) => name.toLowerCase()),
    ...Object.keys(CALLER_HEADERS).map((name) => name.toLowerCase()),
  ]);
  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(clientHeaders)) {
    if (value !== undefined && !dropped.has(name.toLowerCase())) headers[name] = value;
  }
  for (const header of CREDENTIAL_HEADERS) headers[header] = CREDENTIAL_PLACEHOLDER;
  for (const [header, field] of Object.entries(CALLER_HEADERS)) {
    const value = context[field];
    if (typeof value === 'string') headers[header] = value;
  }
  return headers;
}
