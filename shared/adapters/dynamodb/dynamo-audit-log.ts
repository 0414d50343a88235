import {
  type DynamoDBDocumentClient,
  PutCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit-event.js';
import type { AuditRecorder } from '../../domain/ports.js';
import { itemKeys, TABLE_KEYS } from './table-design.js';

/**
 * The audit record's item (layout: `table-design.ts`): in the company's partition, sorted by time,
 * so the newest events are a reverse Query of that partition. Removed by TTL after the retention.
 * Change records are written by the key and settings stores inside each change's transaction
 * (`auditPut`); `DynamoAuditRecorder` writes the records of refused attempts, and
 * `dynamo-audit-reader.ts` reads them all (kept apart, so the writers bundle no reader).
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const DAY_SECONDS = 86_400;

/** The item stored for `event`, with its TTL `auditRetentionDays` after the event. */
export function auditItem(event: AuditEvent, auditRetentionDays: number): Record<string, unknown> {
  return {
    ...itemKeys.auditEvent(event.companyId, event.at, event.id),
    [TABLE_KEYS.ttlAttribute]: Math.floor(Date.parse(event.at) / 1000) + auditRetentionDays * DAY_SECONDS,
    ...event,
  };
}

/**
 * The transaction entry writing `event`: a Put that fails if the item exists, so an event is never
 * overwritten and an audit write that cannot happen cancels the change it records.
 */
export function auditPut(tableName: string, event: AuditEvent, auditRetentionDays: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: auditItem(event, auditRetentionDays),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Writes the records of refused attempts: one conditional PutItem each, outside any transaction. */
export class DynamoAuditRecorder implements AuditRecorder {
  /** @param auditRetentionDays how long a record is kept before DynamoDB TTL removes it */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditRetentionDays: number,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: auditItem(event, this.auditRetentionDays),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
