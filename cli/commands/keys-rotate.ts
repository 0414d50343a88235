import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { parseDuration } from '../duration.js';
import { printJson } from '../output.js';
import { printKey, SECRET_WARNING } from './key-fields.js';

/**
 * `keygate keys rotate ID [--grace 1d] [--json]`: a new key with the old one's name, scopes and
 * allow-list; the old key keeps working for the grace period (the API's default, 1 day, when not
 * given; `0` ends it at once). As with create, the new secret goes to stdout alone (or in the
 * `--json` document) and the details and the warning to stderr.
 */
export async function run({ args: [id], options }: CommandInput): Promise<void> {
  const grace =
    options.grace === undefined ? undefined : parseDuration(options.grace as string, '--grace', true);
  const { client } = await connect();
  const rotated = answer(
    await client.POST('/v1/api-keys/{id}/rotate', {
      params: { path: { id: id as string } },
      body: grace === undefined ? {} : { gracePeriodSeconds: grace },
    }),
  );
  if (options.json) {
    printJson(rotated);
  } else {
    printKey(rotated, process.stderr);
    process.stdout.write(`${rotated.key}\n`);
  }
  const ends =
    grace === 0
      ? 'stops working now'
      : `keeps working for ${options.grace ?? 'the grace period (1 day)'}, at most until its own expiry`;
  process.stderr.write(`The old key ${id} ${ends}.\n${SECRET_WARNING}\n`);
}
