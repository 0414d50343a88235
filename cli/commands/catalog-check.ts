import { readFile } from 'node:fs/promises';
import { MANAGEMENT_ROUTES } from '../../shared/catalogs/management-routes.js';
import { formatCatalogError } from '../../shared/domain/catalog/catalog-errors.js';
import type { CatalogRoute } from '../../shared/domain/catalog/catalog-types.js';
import { type CatalogSource, loadCatalog } from '../../shared/domain/catalog/load-catalog.js';
import { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { describeScopeCatalog } from '../../shared/domain/scopes/scope-presentation.js';
import type { CommandInput } from '../command-table.js';
import { CheckFailedError, UsageError } from '../errors.js';
import { printJson, printTable } from '../output.js';

/**
 * `keygate catalog check FILE… [--json]`: loads catalog files offline with the loader the stack and
 * local mode use (keygate catalog JSON, or OpenAPI 3.0/3.1 in JSON or YAML; several files are merged
 * and checked against each other and against keygate's own routes). Valid: a summary on stdout,
 * exit 0. Invalid: every error, by file and place, on stderr (or in the `--json` document), exit 1.
 */

/** keygate's management routes: a catalog may not claim them (namespace `apikeys`, their paths). */
const RESERVED: readonly CatalogRoute[] = MANAGEMENT_ROUTES.map((route) => ({
  id: `${route.method} ${route.path}`,
  ...route,
}));

export async function run({ args: files, options }: CommandInput): Promise<void> {
  const sources: CatalogSource[] = [];
  for (const file of files) sources.push({ file, text: await readText(file) });
  const result = loadCatalog(sources, { reserved: RESERVED });
  if (!result.ok) {
    if (options.json) printJson({ valid: false, files, errors: result.errors });
    else for (const error of result.errors) process.stderr.write(`${formatCatalogError(error)}\n`);
    const count = result.errors.length;
    throw new CheckFailedError(
      `not a valid catalog: ${count} error${count === 1 ? '' : 's'} in ${files.join(', ')}.`,
    );
  }
  const catalog = new RouteCatalog(result.routes);
  const described = describeScopeCatalog(catalog);
  const namespaces = catalog.namespaces().map(({ namespace, group }) => ({
    namespace,
    ...(group ? { group } : {}),
    routes: result.routes.filter((route) => route.namespace === namespace).length,
    scopes: described.scopes
      .filter(({ scope }) => scope.startsWith(`${namespace}:`))
      .map(({ scope }) => scope),
  }));
  const summary = {
    valid: true,
    files,
    routes: result.routes.length,
    namespaces,
    groups: described.groups.map(({ group, namespaces: members }) => ({ group, namespaces: members })),
    scopes: described.scopes.map(({ scope }) => scope),
  };
  if (options.json) return printJson(summary);
  printTable(
    ['NAMESPACE', 'GROUP', 'ROUTES', 'SCOPES'],
    namespaces.map((n) => [n.namespace, n.group, String(n.routes), String(n.scopes.length)]),
  );
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const groups = summary.groups.length > 0 ? ` and ${plural(summary.groups.length, 'group')}` : '';
  process.stdout.write(
    `Valid: ${plural(summary.routes, 'route')} in ${plural(namespaces.length, 'namespace')}${groups}; keys may hold ${plural(summary.scopes.length, 'scope')}.\n`,
  );
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}${code === 'ENOENT' ? ': no such file' : ` (${code})`}.`);
  }
}
