import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { printJson } from '../output.js';
import { printKey } from './key-fields.js';

/** `keygate keys get ID [--json]`. */
export async function run({ args: [id], options }: CommandInput): Promise<void> {
  const { client } = await connect();
  const key = answer(await client.GET('/v1/api-keys/{id}', { params: { path: { id: id as string } } }));
  if (options.json) printJson(key);
  else printKey(key);
}
