import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogRoute, HttpMethod } from '../../../shared/domain/catalog/catalog-types.js';
import { protectedRoute } from '../../../shared/domain/catalog/protected-route.js';
import { routeAnswers } from '../../../shared/domain/catalog/request-method.js';
import { pathSegments, RouteCatalog } from '../../../shared/domain/catalog/route-catalog.js';

/**
 * `RouteCatalog.match` looks only at the routes of the request's shape (segment count, first
 * segment). Whatever the catalog, it must answer exactly what comparing the request with every
 * route in catalog order answers: the route with the most literal segments, leftmost first, the
 * first such route on a tie, HEAD wherever GET is.
 */
function matchEveryRoute(catalog: RouteCatalog, method: string, path: string) {
  const upper = method.toUpperCase();
  const request = pathSegments(path);
  let best: { route: CatalogRoute; rank: string } | undefined;
  for (const route of catalog.routes) {
    const segments = pathSegments(route.path);
    if (!routeAnswers(route.method, upper) || segments.length !== request.length) continue;
    const ranks = segments.map((segment, i) =>
      segment.startsWith('{') ? '1' : segment === request[i] ? '0' : undefined,
    );
    if (ranks.includes(undefined)) continue;
    const rank = ranks.join('');
    if (best === undefined || rank < best.rank) best = { route, rank };
  }
  if (best === undefined) return undefined;
  const names = pathSegments(catalog.gatewayPath(best.route));
  const pathParameters: Record<string, string> = {};
  pathSegments(best.route.path).forEach((segment, i) => {
    if (segment.startsWith('{')) pathParameters[(names[i] as string).slice(1, -1)] = request[i] as string;
  });
  return { route: best.route, pathParameters };
}

// Few literals, so routes share first segments and literals compete with parameters.
const literal = fc.constantFrom('a', 'b', 'c');
const segmentArb = fc.oneof(
  literal,
  literal.map((name) => `{${name}id}`),
);
const methodArb = fc.constantFrom<HttpMethod>('GET', 'HEAD', 'POST', 'DELETE');
const catalogArb = fc
  .uniqueArray(fc.record({ method: methodArb, segments: fc.array(segmentArb, { maxLength: 3 }) }), {
    maxLength: 30,
    selector: (row) => `${row.method} /${row.segments.join('/')}`,
  })
  .map(
    (rows) =>
      new RouteCatalog(
        rows.map((row) =>
          protectedRoute({ method: row.method, path: `/${row.segments.join('/')}`, namespace: 'ns' }),
        ),
      ),
  );
const requestArb = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'head', 'POST', 'DELETE', 'PUT'),
  segments: fc.array(fc.constantFrom('a', 'b', 'c', 'd', '42'), { maxLength: 4 }),
  trailingSlash: fc.boolean(),
});

describe('RouteCatalog.match', () => {
  it('answers what comparing the request with every route in catalog order answers', () => {
    fc.assert(
      fc.property(catalogArb, fc.array(requestArb, { minLength: 1, maxLength: 20 }), (catalog, requests) => {
        for (const { method, segments, trailingSlash } of requests) {
          const path = `/${segments.join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`;
          expect(catalog.match(method, path)).toEqual(matchEveryRoute(catalog, method, path));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('RouteCatalog.match: segments a backend may read as a literal beside a parameter', () => {
  const catalog = new RouteCatalog([
    protectedRoute({ method: 'GET', path: '/orders/recent', namespace: 'orders', operation: 'OrdersRecent' }),
    protectedRoute({ method: 'GET', path: '/orders/{orderId}', namespace: 'orders', operation: 'GetOrder' }),
    protectedRoute({ method: 'GET', path: '/files/me@export', namespace: 'files', operation: 'Export' }),
    protectedRoute({ method: 'GET', path: '/files/{fileId}', namespace: 'files', operation: 'GetFile' }),
  ]);
  const operation = (path: string) => catalog.match('GET', path)?.route.operation;

  it('match no route in another case: case-insensitive routers (Express) serve them as the literal', () => {
    expect(operation('/orders/recent')).toBe('OrdersRecent');
    for (const path of ['/orders/RECENT', '/orders/Recent', '/orders/recenT/']) {
      expect(operation(path), path).toBeUndefined();
    }
  });

  it('match no route percent-encoded: decoding routers (Flask) serve them as the literal', () => {
    expect(operation('/files/me@export')).toBe('Export');
    for (const path of ['/files/me%40export', '/files/me%40EXPORT', '/files/ME@export']) {
      expect(operation(path), path).toBeUndefined();
    }
  });

  it('still match the parameter for every other value, decoded', () => {
    expect(catalog.match('GET', '/orders/42')).toMatchObject({
      route: { operation: 'GetOrder' },
      pathParameters: { orderId: '42' },
    });
    expect(catalog.match('GET', '/files/a%40b.example')).toMatchObject({
      route: { operation: 'GetFile' },
      pathParameters: { fileId: 'a@b.example' },
    });
    expect(operation('/orders/recently')).toBe('GetOrder');
  });
});
