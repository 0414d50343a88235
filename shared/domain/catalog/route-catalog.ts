import type { Access, CatalogRoute, HttpMethod } from './catalog-types.js';
import { routeAnswers } from './request-method.js';

export type { Access, CatalogRoute, HttpMethod, ManagementHandler, RouteAuth } from './catalog-types.js';

/** GET and HEAD read; every other method writes. */
export const accessOf = (method: HttpMethod): Access =>
  method === 'GET' || method === 'HEAD' ? 'read' : 'write';

/** Path segments of a template or request path; a trailing slash is not significant (as in API Gateway). */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/** A namespace as `GET /v1/scopes` serves it and as scope validation reads it. */
export interface ScopeNamespace {
  readonly namespace: string;
  readonly group?: string;
  readonly hasReadRoutes: boolean;
  readonly hasWriteRoutes: boolean;
  /** Operation names with their access (only namespaces whose routes are named have them). */
  readonly operations: ReadonlyArray<{ readonly name: string; readonly access: Access }>;
  readonly description?: string;
}

/**
 * The route catalog: the single source of truth for the stack, the authorizer, validation and local mode.
 * A value: composition roots build it (`shared/catalogs/`) and pass it to whatever needs it.
 */
export class RouteCatalog {
  readonly routes: readonly CatalogRoute[];
  private readonly byGatewayKey = new Map<string, CatalogRoute>();
  private readonly gatewayPaths = new Map<CatalogRoute, string>();
  private readonly compiled: ReadonlyArray<{ route: CatalogRoute; segments: string[] }>;

  constructor(routes: readonly CatalogRoute[]) {
    const ids = new Set<string>();
    for (const route of routes) {
      if (ids.has(route.id)) throw new Error(`duplicate catalog route ${route.id}`);
      ids.add(route.id);
    }
    this.routes = routes;
    this.compiled = routes.map((route) => ({ route, segments: pathSegments(route.path) }));
    // API Gateway allows one path-parameter name per position under a parent resource, while the vendor
    // tables use several (`/phonebooks/{id}/` beside `/phonebooks/{phonebookid}/contacts/`).
    // The first name documented at a position names that gateway resource for every route below it.
    const parameterAt = new Map<string, string>();
    for (const { route, segments } of this.compiled) {
      let parent = '';
      const gatewaySegments = segments.map((segment) => {
        let name = segment;
        if (isParameter(segment)) {
          const chosen = parameterAt.get(parent);
          if (chosen === undefined) parameterAt.set(parent, segment);
          else name = chosen;
        }
        parent = `${parent}/${name}`;
        return name;
      });
      const gatewayPath = `/${gatewaySegments.join('/')}`;
      this.gatewayPaths.set(route, gatewayPath);
      this.byGatewayKey.set(`${route.method} ${gatewayPath}`, route);
    }
  }

  /** The API Gateway resource path of a route: no trailing slash, canonical parameter names. */
  gatewayPath(route: CatalogRoute): string {
    const path = this.gatewayPaths.get(route);
    if (path === undefined) throw new Error(`route not in this catalog: ${route.id}`);
    return path;
  }

  /** The route API Gateway matched, from the event's `httpMethod` and `resource` template. */
  findByGatewayResource(method: string, resource: string): CatalogRoute | undefined {
    return this.byGatewayKey.get(`${method.toUpperCase()} /${pathSegments(resource).join('/')}`);
  }

  /**
   * The route a request path matches, or undefined. Static segments win over parameters at the
   * same position, as in API Gateway; a parameter matches exactly one non-empty segment. HEAD matches
   * wherever GET does (see request-method.ts).
   */
  match(
    method: string,
    path: string,
  ): { route: CatalogRoute; pathParameters: Record<string, string> } | undefined {
    const upper = method.toUpperCase();
    const requestSegments = pathSegments(path);
    let best: { route: CatalogRoute; segments: string[]; rank: string } | undefined;
    for (const { route, segments } of this.compiled) {
      if (!routeAnswers(route.method, upper) || segments.length !== requestSegments.length) continue;
      let rank = '';
      let matches = true;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as string;
        if (isParameter(segment)) rank += '1';
        else if (segment === requestSegments[i]) rank += '0';
        else {
          matches = false;
          break;
        }
      }
      if (matches && (best === undefined || rank < best.rank)) best = { route, segments, rank };
    }
    if (best === undefined) return undefined;
    const pathParameters: Record<string, string> = {};
    const gatewaySegments = pathSegments(this.gatewayPath(best.route));
    best.segments.forEach((segment, i) => {
      if (isParameter(segment)) {
        pathParameters[(gatewaySegments[i] as string).slice(1, -1)] = decodeURIComponent(
          requestSegments[i] as string,
        );
      }
    });
    return { route: best.route, pathParameters };
  }

  /** Namespaces open to API keys (routes with auth `scoped`), sorted, with their operations. */
  namespaces(): ScopeNamespace[] {
    const byName = new Map<
      string,
      { group?: string; read: boolean; write: boolean; ops: Map<string, Access> }
    >();
    for (const route of this.routes) {
      if (route.auth !== 'scoped') continue;
      const entry = byName.get(route.namespace) ?? {
        group: route.group,
        read: false,
        write: false,
        ops: new Map(),
      };
      if (route.access === 'read') entry.read = true;
      else entry.write = true;
      if (route.operation) entry.ops.set(route.operation, route.access);
      byName.set(route.namespace, entry);
    }
    return [...byName.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([namespace, entry]) => ({
        namespace,
        ...(entry.group ? { group: entry.group } : {}),
        hasReadRoutes: entry.read,
        hasWriteRoutes: entry.write,
        operations: [...entry.ops.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, access]) => ({ name, access })),
      }));
  }

  /** Umbrella groups (e.g. `pbx`) and the namespaces they span. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, Set<string>>();
    for (const route of this.routes) {
      if (route.group === undefined || route.auth !== 'scoped') continue;
      const set = groups.get(route.group) ?? new Set<string>();
      set.add(route.namespace);
      groups.set(route.group, set);
    }
    return new Map([...groups.entries()].map(([group, set]) => [group, [...set].sort()]));
  }
}
