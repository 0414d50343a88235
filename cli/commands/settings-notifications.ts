import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { UsageError } from '../errors.js';
import { printJson } from '../output.js';

function print(emails: string[], json: unknown): void {
  if (json) printJson({ emails });
  else if (emails.length === 0) process.stderr.write('Nobody receives the expiry email.\n');
  else process.stdout.write(`${emails.join('\n')}\n`);
}

/** `keygate settings notifications get [--json]`. */
export async function runGet({ options }: CommandInput): Promise<void> {
  const { client } = await connect();
  print(answer(await client.GET('/v1/settings/notifications')).emails, options.json);
}

/** `keygate settings notifications set EMAIL… | --none [--json]`: replaces the recipients. */
export async function runSet({ args, options }: CommandInput): Promise<void> {
  if (options.none && args.length > 0) throw new UsageError('give addresses or --none, not both.');
  if (!options.none && args.length === 0) {
    throw new UsageError('give one or more addresses, or --none to email nobody.');
  }
  const { client } = await connect();
  print(
    answer(await client.PUT('/v1/settings/notifications', { body: { emails: args } })).emails,
    options.json,
  );
}
