import type { Access, CatalogRoute, HttpMethod } from './catalog-types.js';
import { compareCodeUnits } from './code-unit-order.js';
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
  /**
   * Operation names in code-unit order with their access, `read` only when every route of the
   * operation reads (only namespaces whose routes are named have them).
   */
  readonly operations: ReadonlyArray<{ readonly name: string; readonly access: Access }>;
  readonly description?: string;
}

/** An umbrella group (e.g. `pbx`) whose `group:read` / `group:*` scopes span several namespaces. */
export interface ScopeGroup {
  readonly group: string;
  /** Namespaces with at least one `scoped` route in the group, in code-unit order. */
  readonly namespaces: readonly string[];
  /**
   * Namespaces whose every `scoped` route is in the group: only for these may structural coverage
   * say `group:x` covers `ns:x`, so it never claims more than route coverage.
   */
  readonly wholeNamespaces: ReadonlySet<string>;
  readonly hasReadRoutes: boolean;
}

/**
 * The route catalog: the single source of truth for the stack, the authorizer, validation and local mode.
 * A value: composition roots build it (`shared/catalogs/`) and pass it to whatever needs it.
 */
export class RouteCatalog {
  readonly routes: readonly CatalogRoute[];
  /** What the catalog files say each scope grants (`ns:read` → "View …"), for `GET /v1/scopes`. */
  readonly scopeDescriptions: ReadonlyMap<string, string>;
  private readonly gatewayPaths = new Map<CatalogRoute, string>();
  /**
   * The routes as a tree of segments, as API Gateway's resources are: a request walks it from the
   * root instead of being compared with every route (the authorizer matches on every request).
   */
  private readonly root: RouteNode = newNode();
  /** Built on first use: infra and the authorizer match routes and never need it. */
  private scopeIndex?: ScopeIndex;

  constructor(
    routes: readonly CatalogRoute[],
    options: { readonly scopeDescriptions?: ReadonlyMap<string, string> } = {},
  ) {
    const ids = new Set<string>();
    for (const route of routes) {
      if (ids.has(route.id)) throw new Error(`duplicate catalog route ${route.id}`);
      ids.add(route.id);
    }
    this.routes = routes;
    this.scopeDescriptions = options.scopeDescriptions ?? new Map();
    // API Gateway allows one path-parameter name per position under a parent resource, while the vendor
    // tables use several (`/phonebooks/{id}/` beside `/phonebooks/{phonebookid}/contacts/`).
    // The first name documented at a position names that gateway resource for every route below it.
    const parameterAt = new Map<string, string>();
    for (const route of routes) {
      const segments = pathSegments(route.path);
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
      this.gatewayPaths.set(route, `/${gatewaySegments.join('/')}`);
      const entry: CompiledRoute = {
        route,
        parameterNames: segments.map((segment, i) =>
          isParameter(segment) ? (gatewaySegments[i] as string).slice(1, -1) : undefined,
        ),
      };
      let node = this.root;
      for (const segment of segments) {
        if (isParameter(segment)) node = node.parameter ??= newNode();
        else {
          let child = node.literal.get(segment);
          if (child === undefined) {
            child = newNode();
            node.literal.set(segment, child);
            node.foldedLiterals.add(foldSegment(segment));
          }
          node = child;
        }
      }
      node.routes.push(entry);
    }
  }

  /** The API Gateway resource path of a route: no trailing slash, canonical parameter names. */
  gatewayPath(route: CatalogRoute): string {
    const path = this.gatewayPaths.get(route);
    if (path === undefined) throw new Error(`route not in this catalog: ${route.id}`);
    return path;
  }

  /**
   * The route a request path matches, or undefined. Static segments win over parameters at the
   * same position, as in API Gateway; a parameter matches exactly one non-empty segment, but not
   * one that a backend may read as a literal beside it (another case, or percent-encoded). HEAD
   * matches wherever GET does (see request-method.ts).
   */
  match(
    method: string,
    path: string,
  ): { route: CatalogRoute; pathParameters: Record<string, string> } | undefined {
    const upper = method.toUpperCase();
    const requestSegments = pathSegments(path);
    const best = findRoute(this.root, requestSegments, 0, upper);
    if (best === undefined) return undefined;
    const pathParameters: Record<string, string> = {};
    const { parameterNames } = best;
    for (let i = 0; i < parameterNames.length; i++) {
      const name = parameterNames[i];
      if (name !== undefined) pathParameters[name] = decodeURIComponent(requestSegments[i] as string);
    }
    return { route: best.route, pathParameters };
  }

  /**
   * Namespaces open to API keys (routes with auth `scoped`), in code-unit order, with their
   * operations. Computed once: scope validation and coverage read it on every call.
   */
  namespaces(): readonly ScopeNamespace[] {
    return this.index().namespaces;
  }

  /** One namespace open to API keys, or undefined. */
  namespace(name: string): ScopeNamespace | undefined {
    return this.index().namespaceByName.get(name);
  }

  /** Umbrella groups (e.g. `pbx`) of `scoped` routes, in code-unit order. */
  scopeGroups(): readonly ScopeGroup[] {
    return this.index().groups;
  }

  /** One umbrella group, or undefined. */
  scopeGroup(name: string): ScopeGroup | undefined {
    return this.index().groupByName.get(name);
  }

