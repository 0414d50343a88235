import { methodsAnswered } from '../shared/domain/catalog/request-method.js';
import type { CatalogRoute, HttpMethod, RouteCatalog } from '../shared/domain/catalog/route-catalog.js';

/**
 * Which API Gateway resources and methods serve a catalog, so that the stack does not grow with it:
 * keygate's management routes get a method each, and a HEAD beside each GET (a fixed, small number),
 * and the company's routes share one greedy proxy (`/prefix/{proxy+}`, method ANY, which covers HEAD)
 * per backend and path prefix. The prefix is the shortest path under which every route goes to one backend and none
 * is keygate's own; where backends meet on one path, that path gets a method per route method.
 * The authorizer matches the real request path against the catalog, so a proxy admits exactly the
 * catalog's routes. Pure: the construct turns the plan into resources.
 */

/** The backend identity a protected route goes to (`backendKey`), or a management route. */
export type RouteTarget =
  | { readonly kind: 'backend'; readonly key: string }
  | { readonly kind: 'management' };

export type PlannedMethod =
  | {
      readonly kind: 'management';
      /** The gateway resource path (`/v1/api-keys/{id}`). */
      readonly resourcePath: string;
      /** The route's method, and HEAD beside a GET: every GET answers HEAD, with the same function. */
      readonly methods: readonly HttpMethod[];
      readonly route: CatalogRoute;
    }
  | {
      readonly kind: 'proxy';
      /** `/v2/conversations/{proxy+}` (greedy) or `/v2/company` (the prefix itself). */
      readonly resourcePath: string;
      /** ANY, or the methods of the routes that end here where backends meet (GET brings HEAD). */
      readonly methods: 'ANY' | readonly HttpMethod[];
      readonly backend: string;
      /** The documented paths of the routes that end exactly here all end in `/`. */
      readonly trailingSlash: boolean;
    };

export interface ProxyPlan {
  readonly methods: readonly PlannedMethod[];
  /** Whether `/{proxy+}` may be added at the root (API Gateway allows one variable child per resource). */
  readonly rootCatchAll: boolean;
}

interface Node {
  readonly children: Map<string, Node>;
  readonly here: Array<{ route: CatalogRoute; target: RouteTarget }>;
  readonly backends: Set<string>;
  management: boolean;
}

const newNode = (): Node => ({ children: new Map(), here: [], backends: new Set(), management: false });

/** Plans the resources of `catalog`; `backendOf` names each protected route's backend (`backendKey`). */
export function planProxies(catalog: RouteCatalog, backendOf: (route: CatalogRoute) => string): ProxyPlan {
  const root = newNode();
  for (const route of catalog.routes) {
    const target: RouteTarget =
      route.kind === 'management' ? { kind: 'management' } : { kind: 'backend', key: backendOf(route) };
    let node = root;
    const mark = (at: Node) => {
      if (target.kind === 'management') at.management = true;
      else at.backends.add(target.key);
    };
    mark(node);
    for (const segment of catalog.gatewayPath(route).split('/').filter(Boolean)) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = newNode();
        node.children.set(segment, child);
      }
      node = child;
      mark(node);
    }
    node.here.push({ route, target });
  }

  const methods: PlannedMethod[] = [];
  const visit = (node: Node, path: string) => {
    const [only] = node.backends;
    if (path !== '' && !node.management && node.backends.size === 1 && only !== undefined) {
      if (node.here.length > 0) {
        methods.push({
          kind: 'proxy',
          resourcePath: path,
          methods: 'ANY',
          backend: only,
          trailingSlash: node.here.every(({ route }) => route.path.endsWith('/')),
        });
      }
      if (node.children.size > 0) {
        methods.push({
          kind: 'proxy',
          resourcePath: `${path}/{proxy+}`,
          methods: 'ANY',
          backend: only,
          trailingSlash: false,
        });
      }
      return;
    }
    const byBackend = new Map<string, CatalogRoute[]>();
    for (const { route, target } of node.here) {
      if (target.kind === 'management') {
        methods.push({
          kind: 'management',
          resourcePath: path || '/',
          methods: methodsAnswered(route.method),
          route,
        });
      } else byBackend.set(target.key, [...(byBackend.get(target.key) ?? []), route]);
    }
    for (const [backend, routes] of byBackend) {
      const answered = new Set<HttpMethod>(routes.flatMap((route) => methodsAnswered(route.method)));
      methods.push({
        kind: 'proxy',
        resourcePath: path || '/',
        methods: [...answered],
        backend,
        trailingSlash: routes.every((route) => route.path.endsWith('/')),
      });
    }
    for (const [segment, child] of node.children) visit(child, `${path}/${segment}`);
  };
  visit(root, '');
  const rootVariable = [...root.children.keys()].some((segment) => segment.startsWith('{'));
  return { methods, rootCatchAll: !rootVariable };
}
