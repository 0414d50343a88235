import type { CatalogRoute } from '../../shared/domain/catalog/route-catalog.js';
import { scopesCoverRoute } from '../../shared/domain/scopes/scope-coverage.js';
import { describeScopeCatalog } from '../../shared/domain/scopes/scope-presentation.js';
import { CATALOG } from './catalog.js';

/** The shipped catalog's route a request matches; throws when none does, so a test cannot pass on undefined. */
export function catalogRoute(method: string, path: string): CatalogRoute {
  const matched = CATALOG.match(method, path);
  if (!matched) throw new Error(`no catalog route for ${method} ${path}`);
  return matched.route;
}

/** Every scope a key may hold in the shipped catalog. */
export const ALL_SCOPES = describeScopeCatalog(CATALOG).scopes.map((entry) => entry.scope);

/** The routes of the shipped catalog a key with these scopes may call, as ids. */
export const coveredRoutes = (scopes: readonly string[]): string[] =>
  CATALOG.routes.filter((r) => scopesCoverRoute(scopes, r)).map((r) => r.id);
