/**
 * `npm run openapi`: writes the management API's OpenAPI document to `docs/openapi.json` (so a change
 * to the API shows in review as a diff of the document) and the CLI's client types generated from it
 * by openapi-typescript (`cli/generated/openapi.ts`). `npm test` fails while either is stale.
 */
import { writeFile } from 'node:fs/promises';
import { renderOpenApiDocument } from '../shared/adapters/http/openapi/render-openapi-document.js';
import { builtInCatalog } from '../shared/catalogs/built-in-catalog.js';
import { OPENAPI_FILE, OPENAPI_TYPES_FILE, renderClientTypes } from './openapi-files.js';

const document = renderOpenApiDocument(builtInCatalog());
await writeFile(OPENAPI_FILE, document);
await writeFile(OPENAPI_TYPES_FILE, await renderClientTypes(document));
process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\nwrote ${OPENAPI_TYPES_FILE.pathname}\n`);
