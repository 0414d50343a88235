import { formatCatalogError } from '../domain/catalog/catalog-errors.js';
import type { CatalogRoute } from '../domain/catalog/catalog-types.js';
import { parseCatalogJson } from '../domain/catalog/parse-catalog-json.js';
import type { RouteFields } from '../domain/catalog/protected-route.js';
import { RouteCatalog } from '../domain/catalog/route-catalog.js';
import { managementRoutes } from './management-routes.js';

/**
 * The loaded catalog as data, in keygate's catalog JSON format (`{routes, scopes?}`): what synth
 * bundles into every function (`catalog.json` beside the handler) and what local mode hands its
 * functions. One format and one parser (`parseCatalogJson`) for the files an operator writes and
 * for the copy the functions read, and no YAML parser in any function.
 */
export interface CatalogDocument {
  readonly routes: ReadonlyArray<RouteFields>;
  readonly scopes?: Readonly<Record<string, string>>;
}

/** The catalog JSON document of loaded protected routes and their scope descriptions. */
export function toCatalogDocument(
  routes: readonly CatalogRoute[],
  scopeDescriptions: ReadonlyMap<string, string> = new Map(),
): CatalogDocument {
  return {
    routes: routes
      .filter((route) => route.kind === 'protected')
      .map((route) => ({
        method: route.method,
        path: route.path,
        namespace: route.namespace,
        ...(route.operation !== undefined ? { operation: route.operation } : {}),
        ...(route.group !== undefined ? { group: route.group } : {}),
        ...(route.description !== undefined ? { description: route.description } : {}),
      })),
    ...(scopeDescriptions.size > 0 ? { scopes: Object.fromEntries(scopeDescriptions) } : {}),
  };
}

/** keygate's management routes plus the company's `routes`: the one catalog every part uses. */
export function routeCatalog(
  routes: readonly CatalogRoute[],
  scopeDescriptions: ReadonlyMap<string, string> = new Map(),
): RouteCatalog {
  return new RouteCatalog([...managementRoutes(), ...routes], { scopeDescriptions });
}

/**
 * The catalog from a document synth wrote (already validated then). Throws, naming `file` and
 * each problem, if the document is not a catalog: a function must not start with a wrong one.
 */
export function catalogFromDocument(value: unknown, file: string): RouteCatalog {
  const { parsed, errors } = parseCatalogJson(value, file);
  if (errors.length > 0) {
    throw new Error(`not a keygate catalog:\n${errors.map(formatCatalogError).join('\n')}`);
  }
  return routeCatalog(
    parsed.routes.map((source) => source.route),
    new Map(parsed.scopes.map(({ scope, description }) => [scope, description])),
  );
}
