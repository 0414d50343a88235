/**
 * The headers between the gateway and a company's HTTP backend, one list for the stack and local
 * mode. The backend learns who called from the `X-Keygate-*` headers the gateway sets (a client's own
 * values are overwritten, never passed on) and never receives the credential the client sent.
 */

/** Header → the authorizer context field it carries (`shared/adapters/apigateway/authorizer-context.ts`). */
export const CALLER_HEADERS = {
  'X-Keygate-Company-Id': 'companyId',
  'X-Keygate-Key-Id': 'keyId',
  'X-Keygate-Scopes': 'scopes',
} as const;

/** The headers that carry a client's secret: never forwarded to a backend. */
export const CREDENTIAL_HEADERS = ['Authorization', 'X-API-Key'] as const;
