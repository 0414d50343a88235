import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_SOURCE, type LifecycleEvent } from '../shared/domain/events/lifecycle-event.js';
import type { EventPublisher } from '../shared/domain/events/ports.js';

/**
 * Local mode's event bus: every event keygate would put on EventBridge is appended to
 * `<data dir>/events.jsonl` (one JSON object a line, shaped as a rule's target receives it: `source`,
 * `detail-type`, `time`, `detail`) and shown as one console line.
 */

/** The events file in the data directory. */
export function eventsFile(dataDir: string): string {
  return join(dataDir, 'events.jsonl');
}

/** The line written to `events.jsonl` for `event`. */
export function eventLine(event: LifecycleEvent): string {
  return JSON.stringify({
    source: EVENT_SOURCE,
    'detail-type': event.detailType,
    time: event.time,
    detail: event.detail,
  });
}

/** The console line for `event`: its type, the key it is about and who made the change. */
export function consoleLine(event: LifecycleEvent): string {
  const detail = event.detail as {
    target?: { keyId: string; name: string } | null;
    actor?: { type: string; subject?: string; email?: string | null; keyId?: string };
    keyId?: string;
    name?: string;
    expiresAt?: string;
    companyId?: string;
  };
  const key =
    detail.target != null
      ? `key ${detail.target.keyId} ${JSON.stringify(detail.target.name)}`
      : detail.keyId !== undefined
        ? `key ${detail.keyId} ${JSON.stringify(detail.name)} expires ${detail.expiresAt}`
        : 'company-wide';
  const actor = detail.actor
    ? ` by ${detail.actor.type === 'key' ? `key ${detail.actor.keyId}` : `root admin ${detail.actor.email ?? detail.actor.subject}`}`
    : '';
  return `${event.detailType} (company ${detail.companyId}): ${key}${actor}`;
}

/** An `EventPublisher` that writes to `events.jsonl` in `dataDir` and logs each event with `log`. */
export function localEventSink(dataDir: string, log: (line: string) => void): EventPublisher {
  const file = eventsFile(dataDir);
  return {
    async publish(events) {
      if (events.length === 0) return { failed: [] };
      // One append per batch: the lines land together, in order.
      await appendFile(file, events.map((event) => `${eventLine(event)}\n`).join(''));
      for (const event of events) log(consoleLine(event));
      return { failed: [] };
    },
  };
}
