import type { CatalogRoute } from './catalog-types.js';

/**
 * One problem found while loading catalog files. `at` names the place: a JSON pointer in a keygate
 * catalog (`/routes/3/path`), the operation in an OpenAPI document (`paths./a/{b}.get`), or a
 * line and column when the text does not parse. `also` names the other side of a clash.
 */
export interface CatalogError {
  readonly file: string;
  readonly at: string;
  readonly message: string;
  readonly also?: { readonly file: string; readonly at: string };
}

/** Where a route came from, so cross-route errors can name both sides. */
export interface SourcedRoute {
  readonly route: CatalogRoute;
  readonly file: string;
  readonly at: string;
}

/** One file's routes and scope descriptions, before cross-route validation. */
export interface ParsedCatalogFile {
  readonly file: string;
  readonly routes: readonly SourcedRoute[];
  /** Descriptions the file gives to scopes (`ns:read` → "View …"), with where each was given. */
  readonly scopes: ReadonlyArray<{
    readonly scope: string;
    readonly description: string;
    readonly at: string;
  }>;
}

/** The outcome of loading: the routes, or every error found (loading never stops at the first). */
export type CatalogLoadResult =
  | {
      readonly ok: true;
      /** Protected routes in file order, then document order. */
      readonly routes: readonly CatalogRoute[];
      /** Scope descriptions the files gave, for `GET /v1/scopes`. */
      readonly scopeDescriptions: ReadonlyMap<string, string>;
    }
  | { readonly ok: false; readonly errors: readonly CatalogError[] };

/** `file: at: message (see other: at)`, one line, for a terminal or a synth failure. */
export function formatCatalogError(error: CatalogError): string {
  const also = error.also ? ` (see ${error.also.file}: ${error.also.at})` : '';
  return `${error.file}: ${error.at}: ${error.message}${also}`;
}
