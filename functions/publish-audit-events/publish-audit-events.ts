import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { loadEnv, publisherEnvSchema } from '../../shared/adapters/config/env.js';
import { auditEventOfRecord, isAuditInsert } from '../../shared/adapters/dynamodb/audit-stream-record.js';
import { eventBridgeClient } from '../../shared/adapters/eventbridge/eventbridge-client.js';
import { EventBridgePublisher } from '../../shared/adapters/eventbridge/eventbridge-publisher.js';
import { createLogger } from '../../shared/adapters/log/logger.js';
import { auditLifecycleEvent, type LifecycleEvent } from '../../shared/domain/events/lifecycle-event.js';
import type { EventPublisher } from '../../shared/domain/events/ports.js';
import type { Log } from '../../shared/domain/ports.js';

export interface AuditEventPublisherDeps {
  events: EventPublisher;
  logger: Log;
}

/**
 * The outbox relay: the table's stream brings each audit item's INSERT (the event source mapping's
 * filter lets only those through; records of anything else are skipped here too, so local mode's
 * poller can feed every record), and each becomes one event on the bus. Records the bus did not take,
 * or that are not readable, are reported in `batchItemFailures` (by sequence number): Lambda retries
 * from the first of them, bisects, and after its retries sends the rest of the batch's description to
 * the on-failure queue. Delivery is at-least-once: a retry sends again what followed a failed record,
 * and the detail's `id` (the audit event's) lets a consumer drop a repeat.
 */
export function makeAuditEventPublisher(deps: AuditEventPublisherDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const failed: DynamoDBRecord[] = [];
    const toSend: Array<{ record: DynamoDBRecord; event: LifecycleEvent }> = [];
    for (const record of event.Records) {
      if (!isAuditInsert(record)) continue;
      try {
        toSend.push({ record, event: auditLifecycleEvent(auditEventOfRecord(record)) });
      } catch (error) {
        deps.logger.error('audit stream record not published', { ...where(record), error: String(error) });
        failed.push(record);
      }
    }
    let notPublished = 0;
    if (toSend.length > 0) {
      try {
        const { failed: refused } = await deps.events.publish(toSend.map((entry) => entry.event));
        for (const index of refused) failed.push((toSend[index] as (typeof toSend)[number]).record);
        notPublished = refused.length;
      } catch (error) {
        deps.logger.error('events not published', { records: toSend.length, error: String(error) });
        failed.push(...toSend.map((entry) => entry.record));
        notPublished = toSend.length;
      }
    }
    deps.logger.info('audit events published', {
      records: event.Records.length,
      published: toSend.length - notPublished,
      failed: failed.length,
    });
    return {
      batchItemFailures: failed.map((record) => ({ itemIdentifier: sequenceNumberOf(record) })),
    };
  };
}

function sequenceNumberOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

function where(record: DynamoDBRecord): Record<string, unknown> {
  return { sequenceNumber: sequenceNumberOf(record), eventId: record.eventID };
}

/** The publisher's ports from `env` (read and validated once): EventBridge on the configured bus. */
export function publisherDepsFromEnv(env: NodeJS.ProcessEnv): AuditEventPublisherDeps & { logger: Logger } {
  const config = loadEnv(publisherEnvSchema, env);
  return {
    events: new EventBridgePublisher(
      eventBridgeClient({ endpoint: config.EVENTBRIDGE_ENDPOINT }),
      config.EVENT_BUS_NAME,
    ),
    logger: createLogger('keygate-publish-audit-events', { env }),
  };
}

/** The publisher wired from `env`, with Powertools' context middleware. */
export function handlerFromEnv(env: NodeJS.ProcessEnv) {
  const deps = publisherDepsFromEnv(env);
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(makeAuditEventPublisher(deps)).use(
    injectLambdaContext(deps.logger),
  );
}
