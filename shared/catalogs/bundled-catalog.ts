import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteCatalog } from '../domain/catalog/route-catalog.js';
import { catalogFromDocument } from './catalog-document.js';

/** The file synth copies beside every function's bundle (`infra/constructs/keygate-function.ts`). */
export const BUNDLED_CATALOG_FILE = 'catalog.json';

/**
 * The catalog a Lambda was deployed with: `catalog.json` beside its bundle, read once at cold
 * start. `moduleUrl` is the handler's `import.meta.url` (in the bundle: the bundle's own file).
 * A missing or malformed file throws, so the function never decides anything without its catalog.
 */
export function bundledCatalog(moduleUrl: string): RouteCatalog {
  const path = fileURLToPath(new URL(BUNDLED_CATALOG_FILE, moduleUrl));
  return catalogFromDocument(JSON.parse(readFileSync(path, 'utf8')), path);
}
