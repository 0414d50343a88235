import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_PATH } from '../../../console/server/static-site.js';
import { type CatalogDocument, routeCatalog, toCatalogDocument } from '../../catalogs/catalog-document.js';
import { managementRoutes } from '../../catalogs/management-routes.js';
import { formatCatalogError } from '../../domain/catalog/catalog-errors.js';
import { type CatalogSource, loadCatalog } from '../../domain/catalog/load-catalog.js';
import type { CatalogRoute, RouteCatalog } from '../../domain/catalog/route-catalog.js';
import { CLI_SIGN_IN_PATH } from '../http/cli-sign-in.js';
import { DOCS_PATH, OPENAPI_PATH } from '../http/openapi/docs-site.js';
import { backendOf, backendProblems } from './backends.js';
import {
  type BackendConfig,
  InvalidKeygateConfigError,
  type KeygateConfig,
  parseKeygateConfig,
} from './keygate-config.js';

/**
 * The one loader of a deployment's config and catalog, shared by `cdk synth`/`cdk deploy`
 * (`infra/config.ts` adds the CDK context) and `npm start` (`local/start.ts`): it finds the config
 * file, validates it, reads and validates every catalog file it names, and checks that every
 * namespace has a backend. Every problem is reported at once, naming the file and the place.
 */

/** keygate's own folder: the shipped example catalogs are found from here, wherever `cwd` is. */
const KEYGATE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The catalog a config without `catalog` gets: seed 000's cloud examples and seed 002's PBX table. */
export const DEFAULT_CATALOG_FILES: readonly string[] = [
  resolve(KEYGATE_ROOT, 'catalogs/cloud.json'),
  resolve(KEYGATE_ROOT, 'catalogs/pbx.json'),
];

/** The config file read when none is named (in the working directory; optional). */
/**
 * What keygate serves itself beside the API, locally and in AWS (from CloudFront): the console, the
 * API document and its page, and the sign-in documents under `/.well-known/` (the CLI's, the local
 * issuer's JWKS). No catalog route may sit there; one ending in `/` covers what is below it.
 */
export const KEYGATE_SERVED_PATHS: readonly string[] = [
  CONSOLE_PATH,
  // The page and everything below it: CloudFront sends all of `/docs/*` to the docs bucket.
  `${DOCS_PATH}/`,
  OPENAPI_PATH,
  CLI_SIGN_IN_PATH.slice(0, CLI_SIGN_IN_PATH.lastIndexOf('/') + 1),
];

export const DEFAULT_CONFIG_FILE = 'keygate.config.json';

/** The environment variable naming the config file, for `npm start`, `npm run synth` and `cdk deploy`. */
export const CONFIG_ENV_VAR = 'KEYGATE_CONFIG';

/** A deployment as synth and local mode build it: the config, the catalog, and each route's backend. */
export interface KeygateDeployment {
  readonly config: KeygateConfig;
  /** Where the config came from, for messages: file path(s), `context keygate`, or `defaults`. */
  readonly source: string;
  /** The catalog files read, as absolute paths. */
  readonly catalogFiles: readonly string[];
  /** Whether the config named its own catalog (then every namespace needs a backend). */
  readonly ownCatalog: boolean;
  /** keygate's management routes and the company's protected routes: the one catalog. */
  readonly catalog: RouteCatalog;
  /** The protected routes and scope descriptions as catalog JSON: what the functions are given. */
  readonly catalogDocument: CatalogDocument;
  /** The backend of a protected route (defined for every route of `catalog`: loading checked it). */
  backendOf(route: CatalogRoute): BackendConfig;
}

export interface LoadDeploymentOptions {
  /** Where `keygate.config.json` and a relative `KEYGATE_CONFIG` are looked up; default `process.cwd()`. */
  readonly cwd?: string;
  /** Read for `KEYGATE_CONFIG`; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** A config file named explicitly (CDK's `-c keygate:config=…`); wins over `KEYGATE_CONFIG`. */
  readonly configFile?: string;
  /** Fields laid over the file's, field by field (CDK's `keygate` context object). */
  readonly overlay?: Readonly<Record<string, unknown>>;
  /** Names the overlay in `source`; default `overlay`. */
  readonly overlaySource?: string;
}

/**
 * Finds, reads and validates the config and its catalog: the file named by `configFile`, else by
 * `KEYGATE_CONFIG`, else `keygate.config.json` in `cwd` if there is one (none: every default).
 * A named file that does not exist is an error. Throws `InvalidKeygateConfigError` listing every
 * problem (config fields, catalog files by file and place, namespaces without a backend).
 */
