import { answer, connect } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { UsageError } from '../errors.js';
import type { components, paths } from '../generated/openapi.js';
import { printJson, printTable } from '../output.js';

type AuditQuery = NonNullable<paths['/v1/audit-events']['get']['parameters']['query']>;
type AuditEvent = components['schemas']['AuditEvent'];

const DEFAULT_COUNT = 50;
const MAX_COUNT = 1000;
const PAGE_SIZE = 100;

/** `--limit N`: how many of the newest events to show, 1–1000 (default 50). */
function countOf(text: unknown): number {
  if (text === undefined) return DEFAULT_COUNT;
  const count = /^[0-9]{1,4}$/.test(String(text)) ? Number(text) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_COUNT}`);
  }
  return count;
}

/** Who did it, in one cell: the admin's email (or subject), or `key:<id> (<name>)`. */
const actorText = (event: AuditEvent) =>
  event.actor.type === 'key'
    ? `key:${event.actor.keyId} (${event.actor.name})`
    : (event.actor.email ?? event.actor.subject);

/** What it was about: `<id> (<name>)`, or `-` for company-wide events. */
const targetText = (event: AuditEvent) =>
  event.target === null ? null : `${event.target.keyId} (${event.target.name})`;

/**
 * `keygate audit list [--key ID] [--action A] [--limit N] [--json]`: the newest events of the
 * company's audit log (a key's credentials: only events about keys it covers), following pages until
 * N are shown. The API checks `--key` and `--action`, so a bad one is its 400, named as such.
 */
export async function run({ options }: CommandInput): Promise<void> {
  const count = countOf(options.limit);
  const filter: AuditQuery = {
    ...(options.key !== undefined ? { keyId: String(options.key) } : {}),
    ...(options.action !== undefined ? { action: String(options.action) as AuditQuery['action'] } : {}),
  };
  const { client } = await connect();
  const items: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = answer(
      await client.GET('/v1/audit-events', {
        params: {
          query: {
            ...filter,
            limit: Math.min(PAGE_SIZE, count - items.length),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < count);
  if (options.json) return printJson(items);
  if (items.length === 0) {
    process.stderr.write('No audit events match.\n');
    return;
  }
  printTable(
    ['AT', 'ACTION', 'ACTOR', 'TARGET'],
    items.map((event) => [event.at, event.action, actorText(event), targetText(event)]),
  );
}
