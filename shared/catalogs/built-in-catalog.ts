import type { CatalogRoute } from '../domain/catalog/catalog-types.js';
import { accessOf, RouteCatalog } from '../domain/catalog/route-catalog.js';
import { CLOUD_ROUTES, type RouteInput } from './cloud-routes.js';
import { MANAGEMENT_ROUTES } from './management-routes.js';
import { PBX_SCOPE_SECTIONS } from './pbx-routes.js';

/**
 * The catalog keygate ships: keygate's management API, the cloud examples of seed 000 and the PBX
 * API of seed 002, as route tables (issue 10 turns them into data files with a loader). Only
 * composition roots call this — the functions' handlers, the CDK app, local mode and tests — and
 * pass the catalog on to whatever needs it.
 */
export function builtInCatalog(): RouteCatalog {
  return new RouteCatalog([...MANAGEMENT_ROUTES.map(withId), ...CLOUD_ROUTES.map(withId), ...pbxRoutes()]);
}

function withId(route: RouteInput): CatalogRoute {
  return { id: `${route.method} ${route.path}`, ...route };
}

/** Builds the routes of the PBX table: namespace from the scope, access from the method, group `pbx`. */
function pbxRoutes(): CatalogRoute[] {
  return PBX_SCOPE_SECTIONS.flatMap((section) => {
    const namespace = section.scope.split(':')[0] as string;
    return section.routes.map(([method, path]) =>
      withId({
        method,
        path,
        namespace,
        access: accessOf(method),
        group: 'pbx',
        kind: 'protected',
        auth: 'scoped',
        description: section.description,
      }),
    );
  });
}
