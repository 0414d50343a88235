import type { NonAdminUser, Verdict } from '../../domain/auth/authorize-request.js';
import type { Caller } from '../../domain/auth/caller.js';
import { methodsAnswered } from '../../domain/catalog/request-method.js';
import type { CatalogRoute, RouteCatalog } from '../../domain/catalog/route-catalog.js';
import { scopesCoverRoute } from '../../domain/scopes/scope-coverage.js';
import { type AuthorizerContext, encodeCaller } from './authorizer-context.js';

/**
 * Turns a verdict into the REQUEST authorizer's answer to API Gateway: an IAM policy on
 * `execute-api:Invoke` plus a string-valued context.
 *
 * Without authorizer caching (`AUTHORIZER_CACHE_TTL_SECONDS = 0`, the default) API Gateway asks for
 * every request, so the policy names just this request's method ARN: Allow with the caller in the
 * context, or Deny with the reason the 403 body shows.
 *
 * With caching, API Gateway reuses one answer for every request carrying the same identity sources
 * for the TTL, whatever the route. The answer must then hold for all routes at once:
 * - a valid key or root admin gets one Allow listing the method ARN of every catalog route it may
 *   call (path parameters as `*`), and the routes it may not call are simply absent, so API Gateway
 *   answers them 403 itself; when this request was denied, an explicit Deny on its method ARN is
 *   added, since the Allow's wildcards could otherwise match it (a catch-all resource). The
 *   context's `reason` is then generic, because it is cached too;
 * - a credential denied everywhere (source IP outside the allow-list, token without the root-admin
 *   group, or a key that may call nothing) gets one Deny on the whole stage.
 * Consequences, accepted by whoever turns caching on: a deleted or expired key keeps working until
 * the TTL ends. `*` in an IAM resource also matches `/`, so this Allow alone would let a key holding a
 * scope for `GET /users/{id}` call `GET /users/1/secrets` (another route) or a path outside the
 * catalog: the stack therefore keys the cache on the source IP, the method and the request path too
 * (`identitySources` in `infra/constructs/keygate-api.ts`), so a cached answer is only ever reused
 * for the very request it was made for.
 */

export interface PolicyStatement {
  Action: 'execute-api:Invoke';
  Effect: 'Allow' | 'Deny';
  Resource: string | string[];
}

export interface AuthorizerResponse {
  /** The key id or the token's subject: never the key. */
  principalId: string;
  policyDocument: { Version: '2012-10-17'; Statement: PolicyStatement[] };
  context: AuthorizerContext;
}

export interface PolicyOptions {
  catalog: RouteCatalog;
  /** API Gateway's authorizer result TTL; > 0 switches to the cacheable, all-routes form. */
  cacheTtlSeconds: number;
}

/** Shown for any route a cached policy leaves out; a per-route sentence would be cached with it. */
export const CACHED_DENY_REASON =
  'this credential may not call this route: it lacks a scope that covers it (see GET /v1/scopes), or the route is not open to it';

/**
 * Builds the authorizer response for an allow or deny verdict (401s are not policies: the handler
 * throws `Unauthorized` for them). `methodArn` is the event's, e.g.
 * `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/v2/company/`.
 */
export function buildAuthorizerResponse(
  verdict: Extract<Verdict, { effect: 'allow' | 'deny' }>,
  methodArn: string,
  options: PolicyOptions,
): AuthorizerResponse {
  const principalId = principalIdOf(verdict.caller);
  if (options.cacheTtlSeconds <= 0) {
    return verdict.effect === 'allow'
      ? response(principalId, 'Allow', methodArn, encodeCaller(verdict.caller))
      : response(principalId, 'Deny', methodArn, denyContext(verdict.reason, verdict.caller));
  }

  const base = stageArnBase(methodArn);
  const caller = verdict.caller;
  if (verdict.effect === 'deny' && (verdict.code === 'ip-not-allowed' || caller.kind === 'user')) {
    return response(principalId, 'Deny', `${base}*`, denyContext(verdict.reason, caller));
  }
  if (caller.kind === 'user') throw new Error('unreachable: a user without the role is always denied');
  const callable = callableRoutes(caller, options.catalog).flatMap((route) =>
    routeArns(base, route, options.catalog),
  );
  // The request at hand is decided by the verdict, whatever the wildcards of the list would say.
  const resources = verdict.effect === 'allow' ? [...new Set([methodArn, ...callable])] : callable;
  if (resources.length === 0) {
    return response(principalId, 'Deny', `${base}*`, denyContext(CACHED_DENY_REASON, caller));
  }
  const statements: PolicyStatement[] = [{ Action: INVOKE, Effect: 'Allow', Resource: resources }];
  if (verdict.effect === 'deny') statements.push({ Action: INVOKE, Effect: 'Deny', Resource: methodArn });
  return {
    principalId,
    policyDocument: policy(statements),
    context: { ...encodeCaller(caller), reason: CACHED_DENY_REASON },
  };
}

/** The catalog routes a caller may call: a key's scopes decide; a root admin may call the management API. */
export function callableRoutes(caller: Caller, catalog: RouteCatalog): CatalogRoute[] {
  return catalog.routes.filter((route) =>
    caller.kind === 'key' ? scopesCoverRoute(caller.scopes, route) : route.kind === 'management',
  );
}

/**
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/` from a method ARN: everything before
 * the HTTP method. Throws on anything else, which the handler reports as a fault (fail closed).
 */
export function stageArnBase(methodArn: string): string {
  const match = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+\/)[^/]+(\/.*)?$/.exec(methodArn);
  if (!match?.[1]) throw new Error(`not an execute-api method ARN: ${methodArn}`);
  return match[1];
}

/**
 * The method ARNs of one route: its gateway path with `*` for each path parameter, with and without
 * a trailing slash (API Gateway matches both, and the ARN carries the path as the client sent it);
 * a GET route's also for HEAD, which it answers with the same scopes.
 */
export function routeArns(base: string, route: CatalogRoute, catalog: RouteCatalog): string[] {
  const path = catalog
    .gatewayPath(route)
    .split('/')
    .map((segment) => (segment.startsWith('{') && segment.endsWith('}') ? '*' : segment))
    .join('/');
  return methodsAnswered(route.method).flatMap((method) => {
    const arn = `${base}${method}${path}`;
    return path === '/' ? [arn] : [arn, `${arn}/`];
  });
}

function principalIdOf(caller: Caller | NonAdminUser): string {
  return caller.kind === 'key' ? caller.keyId : caller.subject;
}

/** The Deny context: the reason for the 403 body, and who was denied, for the access log. */
function denyContext(reason: string, caller: Caller | NonAdminUser): AuthorizerContext {
  return {
    reason,
    companyId: caller.companyId,
    ...(caller.kind === 'key' ? { keyId: caller.keyId } : { subject: caller.subject }),
  };
}

const INVOKE = 'execute-api:Invoke';

function policy(statements: PolicyStatement[]): AuthorizerResponse['policyDocument'] {
  return { Version: '2012-10-17', Statement: statements };
}

function response(
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string | string[],
  context: AuthorizerContext,
): AuthorizerResponse {
  return {
    principalId,
    policyDocument: policy([{ Action: INVOKE, Effect: effect, Resource: resource }]),
    context,
  };
}
