import type { CatalogError, CatalogLoadResult, ParsedCatalogFile } from './catalog-errors.js';
import type { CatalogRoute } from './catalog-types.js';
import { parseCatalogJson } from './parse-catalog-json.js';
import { parseOpenApi } from './parse-openapi.js';
import { readStructuredText } from './read-structured-text.js';
import { validateCatalog } from './validate-catalog.js';

/** One catalog file as the caller read it: its name (for errors) and its text. */
export interface CatalogSource {
  readonly file: string;
  readonly text: string;
}

/**
 * Loads catalog files into one list of protected routes: each text is JSON or YAML, a document with
 * `openapi` is read as OpenAPI 3.0/3.1 and any other as a keygate catalog. Every error of every
 * file is collected, then routes are checked against each other and against `reserved` (keygate's
 * own management routes), so a clash across files names both. Pure: no file system.
 */
export function loadCatalog(
  sources: readonly CatalogSource[],
  options: {
    readonly reserved?: readonly CatalogRoute[];
    /** Paths keygate serves itself beside the API (`validateCatalog`'s `served`). */
    readonly served?: readonly string[];
  } = {},
): CatalogLoadResult {
  const errors: CatalogError[] = [];
  const files: ParsedCatalogFile[] = [];
  for (const { file, text } of sources) {
    const read = readStructuredText(text);
    if (!read.ok) {
      errors.push(...read.errors.map(({ at, message }) => ({ file, at, message })));
      continue;
    }
    const value = read.value as Record<string, unknown> | null;
    if (typeof value === 'object' && value !== null && 'swagger' in value) {
      errors.push({
        file,
        at: 'swagger',
        message: 'Swagger 2.0 is not read: convert the document to OpenAPI 3',
      });
      continue;
    }
    const isOpenApi = typeof value === 'object' && value !== null && 'openapi' in value;
    const { parsed, errors: fileErrors } = isOpenApi
      ? parseOpenApi(value, file)
      : parseCatalogJson(value, file);
    errors.push(...fileErrors);
    files.push(parsed);
  }
  errors.push(...validateCatalog(files, options.reserved, options.served));
  if (errors.length > 0) return { ok: false, errors };
  const scopeDescriptions = new Map(
    files.flatMap((file) => file.scopes.map(({ scope, description }) => [scope, description] as const)),
  );
  return {
    ok: true,
    routes: files.flatMap((file) => file.routes.map((source) => source.route)),
    scopeDescriptions,
  };
}
