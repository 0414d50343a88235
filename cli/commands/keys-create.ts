import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { printJson } from '../output.js';
import { printKey, SECRET_WARNING } from './key-fields.js';

/**
 * `keygate keys create --name N --scope S… [--expires-in 30d | --expires-at T] [--allow-ip CIDR…]`.
 * The secret goes to stdout, alone on its line (or in the `--json` document), so
 * `KEY=$(keygate keys create …)` captures it; the key's details and the warning go to stderr.
 */
export async function run({ options }: CommandInput): Promise<void> {
  const name = options.name as string | undefined;
  const scopes = (options.scope as string[] | undefined) ?? [];
  if (name === undefined) throw new UsageError('--name is required: keygate keys create --name N --scope S.');
  if (scopes.length === 0) {
    throw new UsageError('at least one --scope is required (keygate scopes list shows them).');
  }
  if (options.expiresIn !== undefined && options.expiresAt !== undefined) {
    throw new UsageError('give --expires-in or --expires-at, not both.');
  }
  const expiresIn = options.expiresIn === undefined ? undefined : parseDuration(options.expiresIn as string);
  const allowedIps = options.allowIp as string[] | undefined;
  const { client } = await connect();
  const created = answer(
    await client.POST('/v1/api-keys', {
      body: {
        name,
        scopes,
        ...(expiresIn === undefined ? {} : { expiresIn }),
        ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt as string }),
        ...(allowedIps === undefined ? {} : { allowedIps }),
      },
    }),
  );
  if (options.json) {
    printJson(created);
  } else {
    printKey(created, process.stderr);
    process.stdout.write(`${created.key}\n`);
  }
  process.stderr.write(`${SECRET_WARNING}\n`);
}