  /** Umbrella groups (e.g. `pbx`) and the namespaces they span. */
  groups(): Map<string, string[]> {
    return new Map(this.index().groups.map((group) => [group.group, [...group.namespaces]]));
  }

  private index(): ScopeIndex {
    this.scopeIndex ??= buildScopeIndex(this.routes);
    return this.scopeIndex;
  }
}

/** A route as `match` finds it: at each of its segments that is a parameter, the gateway's name. */
interface CompiledRoute {
  readonly route: CatalogRoute;
  readonly parameterNames: ReadonlyArray<string | undefined>;
}

/** A resource of the tree: its literal children, its one parameter child, the routes that end here. */
interface RouteNode {
  readonly literal: Map<string, RouteNode>;
  /** The literal children as a lenient server may read them (`foldSegment`). */
  readonly foldedLiterals: Set<string>;
  parameter?: RouteNode;
  /** In catalog order. */
  readonly routes: CompiledRoute[];
}

const newNode = (): RouteNode => ({ literal: new Map(), foldedLiterals: new Set(), routes: [] });

/**
 * A segment as a lenient backend may route it: percent-decoded (Flask, Go's mux: `me%40export` is
 * `me@export`) and case-folded (Express, ASP.NET: `RECENT` is `recent`).
 */
function foldSegment(segment: string): string {
  try {
    return decodeURIComponent(segment).toLowerCase();
  } catch {
    return segment.toLowerCase();
  }
}

/**
 * The best route below `node` for `segments` from `index` on: a literal child is tried before the
 * parameter child, so the first route found has the leftmost literal segments (a static segment
 * beats a parameter at the same position, as in API Gateway); among routes of one resource, the
 * first in catalog order whose method answers (HEAD wherever GET is).
 */
function findRoute(
  node: RouteNode,
  segments: readonly string[],
  index: number,
  method: string,
): CompiledRoute | undefined {
  if (index === segments.length) return node.routes.find((entry) => routeAnswers(entry.route.method, method));
  const segment = segments[index] as string;
  const literal = node.literal.get(segment);
  const found = literal === undefined ? undefined : findRoute(literal, segments, index + 1, method);
  if (found !== undefined || node.parameter === undefined) return found;
  // A segment that is not a literal sibling exactly, but that a backend may read as one (another
  // case, or percent-encoded), matches no route: as the parameter it would be authorized as one
  // route and served as another.
  if (literal === undefined && node.foldedLiterals.size > 0 && node.foldedLiterals.has(foldSegment(segment)))
    return undefined;
  return findRoute(node.parameter, segments, index + 1, method);
}

interface ScopeIndex {
  readonly namespaces: readonly ScopeNamespace[];
  readonly namespaceByName: ReadonlyMap<string, ScopeNamespace>;
  readonly groups: readonly ScopeGroup[];
  readonly groupByName: ReadonlyMap<string, ScopeGroup>;
}

function buildScopeIndex(routes: readonly CatalogRoute[]): ScopeIndex {
  const scoped = routes.filter((route) => route.auth === 'scoped');
  const byName = new Map<
    string,
    {
      group?: string;
      read: boolean;
      write: boolean;
      ops: Map<string, Access>;
      groups: Set<string | undefined>;
    }
  >();
  for (const route of scoped) {
    const entry = byName.get(route.namespace) ?? {
      group: route.group,
      read: false,
      write: false,
      ops: new Map<string, Access>(),
      groups: new Set<string | undefined>(),
    };
    if (route.access === 'read') entry.read = true;
    else entry.write = true;
    // An operation counts as read only if every one of its routes reads.
    if (route.operation !== undefined && entry.ops.get(route.operation) !== 'write') {
      entry.ops.set(route.operation, route.access);
    }
    entry.groups.add(route.group);
    byName.set(route.namespace, entry);
  }
  const namespaces: ScopeNamespace[] = [...byName.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([namespace, entry]) => ({
      namespace,
      ...(entry.group ? { group: entry.group } : {}),
      hasReadRoutes: entry.read,
      hasWriteRoutes: entry.write,
      operations: [...entry.ops.entries()]
        .sort(([a], [b]) => compareCodeUnits(a, b))
        .map(([name, access]) => ({ name, access })),
    }));

  const byGroup = new Map<string, { namespaces: Set<string>; read: boolean }>();
  for (const route of scoped) {
    if (route.group === undefined) continue;
    const entry = byGroup.get(route.group) ?? { namespaces: new Set<string>(), read: false };
    entry.namespaces.add(route.namespace);
    if (route.access === 'read') entry.read = true;
    byGroup.set(route.group, entry);
  }
  const groups: ScopeGroup[] = [...byGroup.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([group, entry]) => {
      const spanned = [...entry.namespaces].sort(compareCodeUnits);
      return {
        group,
        namespaces: spanned,
        // A namespace with routes outside the group is not wholly covered by `group:x`.
        wholeNamespaces: new Set(
          spanned.filter((namespace) => {
            const held = byName.get(namespace)?.groups;
            return held?.size === 1 && held.has(group);
          }),
        ),
        hasReadRoutes: entry.read,
      };
    });

  return {
    namespaces,
    namespaceByName: new Map(namespaces.map((namespace) => [namespace.namespace, namespace])),
    groups,
    groupByName: new Map(groups.map((group) => [group.group, group])),
  };
}
