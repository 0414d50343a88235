import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { buildAuthorizerEvent, type IncomingRequest, LOCAL_API } from '../../local/api-gateway-events.js';
import type { CatalogRoute } from '../../shared/domain/catalog/route-catalog.js';
import { scopesCoverRoute } from '../../shared/domain/scopes/scope-resolution.js';
import { CATALOG } from '../support/catalog.js';

/** Requests for the benchmarks, shaped by the local gateway's own event builders. */

/** A route's path with every `{param}` filled in. */
export function concretePath(route: CatalogRoute): string {
  return route.path.replace(/\{[^}]+\}/g, '42');
}

/**
 * Up to `count` protected catalog routes that `scopes` cover, spread over the catalog (every n-th),
 * so a rotation over them exercises many namespaces and path shapes.
 */
export function routesCoveredBy(scopes: readonly string[], count: number): CatalogRoute[] {
  const covered = CATALOG.routes.filter(
    (route) => route.kind === 'protected' && route.auth === 'scoped' && scopesCoverRoute(scopes, route),
  );
  if (covered.length === 0) throw new Error(`no protected route is covered by ${scopes.join(' ')}`);
  const step = Math.max(1, Math.floor(covered.length / count));
  return covered.filter((_, index) => index % step === 0).slice(0, count);
}

/** A protected route that `scopes` do not cover (for the 403 case). */
export function routeNotCoveredBy(scopes: readonly string[]): CatalogRoute {
  const route = CATALOG.routes.find(
    (candidate) =>
      candidate.kind === 'protected' && candidate.auth === 'scoped' && !scopesCoverRoute(scopes, candidate),
  );
  if (!route) throw new Error(`every protected route is covered by ${scopes.join(' ')}`);
  return route;
}

/** The REQUEST authorizer event API Gateway (and the local gateway) sends for `route` with `credential`. */
export function authorizerEventFor(
  route: CatalogRoute,
  credential: string,
): APIGatewayRequestAuthorizerEvent {
  const path = concretePath(route);
  const request: IncomingRequest = {
    requestId: 'bench-request',
    method: route.method,
    path,
    rawHeaders: ['Host', 'api.example.com', 'Authorization', `Bearer ${credential}`, 'User-Agent', 'bench'],
    query: [],
    sourceIp: '203.0.113.7',
    body: undefined,
    receivedAt: new Date(),
  };
  return buildAuthorizerEvent(
    LOCAL_API,
    request,
    { resource: CATALOG.gatewayPath(route), pathParameters: {} },
    443,
  );
}
