/**
 * Root admins are people: they sign in with the deployment's OIDC issuer and call the management API
 * with that JWT. The decision reads them through this port; `shared/adapters/jwt/` implements it.
 */

export type AdminTokenResult =
  | { ok: true; subject: string; companyId: string; email?: string; rootAdmin: boolean }
  /** `detail` says what was wrong, for the log only: a client learns no more than "invalid token". */
  | { ok: false; reason: 'invalid-token'; detail: string };

/** The port the decision service uses. `verify` throws only on faults (JWKS unreachable or broken). */
export interface AdminTokenVerifier {
  verify(token: string): Promise<AdminTokenResult>;
}
