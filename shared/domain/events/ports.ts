import type { LifecycleEvent } from './lifecycle-event.js';

/**
 * Where lifecycle events go: EventBridge in AWS (`shared/adapters/eventbridge/`), a JSONL file and
 * the console in local mode (`local/local-event-sink.ts`).
 */
export interface EventPublisher {
  /**
   * Publishes `events`, retrying what the bus refused as it sees fit. Resolves with the positions
   * (in `events`) of those still not accepted, so the caller retries or reports exactly those; a
   * fault that says nothing per event rejects.
   */
  publish(events: readonly LifecycleEvent[]): Promise<{ failed: number[] }>;
}
