import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogDocument } from '../shared/catalogs/catalog-document.js';

/**
 * Writes the loaded catalog, as compact catalog JSON, to a file named by its content, for the
 * functions' bundling to copy beside each handler (`catalog.json`). A file rather than an esbuild
 * `define`: CDK passes defines on one shell command line, which a 1,000-route catalog would
 * overflow; and rather than an environment variable, which Lambda caps at 4 KB in all.
 */
export function writeCatalogAsset(document: CatalogDocument): string {
  const text = JSON.stringify(document);
  const dir = join(tmpdir(), 'keygate-catalog');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.json`);
  writeFileSync(path, text);
  return path;
}
