import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';

/**
 * The CloudFront path patterns that send the management API to API Gateway: each management route's
 * static prefix (the path up to its first parameter), exactly and with everything below it. Derived
 * from the catalog, so a new management route is routed without an edit here; protected routes are
 * not among them (see docs/adr/0006-console-and-management-api-on-one-origin.md).
 */
export function managementPathPatterns(catalog: RouteCatalog): string[] {
  const prefixes = new Set<string>();
  for (const route of catalog.routes) {
    if (route.kind !== 'management') continue;
    const segments = route.path.split('/').filter((segment) => segment !== '');
    const firstParameter = segments.findIndex((segment) => segment.startsWith('{'));
    const fixed = firstParameter === -1 ? segments : segments.slice(0, firstParameter);
    prefixes.add(`/${fixed.join('/')}`);
  }
  // `/v1/api-keys/*` already covers `/v1/api-keys/x/y`'s own prefix.
  const kept = [...prefixes]
    .sort()
    .filter((prefix, _, all) => !all.some((other) => other !== prefix && prefix.startsWith(`${other}/`)));
  return kept.flatMap((prefix) => [prefix, `${prefix}/*`]);
}
