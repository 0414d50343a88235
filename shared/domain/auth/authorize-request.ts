import { matchRequest } from '../catalog/match-request.js';
import type { CatalogRoute, RouteCatalog } from '../catalog/route-catalog.js';
import type { Clock } from '../clock.js';
import { isExpired } from '../expiry/expiry-policy.js';
import { digestApiKey, parseApiKey, redactKeys } from '../keys/key-format.js';
import { compileAllowList } from '../net/ip-allow-list.js';
import type { KeyLookupStore } from '../ports.js';
import { acceptingScopes, scopesCoverRoute } from '../scopes/scope-coverage.js';
import type { AdminTokenVerifier } from './admin-token.js';
import type { Caller } from './caller.js';
import { type CredentialFailure, type CredentialHeaders, extractCredential } from './credential.js';

/**
 * keygate's authorization decision: who is calling (an API key or a root admin's token) and whether
 * they may call this route. Pure of AWS: the key store, catalog, clock and token verifier come in as
 * ports. Outcomes are data; only faults (store or JWKS unreachable) throw, and the handler turns a
 * throw into a 5xx, so a fault never allows a request.
 *
 * Order of checks (each stops at the first failure):
 * 1. credential extraction (`credential.ts`): missing, malformed `Authorization`, conflicting
 *    credentials → 401;
 * 2. key path: shape and checksum (no store read) → 401; one consistent read by digest: unknown
 *    (or deleted) → 401; expired (`now >= expiresAt`) → 401; disabled → 401 (from the same item);
 *    token path: signature, issuer, audience, exp/nbf, company claim → 401; no root-admin group → 403;
 * 3. source IP outside the key's allow-list → 403 (before any route check, so a key used from
 *    outside its allow-list learns nothing about the catalog or its own scopes);
 * 4. route: a path some server could read otherwise (dot segments, encoded slashes, empty segments,
 *    `request-path.ts`) → 403 before matching; not in the catalog → 403; not open to keys (root-admin only) → 403; scopes do not
 *    cover it → 403 naming the scopes that would; a root admin token on a protected route → 403;
 * 5. allow; for keys, `lastUsedAt` is written at most once per interval, decided from the item just
 *    read. Only allowed requests count as use: a 401 or 403 never writes.
 */

/** The request as the decision needs it; the handler builds it from the API Gateway event. */
export interface AuthorizationRequest extends CredentialHeaders {
  method: string;
  /**
   * The request path as the client sent it, still percent-encoded (a REST API's `event.path`; with a
   * custom domain it includes a non-empty base path mapping, which then matches nothing: map the
   * API at the domain's root). Matched against the catalog, never the resource API Gateway chose:
   * the company's routes share greedy proxies.
   */
  path: string;
  sourceIp: string;
}

export type UnauthorizedReason =
  | CredentialFailure
  | 'checksum'
  | 'unknown'
  | 'expired'
  | 'disabled'
  | 'invalid-token';

/** Machine-readable cause of a 403; `reason` carries the sentence the client sees. */
export type DenyCode =
  | 'ip-not-allowed'
  | 'route-not-in-catalog'
  | 'path-refused'
  | 'route-not-open-to-keys'
  | 'scope-not-granted'
  | 'not-root-admin'
  | 'admin-token-on-protected-route';

/** A signed-in person whose token is valid but does not carry the root-admin group. */
export interface NonAdminUser {
  kind: 'user';
  companyId: string;
  subject: string;
}

export type Verdict =
  | { effect: 'allow'; caller: Caller; route: CatalogRoute }
  | {
      effect: 'deny';
      status: 403;
      code: DenyCode;
      reason: string;
      caller: Caller | NonAdminUser;
      route?: CatalogRoute;
    }
  | {
      effect: 'unauthorized';
      status: 401;
      reason: UnauthorizedReason;
      /** Known once the key was found (expired keys), for logs only. */
      companyId?: string;
      keyId?: string;
      /** What was wrong with an admin token, for logs only (the client sees only the 401). */
      detail?: string;
    };

export interface AuthorizeRequestPorts {
  /** Only the lookup by digest and the `lastUsedAt` write: any `KeyStore` fits. */
  store: KeyLookupStore;
  catalog: RouteCatalog;
  clock: Clock;
  /** The deployment's key prefix, e.g. `wsk-v1-`. */
  keyPrefix: string;
  adminTokens: AdminTokenVerifier;
  /** `lastUsedAt` is written at most once per this many seconds per key. */
  lastUsedIntervalSeconds: number;
  /** Called when the throttled `lastUsedAt` write fails; the request is still allowed. */
  onLastUsedError?: (error: unknown, details: { companyId: string; keyId: string }) => void;
}

export type DecideRequest = (request: AuthorizationRequest) => Promise<Verdict>;

const unauthorized = (
  reason: UnauthorizedReason,
  known?: { companyId?: string; keyId?: string; detail?: string },
): Verdict => ({
  effect: 'unauthorized',
  status: 401,
  reason,
  ...known,
});

const deny = (
  code: DenyCode,
  reason: string,
  caller: Caller | NonAdminUser,
  route?: CatalogRoute,
): Verdict => ({ effect: 'deny', status: 403, code, reason, caller, ...(route ? { route } : {}) });

