import type { CatalogError, ParsedCatalogFile, SourcedRoute } from './catalog-errors.js';
import { namespaceProblem, operationProblem } from './catalog-names.js';
import type { HttpMethod } from './catalog-types.js';
import { operationNameOf } from './operation-name.js';
import { parsePathTemplate } from './path-template.js';
import { protectedRoute } from './protected-route.js';

const NAMESPACE_KEY = 'x-keygate-namespace';
const GROUP_KEY = 'x-keygate-group';
/** On an operation: the scope operation name, verbatim, instead of the one derived from operationId. */
const OPERATION_KEY = 'x-keygate-operation';
/** At the root: a literal prefix for every path (see {@link parseOpenApi} on `servers`). */
const BASE_PATH_KEY = 'x-keygate-base-path';

const OPERATION_METHODS: ReadonlyArray<readonly [string, HttpMethod | undefined]> = [
  ['get', 'GET'],
  ['put', 'PUT'],
  ['post', 'POST'],
  ['delete', 'DELETE'],
  ['options', undefined],
  ['head', 'HEAD'],
  ['patch', 'PATCH'],
  ['trace', undefined],
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads an OpenAPI 3.0 or 3.1 document (already parsed from JSON or YAML): every operation is a
 * route. Namespace from `x-keygate-namespace` on the operation, else its path item, else the
 * document root; group from `x-keygate-group`, looked up the same way; operation name from
 * `operationId` (made PascalCase, see operation-name.ts) unless `x-keygate-operation` names it;
 * description from `summary`. Places are named `paths./a/{b}.get`.
 *
 * `servers` are not read: their URLs name the API's own host (often several, with variables), not
 * the path clients send to keygate, and guessing a prefix from them would move every route
 * silently. Paths are matched as written in `paths`; a document whose clients call a prefix (e.g.
 * `/v2`) says so with `x-keygate-base-path: /v2` at the root, and the backend's base URL in the
 * config carries the backend's own base path.
 */
export function parseOpenApi(
  value: unknown,
  file: string,
): { parsed: ParsedCatalogFile; errors: CatalogError[] } {
  const errors: CatalogError[] = [];
  const routes: SourcedRoute[] = [];
  const fail = (at: string, message: string) => errors.push({ file, at, message });
  const done = () => ({ parsed: { file, routes, scopes: [] }, errors });

  if (!isRecord(value)) {
    fail('', 'an OpenAPI document is an object');
    return done();
  }
  const root: Record<string, unknown> = value;
  if (typeof value.openapi !== 'string' || !/^3\.[01]\.\d+$/.test(value.openapi)) {
    fail(
      'openapi',
      `only OpenAPI 3.0 and 3.1 are read, not ${JSON.stringify(value.openapi ?? value.swagger)}`,
    );
    return done();
  }
  const basePath = readBasePath(value[BASE_PATH_KEY]);
  if (!isRecord(value.paths) || Object.keys(value.paths).length === 0) {
    fail('paths', 'the document has no paths, so no routes');
    return done();
  }
  const rootNamespace = value[NAMESPACE_KEY];
  const rootGroup = value[GROUP_KEY];
  if (rootNamespace !== undefined) checkName(rootNamespace, 'namespace', NAMESPACE_KEY);
  if (rootGroup !== undefined) checkName(rootGroup, 'group', GROUP_KEY);
  // Operation names already used per namespace, so two operationIds that become one name are caught.
  const names = new Map<string, { operationId: string; at: string }>();

  for (const [pathKey, rawItem] of Object.entries(value.paths)) {
    const itemAt = `paths.${pathKey}`;
    const item = resolvePathItem(rawItem, value, itemAt);
    if (item === undefined) continue;
    const template = parsePathTemplate(pathKey);
    if (!template.ok) {
      fail(itemAt, template.problem);
      continue;
    }
    if (item[NAMESPACE_KEY] !== undefined)
      checkName(item[NAMESPACE_KEY], 'namespace', `${itemAt}.${NAMESPACE_KEY}`);
    if (item[GROUP_KEY] !== undefined) checkName(item[GROUP_KEY], 'group', `${itemAt}.${GROUP_KEY}`);
    for (const [key, method] of OPERATION_METHODS) {
      const operation = item[key];
      if (operation === undefined) continue;
      const at = `${itemAt}.${key}`;
      if (method === undefined) {
        fail(
          at,
          `${key.toUpperCase()} operations are not supported (keygate routes GET, HEAD, POST, PUT, PATCH and DELETE)`,
        );
        continue;
      }
      if (!isRecord(operation)) {
        fail(at, 'an operation is an object');
        continue;
      }
      readOperation(operation, method, `${basePath ?? ''}${pathKey}`, item, at);
    }
  }
  return done();

  function readBasePath(raw: unknown): string | undefined {
    if (raw === undefined) return undefined;
    const template = parsePathTemplate(raw);
    if (!template.ok || template.segments.some((segment) => 'parameter' in segment) || raw === '/') {
      fail(
        BASE_PATH_KEY,
        `${BASE_PATH_KEY} must be literal segments such as /v2 (${template.ok ? 'no parameters' : template.problem})`,
      );
      return undefined;
    }
    return (raw as string).replace(/\/$/, '');
  }

  function checkName(name: unknown, what: 'namespace' | 'group', at: string): void {
    const problem = namespaceProblem(name, what);
    if (problem) fail(at, problem);
  }

  /** A path item, following a local `$ref` (3.1 allows one to `#/components/pathItems/…`). */
  function resolvePathItem(
    raw: unknown,
    root: Record<string, unknown>,
    at: string,
  ): Record<string, unknown> | undefined {
    if (!isRecord(raw)) {
      fail(at, 'a path item is an object');
      return undefined;
    }
    if (raw.$ref === undefined) return raw;
    if (typeof raw.$ref !== 'string' || !raw.$ref.startsWith('#/')) {
      fail(`${at}.$ref`, 'only local $refs (#/…) are read; bundle the document first');
      return undefined;
    }
    let target: unknown = root;
    for (const part of raw.$ref.slice(2).split('/')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isRecord(target) ? target[key] : undefined;
    }
    if (!isRecord(target)) {
      fail(`${at}.$ref`, `$ref ${JSON.stringify(raw.$ref)} does not name a path item in this document`);
      return undefined;
    }
    // Fields beside the $ref (3.1: summary, description) do not hold operations; the target's win.
    return { ...raw, ...target };
  }

  function readOperation(
    operation: Record<string, unknown>,
    method: HttpMethod,
    path: string,
    item: Record<string, unknown>,
    at: string,
  ): void {
    const lookUp = (key: string) => operation[key] ?? item[key] ?? root[key];
    const namespace = lookUp(NAMESPACE_KEY);
    const group = lookUp(GROUP_KEY);
    if (namespace === undefined) {
      fail(at, `no namespace: set ${NAMESPACE_KEY} on the operation, its path item or the document root`);
      return;
    }
    // Names set on the path item or root were checked once there; an operation's own are checked here.
    if (operation[NAMESPACE_KEY] !== undefined) checkName(namespace, 'namespace', `${at}.${NAMESPACE_KEY}`);
    if (operation[GROUP_KEY] !== undefined) checkName(group, 'group', `${at}.${GROUP_KEY}`);
    if (namespaceProblem(namespace, 'namespace') || (group !== undefined && namespaceProblem(group, 'group')))
      return;
    const ns = namespace as string;

    let name: string | undefined;
    if (operation[OPERATION_KEY] !== undefined) {
      const problem = operationProblem(operation[OPERATION_KEY], ns);
      if (problem) return void fail(`${at}.${OPERATION_KEY}`, problem);
      name = operation[OPERATION_KEY] as string;
    } else if (operation.operationId !== undefined) {
      if (typeof operation.operationId !== 'string')
        return void fail(`${at}.operationId`, 'operationId must be a string');
      const derived = operationNameOf(operation.operationId, ns);
      if (!derived.ok)
        return void fail(`${at}.operationId`, `${derived.problem}; name it with ${OPERATION_KEY}`);
      name = derived.name;
      const key = `${ns}:${name}`;
      const earlier = names.get(key);
      if (earlier && earlier.operationId !== operation.operationId) {
        errors.push({
          file,
          at: `${at}.operationId`,
          message: `operationIds ${JSON.stringify(earlier.operationId)} and ${JSON.stringify(operation.operationId)} both become the scope ${key}; name one with ${OPERATION_KEY}`,
          also: { file, at: earlier.at },
        });
        return;
      }
      names.set(key, { operationId: operation.operationId, at: `${at}.operationId` });
    }
    const summary = operation.summary;
    if (summary !== undefined && typeof summary !== 'string')
      return void fail(`${at}.summary`, 'summary must be a string');
    routes.push({
      file,
      at,
      route: protectedRoute({
        method,
        path,
        namespace: ns,
        ...(name !== undefined ? { operation: name } : {}),
        ...(group !== undefined ? { group: group as string } : {}),
        ...(summary !== undefined && summary.trim() !== '' ? { description: summary.trim() } : {}),
      }),
    });
  }
}
