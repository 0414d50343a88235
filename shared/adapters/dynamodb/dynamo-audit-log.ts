import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit-event.js';
import { itemKeys, TABLE_KEYS } from './table-design.js';

/**
 * The audit record's item (layout: `table-design.ts`): in the company's partition, sorted by time,
 * so the newest events are a reverse Query of that partition. Removed by TTL after the retention.
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
