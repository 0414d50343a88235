import type { CatalogRoute } from './catalog-types.js';
import { checkRequestPath, type RequestPathRefusal } from './request-path.js';
import type { RouteCatalog } from './route-catalog.js';

/** What a request is to the catalog: refused before matching (400), unknown (403), or a route. */
export type RequestMatch =
  | { readonly kind: 'refused'; readonly reason: RequestPathRefusal; readonly message: string }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'route'; readonly route: CatalogRoute; readonly pathParameters: Record<string, string> };

/**
 * Matches a raw request path against the catalog after {@link checkRequestPath}, so a path the
 * backend could read differently never reaches a route. HEAD matches wherever GET does.
 */
export function matchRequest(catalog: RouteCatalog, method: string, rawPath: string): RequestMatch {
  const check = checkRequestPath(rawPath);
  if (!check.ok) return { kind: 'refused', reason: check.reason, message: check.message };
  const match = catalog.match(method, rawPath);
  return match === undefined ? { kind: 'no-route' } : { kind: 'route', ...match };
}
