import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../../shared/adapters/eventbridge/eventbridge-publisher.js';
import type { LifecycleEvent } from '../../../shared/domain/events/lifecycle-event.js';

/**
 * The EventBridge adapter: calls of at most ten entries, `source: "keygate"`, the configured bus, and
 * entries EventBridge refuses one by one (`FailedEntryCount`) retried, then reported by position.
 */

const bus = mockClient(EventBridgeClient);
beforeEach(() => bus.reset());

const events = (count: number): LifecycleEvent[] =>
  Array.from({ length: count }, (_, index) => ({
    detailType: 'api-key.created',
    time: '2026-12-02T10:00:00.000Z',
    detail: { id: `event-${index}` },
  }));

const idOf = (entry: PutEventsRequestEntry) => (JSON.parse(entry.Detail as string) as { id: string }).id;
const sentEntries = () =>
  bus.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries as PutEventsRequestEntry[]);

describe('EventBridgePublisher', () => {
  it('sends 23 events as calls of 10, 10 and 3 entries on the configured bus, source keygate', async () => {
    bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, index) => ({ EventId: `id-${index}` })),
    }));
    const publisher = new EventBridgePublisher(
      new EventBridgeClient({ region: 'eu-west-1' }),
      'keygate-events',
    );
    expect(await publisher.publish(events(23))).toEqual({ failed: [] });
    const calls = sentEntries();
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map(idOf)).toEqual(events(23).map((event) => event.detail.id));
    expect(calls[0]?.[0]).toEqual({
      Source: 'keygate',
      DetailType: 'api-key.created',
      Detail: '{"id":"event-0"}',
      Time: new Date('2026-12-02T10:00:00.000Z'),
      EventBusName: 'keygate-events',
    });
  });

  it('retries only the entries EventBridge refused, and reports by position those still refused', async () => {
    // event-2 is refused once (then accepted); event-5 is refused every time.
    const refusals = new Map([
      ['event-2', 1],
      ['event-5', Number.POSITIVE_INFINITY],
    ]);
    bus.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      const entries = input.Entries.map((entry) => {
        const left = refusals.get(idOf(entry)) ?? 0;
        if (left === 0) return { EventId: idOf(entry) };
        refusals.set(idOf(entry), left - 1);
        return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
      });
      return { FailedEntryCount: entries.filter((entry) => 'ErrorCode' in entry).length, Entries: entries };
    });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'default');
    expect(await publisher.publish(events(7))).toEqual({ failed: [5] });
    // First call all seven; then event-2 and event-5; then event-5 alone (three rounds in all).
    expect(sentEntries().map((entries) => entries.map(idOf))).toEqual([
      events(7).map((event) => event.detail.id),
      ['event-2', 'event-5'],
      ['event-5'],
    ]);
  });

  it('rejects when a call fails as a whole (the caller reports every event failed)', async () => {
    bus.on(PutEventsCommand).rejects(new Error('AccessDeniedException: not authorized'));
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'default');
    await expect(publisher.publish(events(3))).rejects.toThrow(/AccessDenied/);
  });
});
