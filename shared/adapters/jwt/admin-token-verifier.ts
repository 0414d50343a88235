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
import type { AdminTokenResult, AdminTokenVerifier } from '../../domain/auth/admin-token.js';

/**
 * Root admins are people: they sign in with the deployment's OIDC issuer (Cognito by default; use
 * its ID token, which carries `aud` and custom attributes) and call the management API with that JWT.
 * This verifies such a token and reads the company and the root-admin role from its claims
 * (the `AdminTokenVerifier` port of `shared/domain/auth/admin-token.ts`).
 */

export interface AdminTokenSettings {
  issuer: string;
  /** The accepted `aud`: one, or several separated by commas (in AWS: the CLI's and the console's app clients). */
  audience: string;
  jwksUri: string;
  /** Claim holding the company id, e.g. `custom:companyId`. */
  companyClaim: string;
  /** Claim holding the groups, e.g. `cognito:groups`: an array, or a space- or comma-separated string. */
  groupsClaim: string;
  /** Group that makes the caller a root admin. */
  rootAdminGroup: string;
  /**
   * The `token_use` claim a token must carry, when set: `id` for Cognito, whose access tokens carry
   * `access` (and an ID token is what keygate expects). Unset for an issuer without that claim
   * (generic OIDC has no standard one): the claim is then not read, and the audience is what
   * tells keygate's tokens apart.
   */
  tokenUse?: string;
}

/**
 * How far a token's `iat` may lie in the future, for clocks that disagree a little. `exp` and `nbf`
 * get no leeway (aws-jwt-verify's default): a token is not honoured past its own expiry.
 */
export const CLOCK_SKEW_SECONDS = 60;

/** The JWKS URI is plain HTTP on a host other than this machine: anyone on the path could swap the keys. */
export class InsecureJwksUriError extends Error {
  constructor(uri: string) {
    super(`OIDC JWKS URI must use https (plain http is accepted only on localhost): ${uri}`);
    this.name = 'InsecureJwksUriError';
  }
}

/** Company ids become table keys and log fields: keep them short and plain. */
const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** A signed token that keygate still refuses (see `checkTokenFields`); its message says why. */
export class AdminTokenRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminTokenRefusedError';
  }
}

/**
 * What a trusted verifier checks beyond aws-jwt-verify (which checks the signature, `alg`, `iss`,
 * `aud`, and `exp`/`nbf` only when present): an `exp` is required, `iat` may not lie in the future
 * (beyond `CLOCK_SKEW_SECONDS`), a `crit` header is refused (RFC 7515 §4.1.11: keygate understands
 * no extension, so any parameter marked critical is one it must not ignore), and `token_use` must
 * be the configured one. Runs after the signature is verified. Throws `AdminTokenRefusedError`.
 */
export function checkTokenFields(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  tokenUse: string | undefined,
  nowSeconds: number,
): void {
  if (header.crit !== undefined) {
    const names = Array.isArray(header.crit)
      ? header.crit.slice(0, 3).map((name) => String(name).slice(0, 40))
      : [];
    throw new AdminTokenRefusedError(
      `token marks header parameters critical that keygate does not understand: ${JSON.stringify(names)}`,
    );
  }
  if (payload.exp === undefined) throw new AdminTokenRefusedError('token has no exp claim');
  if (typeof payload.iat === 'number' && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new AdminTokenRefusedError(
      `token issued in the future: iat ${payload.iat} is ${Math.round(payload.iat - nowSeconds)} s ahead (${CLOCK_SKEW_SECONDS} s allowed)`,
    );
  }
  if (tokenUse !== undefined && payload.token_use !== tokenUse) {
    const got = typeof payload.token_use === 'string' ? `"${payload.token_use.slice(0, 40)}"` : 'none';
    throw new AdminTokenRefusedError(`token_use is ${got}, expected "${tokenUse}"`);
  }
}

/**
 * Creates the verifier once per process: `aws-jwt-verify` caches the JWKS (refetching only for an
 * unknown `kid`), so a warm authorizer verifies tokens without any network call.
 * Token problems (signature, issuer, audience, exp/nbf/iat, `crit`, `token_use`, unknown `kid`,
 * missing claims) are data (`invalid-token`); an unreachable or invalid JWKS throws, so the request
 * fails closed with a 5xx.
 */
export function createAdminTokenVerifier(settings: AdminTokenSettings): AdminTokenVerifier {
  const verifier = JwtVerifier.create(
    {
      issuer: settings.issuer,
      audience: settings.audience.split(',').map((audience) => audience.trim()),
      jwksUri: settings.jwksUri,
      customJwtCheck: ({ header, payload }) =>
        checkTokenFields(header, payload, settings.tokenUse, Date.now() / 1000),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: fetcherFor(settings.jwksUri) }) },
  );
  const invalid = (detail: string): AdminTokenResult => ({ ok: false, reason: 'invalid-token', detail });
  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        payload = await verifier.verify(token);
      } catch (error) {
        // The library's messages name the failed check and claim values, never the token itself.
        if (isTokenProblem(error)) return invalid((error as Error).message.slice(0, 300));
        throw error;
      }
      const subject = payload.sub;
      const companyId = payload[settings.companyClaim];
      if (typeof subject !== 'string' || subject.length === 0) return invalid('token has no sub claim');
      if (typeof companyId !== 'string' || !COMPANY_ID.test(companyId)) {
        return invalid(`token has no usable ${settings.companyClaim} claim`);
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
    error instanceof JwkInvalidKtyError ||
    error instanceof AdminTokenRefusedError
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
