/**
 * `npm run openapi`: writes the management API's OpenAPI document to `docs/openapi.json`, so a change
 * to the API shows in review as a diff of the document. `npm test` fails while the file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { renderOpenApiDocument } from '../shared/api/openapi/render-openapi-document.js';
import { CATALOG } from '../shared/catalog/catalog.js';

export const OPENAPI_FILE = new URL('../docs/openapi.json', import.meta.url);

await writeFile(OPENAPI_FILE, renderOpenApiDocument(CATALOG));
process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`);
