import { createInterface } from 'node:readline/promises';
import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { UsageError } from '../errors.js';

/**
 * `keygate keys delete ID [--yes]`: on a terminal it asks first (naming the key); without one it
 * refuses unless `--yes` is given, so a script never deletes by accident.
 */
export async function run({ args: [id], options }: CommandInput): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (!options.yes && !interactive) {
    throw new UsageError('not deleting without confirmation: there is no terminal to ask, so pass --yes.');
  }
  const { client } = await connect();
  const path = { params: { path: { id: id as string } } };
  if (!options.yes) {
    const key = answer(await client.GET('/v1/api-keys/{id}', path));
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const reply = await prompt.question(
      `Delete key "${key.name}" (${key.id})? It stops working at once. [y/N] `,
    );
    prompt.close();
    if (!/^y(es)?$/i.test(reply.trim())) {
      process.stderr.write('Not deleted.\n');
      return;
    }
  }
  answer(await client.DELETE('/v1/api-keys/{id}', path));
  process.stderr.write(`Deleted ${id}.\n`);
}
