import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { UsageError } from '../errors.js';
import { printJson } from '../output.js';
import { printKey } from './key-fields.js';

/** `keygate keys rename ID --name N [--json]`. */
export async function run({ args: [id], options }: CommandInput): Promise<void> {
  const name = options.name as string | undefined;
  if (name === undefined) throw new UsageError('--name is required: keygate keys rename ID --name N.');
  const { client } = await connect();
  const key = answer(
    await client.PATCH('/v1/api-keys/{id}', { params: { path: { id: id as string } }, body: { name } }),
  );
  if (options.json) printJson(key);
  else printKey(key);
}
