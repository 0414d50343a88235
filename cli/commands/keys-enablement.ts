import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { printJson } from '../output.js';
import { printKey } from './key-fields.js';

/** `keygate keys disable ID [--json]`: the key gets 401 until enabled again (idempotent). */
export async function runDisable({ args: [id], options }: CommandInput): Promise<void> {
  const { client } = await connect();
  const key = answer(
    await client.POST('/v1/api-keys/{id}/disable', { params: { path: { id: id as string } } }),
  );
  if (options.json) printJson(key);
  else printKey(key);
}

/** `keygate keys enable ID [--json]`: a disabled key works again (idempotent). */
export async function runEnable({ args: [id], options }: CommandInput): Promise<void> {
  const { client } = await connect();
  const key = answer(
    await client.POST('/v1/api-keys/{id}/enable', { params: { path: { id: id as string } } }),
  );
  if (options.json) printJson(key);
  else printKey(key);
}
