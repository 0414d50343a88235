import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type LifecycleEvent } from '../../domain/events/lifecycle-event.js';
import type { EventPublisher } from '../../domain/events/ports.js';

/** PutEvents takes at most 10 entries per call (EventBridge API reference). */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Rounds of PutEvents for entries EventBridge refused one by one (`FailedEntryCount`: throttling,
 * internal failures). The SDK already retries a whole call that failed; these are the entries of a
 * call that succeeded. What is still refused after them is reported failed, for the caller to retry.
 */
const ENTRY_ATTEMPTS = 3;

/**
 * The EventBridge adapter of `EventPublisher`: `source: "keygate"`, one entry per event, on `busName`
 * (`default`: the account's default bus), in calls of at most ten entries.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: Pick<EventBridgeClient, 'send'>,
    private readonly busName: string,
  ) {}

  async publish(events: readonly LifecycleEvent[]): Promise<{ failed: number[] }> {
    let pending = events.map((_, index) => index);
    for (let attempt = 1; attempt <= ENTRY_ATTEMPTS && pending.length > 0; attempt += 1) {
      const refused: number[] = [];
      for (let start = 0; start < pending.length; start += PUT_EVENTS_MAX_ENTRIES) {
        const chunk = pending.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
        const entries = chunk.map((index) => this.entryOf(events[index] as LifecycleEvent));
        const output = await this.client.send(new PutEventsCommand({ Entries: entries }));
        if ((output.FailedEntryCount ?? 0) === 0) continue;
        // The answer's entries are in the request's order; a refused one has an ErrorCode.
        chunk.forEach((index, position) => {
          if (output.Entries?.[position]?.ErrorCode !== undefined) refused.push(index);
        });
      }
      pending = refused;
    }
    return { failed: pending };
  }

  private entryOf(event: LifecycleEvent): PutEventsRequestEntry {
    return {
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: new Date(event.time),
      EventBusName: this.busName,
    };
  }
}
