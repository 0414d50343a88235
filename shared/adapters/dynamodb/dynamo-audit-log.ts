import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit-event.js';
import { auditFilterKey, filtersAnything, matchesAuditFilter } from '../../domain/audit/audit-filter.js';
import {
  type AuditEventFilter,
  type AuditEventVisibility,
  type AuditLog,
  type AuditPage,
  FILTERED_LIST_READ_BUDGET,
} from '../../domain/ports.js';
import { auditItemSchema, CorruptItemError, parseItem } from './item-codecs.js';
import { type AuditPosition, decodeAuditCursor, encodeAuditCursor } from './list-cursor.js';
import { itemKeys, TABLE_KEYS } from './table-design.js';

/**
 * The audit record's item (layout: `table-design.ts`): in the company's partition, sorted by time,
 * so the newest events are a reverse Query of that partition. Removed by TTL after the retention.
 * Change records are written by the key and settings stores inside each change's transaction
 * (`auditPut`); this log reads them and writes the records of refused attempts (`record`).
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

/** An item as the log returns it: the stored event, with `targetScopes` null where it was never stored. */
function toEvent(raw: Record<string, unknown>, companyId: string): AuditEvent {
  const item = parseItem(auditItemSchema, raw, 'audit event');
  // The partition key already scopes the Query to the company; this guards against a mis-written item.
  if (item.companyId !== companyId) throw new CorruptItemError('audit event', raw);
  return { ...item, targetScopes: item.targetScopes ?? null };
}

export class DynamoAuditLog implements AuditLog {
  /** @param auditRetentionDays how long a refusal's record is kept before DynamoDB TTL removes it */
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

  /**
   * Reverse Query of the company's `AUDIT#` items. As the key list: one admitted item more than the
   * page tells whether another page exists; with a filter or a visibility rule the reads grow by
   * doubling and stop at the read budget, answering with what they found and a cursor after the
   * last item read.
   */
  async list(
    companyId: string,
    options: { limit: number; cursor?: string; filter: AuditEventFilter; visible?: AuditEventVisibility },
  ): Promise<AuditPage> {
    const { limit, filter, visible } = options;
    const filterKey = auditFilterKey(filter);
    const after =
      options.cursor === undefined ? undefined : decodeAuditCursor(companyId, filterKey, options.cursor);
    const filtered = visible !== undefined || filtersAnything(filter);
    const admits = (event: AuditEvent) =>
      matchesAuditFilter(event, filter) && (visible === undefined || visible(event));
    const wanted = limit + 1;
    const budget = filtered ? Math.max(wanted, FILTERED_LIST_READ_BUDGET) : Number.POSITIVE_INFINITY;
    const items: AuditEvent[] = [];
    let read = 0;
    let lastRead: AuditPosition | undefined;
    let startKey: Record<string, unknown> | undefined =
      after === undefined ? undefined : itemKeys.auditEvent(companyId, after.at, after.id);
    do {
      const ask = Math.min(budget - read, Math.max(wanted - items.length, filtered ? read : 0));
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :auditPrefix)',
          ExpressionAttributeValues: {
            ':pk': itemKeys.companyPartition(companyId),
            ':auditPrefix': itemKeys.auditEventPrefix,
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: ask,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const raw of page.Items ?? []) {
        if (items.length === wanted) break;
        const event = toEvent(raw, companyId);
        read++;
        lastRead = { at: event.at, id: event.id };
        if (admits(event)) items.push(event);
      }
      startKey = page.LastEvaluatedKey;
    } while (items.length < wanted && startKey !== undefined && read < budget);

    const pageItems = items.slice(0, limit);
    let continueAfter: AuditPosition | undefined;
    const lastShown = pageItems.at(-1);
    if (items.length > limit && lastShown !== undefined)
      continueAfter = { at: lastShown.at, id: lastShown.id };
    else if (startKey !== undefined && read >= budget) continueAfter = lastRead;
    return {
      items: pageItems,
      ...(continueAfter !== undefined
        ? { nextCursor: encodeAuditCursor(companyId, filterKey, continueAfter) }
        : {}),
    };
  }
}