export function loadKeygateDeployment(options: LoadDeploymentOptions = {}): KeygateDeployment {
  const cwd = options.cwd ?? process.cwd();
  const named = options.configFile ?? nonEmpty((options.env ?? process.env)[CONFIG_ENV_VAR]);
  const path = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  const sources: string[] = [];
  let fromFile: Record<string, unknown> = {};
  if (existsSync(path)) {
    fromFile = readJsonObject(readFileSync(path, 'utf8'), path);
    sources.push(path);
  } else if (named !== undefined) {
    throw new InvalidKeygateConfigError(path, ['file not found']);
  }
  if (options.overlay !== undefined) sources.push(options.overlaySource ?? 'overlay');
  return resolveKeygateDeployment(
    { ...fromFile, ...options.overlay },
    {
      source: sources.length > 0 ? sources.join(' + ') : 'defaults',
      baseDir: sources.length > 0 && existsSync(path) ? dirname(path) : cwd,
    },
  );
}

/**
 * Validates a raw config object and loads the catalog it names, relative to `baseDir` (the config
 * file's folder). Throws `InvalidKeygateConfigError` listing every problem.
 */
export function resolveKeygateDeployment(
  raw: unknown,
  options: { readonly source: string; readonly baseDir: string },
): KeygateDeployment {
  // Every problem in one report, so a new config is fixed in one pass: the config's fields, then its
  // catalog (read even when a field is wrong), then the backends, which need both to be sound.
  const problems: string[] = [];
  let config: KeygateConfig | undefined;
  try {
    config = parseKeygateConfig(raw, options.source);
  } catch (error) {
    if (!(error instanceof InvalidKeygateConfigError)) throw error;
    problems.push(...error.issues);
  }
  const named = config ? config.catalog : catalogNamedIn(raw);
  const ownCatalog = named !== undefined;
  const catalogFiles = (named ?? DEFAULT_CATALOG_FILES).map((file) =>
    isAbsolute(file) ? file : resolve(options.baseDir, file),
  );
  const shown = (file: string) => {
    const near = relative(options.baseDir, file);
    return near.startsWith('..') ? file : near;
  };
  const sources: CatalogSource[] = [];
  const missing: string[] = [];
  for (const file of catalogFiles) {
    if (!existsSync(file)) missing.push(`catalog: ${shown(file)}: file not found`);
    else sources.push({ file: shown(file), text: readFileSync(file, 'utf8') });
  }
  problems.push(...missing);
  const loaded =
    missing.length === 0 && catalogFiles.length > 0
      ? loadCatalog(sources, { reserved: managementRoutes(), served: KEYGATE_SERVED_PATHS })
      : undefined;
  if (loaded && !loaded.ok)
    problems.push(...loaded.errors.map((error) => `catalog: ${formatCatalogError(error)}`));
  if (config === undefined || loaded === undefined || !loaded.ok) {
    throw new InvalidKeygateConfigError(options.source, problems);
  }
  const catalog = routeCatalog(loaded.routes, loaded.scopeDescriptions);
  const backendOptions = { echoByDefault: !ownCatalog };
  const backendIssues = backendProblems(config, catalog, backendOptions);
  if (backendIssues.length > 0) throw new InvalidKeygateConfigError(options.source, backendIssues);
  const sound: KeygateConfig = config; // narrowed for the closure below
  return {
    config,
    source: options.source,
    catalogFiles,
    ownCatalog,
    catalog,
    catalogDocument: toCatalogDocument(loaded.routes, loaded.scopeDescriptions),
    backendOf(route) {
      const backend = backendOf(sound, route, backendOptions);
      if (backend === undefined) throw new Error(`no backend for ${route.id}`);
      return backend;
    },
  };
}

/**
 * The catalog files a config that failed validation names, where that part of it is sound: a list of
 * file names; undefined (the shipped examples) when it names none, and none at all when `catalog`
 * itself is malformed (its own problem is already reported).
 */
function catalogNamedIn(raw: unknown): readonly string[] | undefined {
  const catalog = (raw as { catalog?: unknown } | null | undefined)?.catalog;
  if (catalog === undefined) return undefined;
  const sound =
    Array.isArray(catalog) &&
    catalog.length > 0 &&
    catalog.every((file) => typeof file === 'string' && file.trim() !== '');
  return sound ? catalog.map((file: string) => file.trim()) : [];
}

const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function readJsonObject(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidKeygateConfigError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidKeygateConfigError(source, ['must be a JSON object']);
  }
  return value as Record<string, unknown>;
}
