import type { RouteCatalog } from '../../../domain/catalog/route-catalog.js';
import { buildOpenApiDocument } from './build-openapi-document.js';

/** The document as `docs/openapi.json` holds it and `GET /v1/openapi.json` serves it: 2-space JSON and a newline. */
export function renderOpenApiDocument(catalog: RouteCatalog): string {
  return `${JSON.stringify(buildOpenApiDocument(catalog), null, 2)}\n`;
}