/** Creates the decision function with its ports. Create it once per process and reuse it. */
export function createRequestAuthorizer(ports: AuthorizeRequestPorts): DecideRequest {
  const { store, catalog, clock, keyPrefix, adminTokens, lastUsedIntervalSeconds } = ports;
  const allowLists = new AllowListCache();

  /** The route, or the 403 that refuses the request: a path a backend could read otherwise, or no route. */
  const resolveRoute = (
    request: AuthorizationRequest,
    caller: Caller | NonAdminUser,
  ): { route: CatalogRoute } | { denied: Verdict } => {
    const match = matchRequest(catalog, request.method, request.path);
    if (match.kind === 'route') return { route: match.route };
    if (match.kind === 'refused') {
      return { denied: deny('path-refused', `request path refused: ${match.message}`, caller) };
    }
    return {
      denied: deny(
        'route-not-in-catalog',
        `route ${printable(request.method.toUpperCase())} ${printable(redactKeys(request.path, keyPrefix))} is not in the catalog`,
        caller,
      ),
    };
  };

  async function decideForKey(candidate: string, request: AuthorizationRequest): Promise<Verdict> {
    const parsed = parseApiKey(candidate, keyPrefix);
    if (!parsed.ok) return unauthorized(parsed.reason);
    const digest = digestApiKey(parsed.key);
    const found = await store.findByDigest(digest);
    if (!found) return unauthorized('unknown');
    const ids = { companyId: found.companyId, keyId: found.keyId };
    const now = clock.now();
    // Checked here, never left to DynamoDB TTL, which deletes expired items only eventually.
    if (isExpired(found.expiresAt, now)) return unauthorized('expired', ids);
    if (!found.enabled) return unauthorized('disabled', ids);

    const caller: Caller = {
      kind: 'key',
      companyId: found.companyId,
      keyId: found.keyId,
      keyName: found.name,
      scopes: found.scopes,
      expiresAt: found.expiresAt,
      allowedIps: found.allowedIps,
    };
    if (found.allowedIps.length > 0 && !allowLists.get(found.allowedIps)(request.sourceIp)) {
      // The allow-list itself is never echoed: it would tell a key thief where to call from.
      return deny('ip-not-allowed', 'source IP not allowed for this key', caller);
    }
    const resolved = resolveRoute(request, caller);
    if ('denied' in resolved) return resolved.denied;
    const { route } = resolved;
    if (route.auth === 'root-admin') {
      return deny('route-not-open-to-keys', `route ${route.id} is not open to API keys`, caller, route);
    }
    if (!scopesCoverRoute(found.scopes, route)) {
      const accepted = acceptingScopes(route).join(', ');
      return deny('scope-not-granted', `route ${route.id} requires one of: ${accepted}`, caller, route);
    }

    if (lastUseIsStale(found.lastUsedAt, now, lastUsedIntervalSeconds)) {
      try {
        await store.touchLastUsed(digest, now, lastUsedIntervalSeconds);
      } catch (error) {
        // Bookkeeping only: a valid key keeps working when this write fails.
        ports.onLastUsedError?.(error, ids);
      }
    }
    return { effect: 'allow', caller, route };
  }

  async function decideForToken(token: string, request: AuthorizationRequest): Promise<Verdict> {
    const verified = await adminTokens.verify(token);
    if (!verified.ok) return unauthorized('invalid-token', { detail: verified.detail });
    if (!verified.rootAdmin) {
      const user: NonAdminUser = { kind: 'user', companyId: verified.companyId, subject: verified.subject };
      return deny('not-root-admin', 'not a root admin', user);
    }
    const caller: Caller = {
      kind: 'root-admin',
      companyId: verified.companyId,
      subject: verified.subject,
      ...(verified.email ? { email: verified.email } : {}),
    };
    const resolved = resolveRoute(request, caller);
    if ('denied' in resolved) return resolved.denied;
    const { route } = resolved;
    if (route.kind !== 'management') {
      return deny(
        'admin-token-on-protected-route',
        'root admin tokens are valid only on the management API; use an API key',
        caller,
        route,
      );
    }
    return { effect: 'allow', caller, route };
  }

  return async function decide(request) {
    const credential = extractCredential(request);
    if (!credential.ok) return unauthorized(credential.reason);
    return credential.kind === 'token'
      ? decideForToken(credential.value, request)
      : decideForKey(credential.value, request);
  };
}

/**
 * Whether `lastUsedAt` is old enough (or unset or unreadable) to be written again: strictly older than
 * the interval, the same condition as the store's conditional write, so no write is sent to fail.
 */
export function lastUseIsStale(lastUsedAt: string | null, now: Date, intervalSeconds: number): boolean {
  if (lastUsedAt === null) return true;
  const last = Date.parse(lastUsedAt);
  return Number.isNaN(last) || now.getTime() - last > intervalSeconds * 1000;
}

/**
 * Client-supplied text made safe to put in a reason (shown in a JSON body) and in logs: printable
 * ASCII without quotes or backslashes, at most 200 characters.
 */
function printable(text: string): string {
  const cleaned = text.replace(/[^\x21-\x7e]|["\\]/g, '?');
  return cleaned.length > 200 ? `${cleaned.slice(0, 200)}…` : cleaned;
}

/**
 * Compiled allow-lists by their CIDRs, so a warm authorizer parses a key's CIDRs once, not per
 * request. Bounded: when full it starts over, which only costs a recompile.
 */
class AllowListCache {
  private readonly compiled = new Map<string, (ip: string) => boolean>();

  get(cidrs: readonly string[]): (ip: string) => boolean {
    const cacheKey = cidrs.join(',');
    let allows = this.compiled.get(cacheKey);
    if (!allows) {
      if (this.compiled.size >= 1000) this.compiled.clear();
      allows = compileAllowList(cidrs);
      this.compiled.set(cacheKey, allows);
    }
    return allows;
  }
}
