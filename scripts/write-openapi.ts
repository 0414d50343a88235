/**
 * `npm run openapi`: writes the management API's OpenAPI document to `docs/openapi.json` (so a change
 * to the API shows in review as a diff of the document) and the CLI's client types generated from it
 * by openapi-typescript (`cli/generated/openapi.ts`). `npm test` fails while either is stale.
 */
import { writeFile } from 'node:fs/promises';
import { resolveKeygateDeployment } from '../shared/adapters/config/keygate-deployment.js';
import { renderOpenApiDocument } from '../shared/adapters/http/openapi/render-openapi-document.js';
import { OPENAPI_FILE, OPENAPI_TYPES_FILE, renderClientTypes } from './openapi-files.js';

// The shipped catalog, whatever keygate.config.json says: the committed document must not vary.
const { catalog } = resolveKeygateDeployment({}, { source: 'defaults', baseDir: process.cwd() });
const document = renderOpenApiDocument(catalog);
await writeFile(OPENAPI_FILE, document);
await writeFile(OPENAPI_TYPES_FILE, await renderClientTypes(document));
process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\nwrote ${OPENAPI_TYPES_FILE.pathname}\n`);
