import { parseScope } from '../scopes/scope-grammar.js';
import type { CatalogError, ParsedCatalogFile, SourcedRoute } from './catalog-errors.js';
import { namespaceProblem, operationProblem } from './catalog-names.js';
import type { HttpMethod } from './catalog-types.js';
import { parsePathTemplate } from './path-template.js';
import { HTTP_METHODS, isHttpMethod, protectedRoute } from './protected-route.js';

const ROUTE_MEMBERS = new Set(['method', 'path', 'namespace', 'operation', 'group', 'description']);
const TOP_MEMBERS = new Set(['routes', 'scopes']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON pointer escaping (RFC 6901). */
const token = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Reads a keygate catalog (`{"routes": [{method, path, namespace, operation?, group?,
 * description?}], "scopes"?: {scope: description}}`) already parsed from its text. Every route
 * error is collected with its JSON pointer; unknown members are errors, so a typo
 * (`"namepsace"`) is caught rather than ignored.
 */
export function parseCatalogJson(
  value: unknown,
  file: string,
): { parsed: ParsedCatalogFile; errors: CatalogError[] } {
  const errors: CatalogError[] = [];
  const routes: SourcedRoute[] = [];
  const scopes: Array<{ scope: string; description: string; at: string }> = [];
  const fail = (at: string, message: string) => errors.push({ file, at, message });
  const parsed = () => ({ parsed: { file, routes, scopes }, errors });

  if (!isRecord(value)) {
    fail('', 'a catalog is an object with "routes" (and optionally "scopes")');
    return parsed();
  }
  for (const key of Object.keys(value)) {
    if (!TOP_MEMBERS.has(key))
      fail(`/${token(key)}`, `unknown member "${key}" (a catalog has "routes" and "scopes")`);
  }
  if (!Array.isArray(value.routes)) fail('/routes', '"routes" must be an array of routes');
  else if (value.routes.length === 0) fail('/routes', 'a catalog lists at least one route');
  else
    value.routes.forEach((route, i) => {
      readRoute(route, `/routes/${i}`);
    });

  if (value.scopes !== undefined) {
    if (!isRecord(value.scopes)) fail('/scopes', '"scopes" must be an object of scope → description');
    else {
      for (const [scope, description] of Object.entries(value.scopes)) {
        const at = `/scopes/${token(scope)}`;
        if (parseScope(scope) === undefined) {
          fail(
            at,
            `malformed scope ${JSON.stringify(scope)}: expected namespace:*, namespace:read or namespace:Operation`,
          );
        } else if (typeof description !== 'string' || description.trim() === '') {
          fail(at, 'a scope description must be a non-empty string');
        } else scopes.push({ scope, description, at });
      }
    }
  }
  return parsed();

  function readRoute(route: unknown, at: string): void {
    if (!isRecord(route)) {
      fail(at, 'a route is an object with "method", "path" and "namespace"');
      return;
    }
    const before = errors.length;
    for (const key of Object.keys(route)) {
      if (!ROUTE_MEMBERS.has(key)) {
        fail(`${at}/${token(key)}`, `unknown member "${key}" (a route has ${[...ROUTE_MEMBERS].join(', ')})`);
      }
    }
    const { method, path, namespace, operation, group, description } = route;
    if (!isHttpMethod(method)) {
      fail(
        `${at}/method`,
        `method must be one of ${HTTP_METHODS.join(', ')} (upper case), not ${JSON.stringify(method)}`,
      );
    }
    const template = parsePathTemplate(path);
    if (!template.ok) fail(`${at}/path`, template.problem);
    const namespaceError = namespaceProblem(namespace, 'namespace');
    if (namespaceError) fail(`${at}/namespace`, namespaceError);
    if (operation !== undefined) {
      // Judge the operation on its own when the namespace is bad, so one mistake gives one error.
      const problem = operationProblem(operation, namespaceError ? 'x' : (namespace as string));
      if (problem) fail(`${at}/operation`, problem);
    }
    if (group !== undefined) {
      const problem = namespaceProblem(group, 'group');
      if (problem) fail(`${at}/group`, problem);
    }
    if (description !== undefined && typeof description !== 'string')
      fail(`${at}/description`, 'description must be a string');
    if (errors.length > before) return;
    routes.push({
      file,
      at,
      route: protectedRoute({
        method: method as HttpMethod,
        path: path as string,
        namespace: namespace as string,
        ...(operation !== undefined ? { operation: operation as string } : {}),
        ...(group !== undefined ? { group: group as string } : {}),
        ...(description !== undefined ? { description: description as string } : {}),
      }),
    });
  }
}
