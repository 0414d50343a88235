import { stringify } from 'yaml';
import { KEYGATE_SERVED_PATHS } from '../../../shared/adapters/config/keygate-deployment.js';
import { MANAGEMENT_ROUTES } from '../../../shared/catalogs/management-routes.js';
import { formatCatalogError } from '../../../shared/domain/catalog/catalog-errors.js';
import type { CatalogRoute } from '../../../shared/domain/catalog/catalog-types.js';
import { type CatalogSource, loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';

/** keygate's management routes, as the composition roots will pass them as `reserved`. */
export const RESERVED: readonly CatalogRoute[] = MANAGEMENT_ROUTES.map((route) => ({
  id: `${route.method} ${route.path}`,
  ...route,
}));

/** A route as a keygate catalog file writes it. */
export function catalogRow(route: CatalogRoute): Record<string, string> {
  return {
    method: route.method,
    path: route.path,
    namespace: route.namespace,
    ...(route.operation !== undefined ? { operation: route.operation } : {}),
    ...(route.group !== undefined ? { group: route.group } : {}),
    ...(route.description !== undefined ? { description: route.description } : {}),
  };
}

/** Routes as keygate catalog JSON text. */
export const toCatalogJson = (routes: readonly CatalogRoute[]) =>
  JSON.stringify({ routes: routes.map(catalogRow) }, null, 2);

/**
 * Routes as an OpenAPI 3.1 document: the first route's namespace at the root (routes of that
 * namespace rely on it unless `onItem` puts theirs on the path item), the others on the operation.
 */
export function toOpenApi(routes: readonly CatalogRoute[], onItem: (i: number) => boolean = () => false) {
  const rootNamespace = routes[0]?.namespace;
  const paths: Record<string, Record<string, unknown>> = {};
  routes.forEach((route, i) => {
    const item = paths[route.path] ?? {};
    const operation: Record<string, unknown> = {};
    if (route.namespace !== rootNamespace) operation['x-keygate-namespace'] = route.namespace;
    else if (onItem(i)) item['x-keygate-namespace'] = route.namespace;
    if (route.group !== undefined) operation['x-keygate-group'] = route.group;
    if (route.operation !== undefined) operation.operationId = route.operation;
    if (route.description !== undefined) operation.summary = route.description;
    operation.responses = { '200': { description: 'OK' } };
    item[route.method.toLowerCase()] = operation;
    paths[route.path] = item;
  });
  return {
    openapi: '3.1.0',
    info: { title: 'generated', version: '1' },
    ...(rootNamespace !== undefined ? { 'x-keygate-namespace': rootNamespace } : {}),
    paths,
  };
}

export const toYaml = (value: unknown) => stringify(value);

/** Loads sources and returns the formatted errors (empty when the load succeeded). */
export function errorsOf(sources: readonly CatalogSource[]): string[] {
  const result = loadCatalog(sources, { reserved: RESERVED, served: KEYGATE_SERVED_PATHS });
  return result.ok ? [] : result.errors.map(formatCatalogError);
}

/** Loads one catalog JSON value. */
export const jsonErrors = (value: unknown, file = 'c.json') =>
  errorsOf([{ file, text: JSON.stringify(value) }]);
