import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_NAMES, type KeygateFunctionName } from '../../functions/registry.js';
import { keygateEsbuildOptions } from '../../infra/constructs/keygate-function.js';
import { BUNDLED_CATALOG_FILE } from '../../shared/catalogs/bundled-catalog.js';
import { SHIPPED } from '../support/catalog.js';

/**
 * Builds keygate's Lambda bundles exactly as the stack does (`keygateEsbuildOptions` from the function
 * construct: ESM, minified, node22 target, source maps, AWS SDK bundled) and the floor bundle with the
 * very same options, and reads their sizes and largest contributors from esbuild's metafile.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLOOR_ENTRY = fileURLToPath(new URL('./floor-handler.ts', import.meta.url));

/** The name under which the floor bundle is reported. */
export const FLOOR = 'floor (DynamoDBClient + 1 GetItem)';

/**
 * Every function the registry lists, as the stack deploys them; throws when the folders under
 * `functions/` with a `handler.ts` are not exactly those (a function added in one place only).
 */
export function functionNames(): KeygateFunctionName[] {
  const dir = join(REPO_ROOT, 'functions');
  const folders = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .filter((name) => statSync(join(dir, name, 'handler.ts'), { throwIfNoEntry: false })?.isFile())
    .sort();
  const registered = [...FUNCTION_NAMES].sort();
  if (JSON.stringify(folders) !== JSON.stringify(registered)) {
    throw new Error(
      `functions/ folders ${folders.join(', ')} differ from the registry: ${registered.join(', ')}`,
    );
  }
  return registered;
}

export interface Contributor {
  /** npm package (`zod`, `@aws-sdk/core`) or `keygate` for the repository's own code. */
  name: string;
  bytes: number;
}

export interface BundleReport {
  name: string;
  outfile: string;
  /** Bytes of the minified `.mjs` (what Node loads and parses at cold start). */
  bytes: number;
  /** Bytes of its source map (deployed beside it; read only for stack traces). */
  mapBytes: number;
  /** Bytes in the output per package, largest first. */
  contributors: Contributor[];
}

/** Builds one function's bundle (or the floor, for `FLOOR`) into `outDir`. */
export async function buildBundle(
  name: KeygateFunctionName | typeof FLOOR,
  outDir: string,
): Promise<BundleReport> {
  const isFloor = name === FLOOR;
  const outfile = join(outDir, `${isFloor ? 'floor' : name}.mjs`);
  // The floor borrows a function's options and swaps only the entry point: same settings, by construction.
  const options = keygateEsbuildOptions(isFloor ? 'authorizer' : name, outfile);
  const result = await build({
    ...options,
    ...(isFloor ? { entryPoints: [FLOOR_ENTRY] } : {}),
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
  });
  return {
    name,
    outfile,
    bytes: statSync(outfile).size,
    mapBytes: statSync(`${outfile}.map`, { throwIfNoEntry: false })?.size ?? 0,
    contributors: contributorsOf(outputOf(result.metafile, outfile)),
  };
}

/**
 * Builds the floor and every function, in parallel (esbuild is fast: a few seconds in all), with the
 * shipped catalog beside them as `catalog.json`, as synth ships it, so the bundles load.
 */
export async function buildAllBundles(
  outDir: string,
): Promise<{ floor: BundleReport; functions: BundleReport[] }> {
  writeFileSync(join(outDir, BUNDLED_CATALOG_FILE), JSON.stringify(SHIPPED.catalogDocument));
  const [floor, ...functions] = await Promise.all([
    buildBundle(FLOOR, outDir),
    ...functionNames().map((name) => buildBundle(name, outDir)),
  ]);
  return { floor: floor as BundleReport, functions };
}

/** The metafile's entry for `outfile` (metafile paths are relative to the working directory). */
function outputOf(metafile: Metafile, outfile: string): Metafile['outputs'][string] {
  const found = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`/${basename(outfile)}`));
  if (!found) throw new Error(`esbuild wrote no ${basename(outfile)}`);
  return found[1];
}

/** Output bytes grouped by npm package (the last `node_modules/` segment), own code as `keygate`. */
function contributorsOf(output: Metafile['outputs'][string]): Contributor[] {
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = inPackage?.[1] ?? 'keygate';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .filter((contributor) => contributor.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}
