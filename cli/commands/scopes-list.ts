import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { printJson, printTable } from '../output.js';

/** `keygate scopes list [--search TEXT] [--json]`: scopes, filtered case-insensitively by name or description. */
export async function run({ options }: CommandInput): Promise<void> {
  const { client } = await connect();
  const catalog = answer(await client.GET('/v1/scopes'));
  const search = typeof options.search === 'string' ? options.search.toLowerCase() : undefined;
  const scopes = search
    ? catalog.scopes.filter(
        ({ scope, description }) =>
          scope.toLowerCase().includes(search) || description.toLowerCase().includes(search),
      )
    : catalog.scopes;
  if (options.json) return printJson(scopes);
  if (scopes.length === 0) {
    process.stderr.write(`No scope matches "${options.search}".\n`);
    return;
  }
  printTable(
    ['SCOPE', 'ACCESS', 'ROUTES', 'DESCRIPTION'],
    scopes.map((s) => [s.scope, s.access, String(s.covers), s.description]),
  );
}
