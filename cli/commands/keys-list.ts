import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { printJson, printTable } from '../output.js';
import { keyStatus } from './key-fields.js';

/** `keygate keys list [--json]`: every key the caller manages, following the pages to the end. */
export async function run({ options }: CommandInput): Promise<void> {
  const { client } = await connect();
  const items = [];
  let cursor: string | undefined;
  do {
    const page = answer(
      await client.GET('/v1/api-keys', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (options.json) return printJson(items);
  if (items.length === 0) {
    process.stderr.write('No API keys yet: create one with keygate keys create --name N --scope S.\n');
    return;
  }
  printTable(
    ['ID', 'NAME', 'STATUS', 'PREFIX', 'SCOPES', 'EXPIRES', 'LAST USED'],
    items.map((key) => [
      key.id,
      key.name,
      keyStatus(key),
      key.keyPrefix,
      key.scopes.join(','),
      key.expiresAt,
      key.lastUsedAt,
    ]),
  );
}
