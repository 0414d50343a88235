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
 * Every header keygate sets on a backend's request itself (the credentials' placeholders and the
 * caller), lower-cased for lookups: a client's own values of them never reach a backend.
 */
export const GATEWAY_SET_HEADERS: ReadonlySet<string> = new Set(
  [...CREDENTIAL_HEADERS, ...Object.keys(CALLER_HEADERS)].map((name) => name.toLowerCase()),
);
