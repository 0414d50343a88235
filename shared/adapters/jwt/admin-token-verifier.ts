import { JwtVerifier } from 'aws-jwt-verify';
import {
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwtInvalidClaimError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  NonRetryableFetchError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { AdminTokenVerifier } from '../../domain/auth/admin-token.js';

/**
 * Root admins are people: they sign in with the deployment's OIDC issuer (Cognito by default; use
 * its ID token, which carries `aud` and custom attributes) and call the management API with that JWT.
 * This verifies such a token and reads the company and the root-admin role from its claims
 * (the `AdminTokenVerifier` port of `shared/domain/auth/admin-token.ts`).
 */

export interface AdminTokenSettings {
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Claim holding the company id, e.g. `custom:companyId`. */
  companyClaim: string;
  /** Claim holding the groups, e.g. `cognito:groups`: an array, or a space- or comma-separated string. */
  groupsClaim: string;
  /** Group that makes the caller a root admin. */
  rootAdminGroup: string;
}

/** The JWKS URI is plain HTTP on a host other than this machine: anyone on the path could swap the keys. */
export class InsecureJwksUriError extends Error {
  constructor(uri: string) {
    super(`OIDC JWKS URI must use https (plain http is accepted only on localhost): ${uri}`);
    this.name = 'InsecureJwksUriError';
  }
}

/** Company ids become table keys and log fields: keep them short and plain. */
const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/**
 * Creates the verifier once per process: `aws-jwt-verify` caches the JWKS (refetching only for an
 * unknown `kid`), so a warm authorizer verifies tokens without any network call.
 * Token problems (signature, issuer, audience, exp/nbf, unknown `kid`, missing claims) are data
 * (`invalid-token`); an unreachable or invalid JWKS throws, so the request fails closed with a 5xx.
 */
export function createAdminTokenVerifier(settings: AdminTokenSettings): AdminTokenVerifier {
  const verifier = JwtVerifier.create(
    { issuer: settings.issuer, audience: settings.audience, jwksUri: settings.jwksUri },
    { jwksCache: new SimpleJwksCache({ fetcher: fetcherFor(settings.jwksUri) }) },
  );
  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        payload = await verifier.verify(token);
      } catch (error) {
        if (isTokenProblem(error)) return { ok: false, reason: 'invalid-token' };
        throw error;
      }
      const subject = payload.sub;
      const companyId = payload[settings.companyClaim];
      if (typeof subject !== 'string' || subject.length === 0) return { ok: false, reason: 'invalid-token' };
      if (typeof companyId !== 'string' || !COMPANY_ID.test(companyId)) {
        return { ok: false, reason: 'invalid-token' };
      }
      const email = typeof payload.email === 'string' && payload.email.length > 0 ? payload.email : undefined;
      const rootAdmin = groupsOf(payload[settings.groupsClaim]).includes(settings.rootAdminGroup);
      return { ok: true, subject, companyId, ...(email ? { email } : {}), rootAdmin };
    },
  };
}

/** Groups from a claim that is an array of strings or one space- or comma-separated string. */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter(Boolean);
  return [];
}

/**
 * Errors that mean "this token is not valid", as opposed to "we could not check". Everything else
 * (fetch failures, an invalid JWKS, configuration errors, anything unexpected) is a fault.
 * A `kid` the freshly fetched JWKS does not have, and the back-off after one, mean the token was
 * signed by a key the issuer does not publish: invalid.
 */
function isTokenProblem(error: unknown): boolean {
  return (
    error instanceof JwtParseError ||
    error instanceof JwtInvalidSignatureError ||
    error instanceof JwtInvalidSignatureAlgorithmError ||
    error instanceof JwtInvalidClaimError ||
    error instanceof JwtWithoutValidKidError ||
    error instanceof KidNotFoundInJwksError ||
    error instanceof WaitPeriodNotYetEndedJwkError ||
    error instanceof JwkInvalidUseError ||
    error instanceof JwkInvalidKtyError
  );
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const JWKS_TIMEOUT_MS = 3_000;

/**
 * The library's fetcher speaks only https. Local mode and tests serve the development issuer's JWKS
 * over plain http on this machine, so that (and only that) gets a small fetch-based fetcher.
 */
function fetcherFor(jwksUri: string): Fetcher | undefined {
  const url = new URL(jwksUri);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) throw new InsecureJwksUriError(jwksUri);
  return {
    async fetch(uri) {
      let response: Response;
      try {
        response = await fetch(uri, { signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
      } catch (error) {
        throw new FetchError(uri, error instanceof Error ? error.message : String(error));
      }
      if (response.status !== 200) {
        throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
      }
      return response.arrayBuffer();
    },
  };
}
