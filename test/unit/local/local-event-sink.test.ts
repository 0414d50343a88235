import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsFile, localEventSink } from '../../../local/local-event-sink.js';
import { auditLifecycleEvent, expiryLifecycleEvent } from '../../../shared/domain/events/lifecycle-event.js';
import { sampleAuditEvent } from '../../support/audit-stream-records.js';

/** Local mode's bus: one events.jsonl line per event, as a rule's target gets it, and one console line. */
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-sink-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('localEventSink', () => {
  it('appends one JSON line per event to events.jsonl and prints one line per event', async () => {
    const printed: string[] = [];
    const sink = localEventSink(dataDir, (line) => printed.push(line));
    const rotated = auditLifecycleEvent(sampleAuditEvent());
    const expiring = expiryLifecycleEvent(
      'api-key.expiring',
      {
        companyId: 'acme',
        keyId: 'key-7',
        name: 'Nightly',
        keyPrefix: 'wsk-v1-abc',
        scopes: ['pbx:*'],
        expiresAt: '2026-12-05T00:00:00.000Z',
        enabled: true,
        rotatedTo: null,
      },
      { day: '2026-12-02', asOf: new Date('2026-12-02T11:00:00.000Z') },
    );
    expect(await sink.publish([rotated])).toEqual({ failed: [] });
    expect(await sink.publish([expiring])).toEqual({ failed: [] });

    const lines = (await readFile(eventsFile(dataDir), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { source: 'keygate', 'detail-type': 'api-key.rotated', time: rotated.time, detail: rotated.detail },
      { source: 'keygate', 'detail-type': 'api-key.expiring', time: expiring.time, detail: expiring.detail },
    ]);
    expect(printed).toEqual([
      'api-key.rotated (company acme): key key-1 "Billing sync" by root admin alice@acme.test',
      'api-key.expiring (company acme): key key-7 "Nightly" expires 2026-12-05T00:00:00.000Z',
    ]);
  });
});
