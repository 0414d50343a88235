import type { CatalogRoute, HttpMethod } from './catalog-types.js';
import { accessOf } from './route-catalog.js';

/** The methods a catalog route may have. */
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export const isHttpMethod = (method: unknown): method is HttpMethod =>
  typeof method === 'string' && (HTTP_METHODS as readonly string[]).includes(method);

/** What a catalog file says about one route of the company's API. */
export interface RouteFields {
  readonly method: HttpMethod;
  readonly path: string;
  readonly namespace: string;
  readonly operation?: string;
  readonly group?: string;
  readonly description?: string;
}

/**
 * A company route as the catalog model holds it, exactly as the shipped tables build theirs: id
 * `METHOD path`, access from the method, protected and scoped; absent fields left out.
 */
export function protectedRoute(fields: RouteFields): CatalogRoute {
  return {
    id: `${fields.method} ${fields.path}`,
    method: fields.method,
    path: fields.path,
    namespace: fields.namespace,
    ...(fields.operation !== undefined ? { operation: fields.operation } : {}),
    access: accessOf(fields.method),
    ...(fields.group !== undefined ? { group: fields.group } : {}),
    kind: 'protected',
    auth: 'scoped',
    ...(fields.description !== undefined ? { description: fields.description } : {}),
  };
}
