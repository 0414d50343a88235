import { resolveKeygateDeployment } from '../../shared/adapters/config/keygate-deployment.js';

/**
 * The shipped catalog (`catalogs/cloud.json` + `catalogs/pbx.json` and keygate's own routes), loaded
 * by the very loader synth and `npm start` use, once per test file.
 */
export const SHIPPED = resolveKeygateDeployment({}, { source: 'test', baseDir: process.cwd() });
export const CATALOG = SHIPPED.catalog;

/**
 * Seed 002's PBX table as its sections (one scope, what it grants, its routes), read back from
 * `catalogs/pbx.json`: each route's scope is its namespace's `:read` (GET/HEAD) or `:*`.
 */
export const PBX_SCOPE_SECTIONS: ReadonlyArray<{
  readonly scope: string;
  readonly description: string;
  readonly routes: ReadonlyArray<readonly [string, string]>;
}> = (() => {
  const sections = new Map<string, { scope: string; description: string; routes: Array<[string, string]> }>();
  for (const route of SHIPPED.catalogDocument.routes) {
    if (route.group !== 'pbx') continue;
    const scope = `${route.namespace}:${route.method === 'GET' || route.method === 'HEAD' ? 'read' : '*'}`;
    const section = sections.get(scope) ?? { scope, description: route.description ?? '', routes: [] };
    section.routes.push([route.method, route.path]);
    sections.set(scope, section);
  }
  return [...sections.values()];
})();
