import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../../shared/domain/events/lifecycle-event.js';
import type { EventPublisher } from '../../../shared/domain/events/ports.js';
import { EVENTS_DELIVERY_RECIPIENT } from '../../../shared/domain/notify/expiry-events.js';
import type { DueKey } from '../../../shared/domain/notify/ports.js';
import { runExpiryNotifications } from '../../../shared/domain/notify/run-expiry-notifications.js';
import { RecordingLog } from '../../support/recording-log.js';
import { ArrayExpiryIndex, MapRecipients, MemoryLedger, RecordingMailer } from './fakes.js';

/**
 * The daily job's events: one `api-key.expired` / `api-key.expiring` per key of the digest, for every
 * company with keys due (recipients or not), once per company and UTC day — a rerun publishes none
 * again, and a run whose publishing failed fails the company so that the next run publishes them.
 */

const asOf = new Date('2026-11-30T11:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const key = (companyId: string, keyId: string, offsetMs: number): DueKey => ({
  companyId,
  keyId,
  name: `${companyId} ${keyId}`,
  keyPrefix: 'wsk-v1-abc',
  scopes: ['pbx:*'],
  expiresAt: new Date(asOf.getTime() + offsetMs).toISOString(),
  enabled: true,
  rotatedTo: null,
});

class RecordingBus implements EventPublisher {
  readonly published: LifecycleEvent[] = [];
  refuse = false;
  async publish(events: readonly LifecycleEvent[]) {
    if (this.refuse) return { failed: events.map((_, index) => index) };
    this.published.push(...events);
    return { failed: [] };
  }
}

function setup(keys: DueKey[], recipients: Record<string, string[]>) {
  const ports = {
    expiryIndex: new ArrayExpiryIndex(keys),
    recipients: new MapRecipients(recipients),
    ledger: new MemoryLedger(),
    mailer: new RecordingMailer(),
    logger: new RecordingLog(),
    events: new RecordingBus(),
  };
  const run = () =>
    runExpiryNotifications({
      ...ports,
      keyStates: ports.expiryIndex,
      clock: { now: () => asOf },
      asOf,
      consoleUrl: 'https://console.test',
    });
  return { ...ports, run };
}

describe('expiry events', () => {
  it('publishes one event per key due, for companies with and without recipients, and none again on a rerun', async () => {
    const t = setup([key('acme', 'a1', 2 * DAY), key('acme', 'a2', -HOUR), key('globex', 'g1', 6 * DAY)], {
      acme: ['ops@acme.test'],
    });
    const first = await t.run();
    expect(first.eventsPublished).toBe(3);
    expect(first.failed).toEqual([]);
    // Companies run concurrently: their events' relative order is not fixed; within one it is.
    const byCompany = (companyId: string) =>
      t.events.published
        .filter((event) => event.detail.companyId === companyId)
        .map((event) => [event.detailType, event.detail.keyId]);
    expect(byCompany('acme')).toEqual([
      ['api-key.expired', 'a2'],
      ['api-key.expiring', 'a1'],
    ]);
    expect(byCompany('globex')).toEqual([['api-key.expiring', 'g1']]);
    expect(JSON.stringify(t.events.published)).not.toContain('pbx:*');
    expect(t.ledger.statuses('acme', '2026-11-30')[EVENTS_DELIVERY_RECIPIENT]).toBe('sent');

    const rerun = await t.run();
    expect(rerun.eventsPublished).toBe(0);
    expect(t.events.published).toHaveLength(3);
  });

  it('fails the company when its events are refused, and the next run publishes them', async () => {
    const t = setup([key('acme', 'a1', 2 * DAY)], { acme: ['ops@acme.test'] });
    t.events.refuse = true;
    const failed = await t.run();
    expect(failed.failed).toEqual(['acme']);
    expect(failed.emailsSent).toBe(1);
    expect(t.ledger.statuses('acme', '2026-11-30')[EVENTS_DELIVERY_RECIPIENT]).toBe('failed');

    t.events.refuse = false;
    const retried = await t.run();
    expect(retried.failed).toEqual([]);
    expect(retried.eventsPublished).toBe(1);
    expect(retried.emailsSent).toBe(0); // the email went out the first time
    expect(t.events.published.map((event) => event.detail)).toEqual([
      {
        companyId: 'acme',
        keyId: 'a1',
        name: 'acme a1',
        keyPrefix: 'wsk-v1-abc',
        expiresAt: '2026-12-02T11:00:00.000Z',
        enabled: true,
        rotatedTo: null,
        day: '2026-11-30',
      },
    ]);
  });

  it("carries each key's current state, and none for a key deleted since the index saw it", async () => {
    const t = setup([key('acme', 'a1', 2 * DAY), key('acme', 'a2', 3 * DAY), key('acme', 'a3', -HOUR)], {
      acme: ['ops@acme.test'],
    });
    // After the index saw them: a1 disabled, a2 rotated to a4 (not due), a3 deleted.
    t.expiryIndex.items.set('acme/a1', { ...state(t, 'acme/a1'), enabled: false });
    t.expiryIndex.items.set('acme/a2', { ...state(t, 'acme/a2'), rotatedTo: 'a4' });
    t.expiryIndex.items.set('acme/a4', { ...state(t, 'acme/a2'), keyId: 'a4', keyPrefix: 'wsk-v1-new' });
    t.expiryIndex.items.delete('acme/a3');
    const summary = await t.run();
    expect(summary).toMatchObject({ eventsPublished: 2, keysDue: 2, keysDeletedSince: 1 });
    expect(
      t.events.published.map(({ detailType, detail }) => [
        detailType,
        detail.keyId,
        detail.enabled,
        detail.rotatedTo,
      ]),
    ).toEqual([
      ['api-key.expiring', 'a1', false, null],
      ['api-key.expiring', 'a2', true, 'a4'],
    ]);
  });
});

function state(t: ReturnType<typeof setup>, ref: string) {
  const item = t.expiryIndex.items.get(ref);
  if (item === undefined) throw new Error(`no item ${ref}`);
  return item;
}
