import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { isAuditAction } from '../../domain/audit/audit-actions.js';
import type { AuditEvent } from '../../domain/audit/audit-event.js';
import type { PublishedAuditFields } from '../../domain/events/lifecycle-event.js';
import { itemKeys, TABLE_KEYS } from './table-design.js';

/**
 * Reading the table's stream: an audit item is written in its change's own transaction, so its
 * stream record (an INSERT, `sk` beginning `AUDIT#`) is the change's outbox entry. Everything else
 * the table writes (keys, markers, TTL deletions) is not an event.
 */

/** An audit item's stream record whose image is not an audit event (a bug, never a user's input). */
export class MalformedAuditRecordError extends Error {
  constructor(field: string) {
    super(`audit stream record: ${field} is missing or of the wrong type`);
    this.name = 'MalformedAuditRecordError';
  }
}

/** Whether `record` is the INSERT of an audit item (what the event source mapping's filter lets through). */
export function isAuditInsert(record: DynamoDBRecord): boolean {
  const sortKey = record.dynamodb?.Keys?.[TABLE_KEYS.sortKey]?.S;
  return record.eventName === 'INSERT' && sortKey?.startsWith(itemKeys.auditEventPrefix) === true;
}

/**
 * The audit event an audit item's INSERT record carries (the record's new image), read field by field:
 * only what an event may carry, so nothing else the item holds (its TTL, the target's stored scopes)
 * is ever read. Throws
 * `MalformedAuditRecordError` when the image is not one.
 */
export function auditEventOfRecord(record: DynamoDBRecord): PublishedAuditFields {
  const image = record.dynamodb?.NewImage;
  if (image === undefined) throw new MalformedAuditRecordError('NewImage');
  const item = unmarshall(image as Record<string, AttributeValue>);
  const text = (field: string): string => {
    const value = item[field];
    if (typeof value !== 'string') throw new MalformedAuditRecordError(field);
    return value;
  };
  const textOrNull = (value: unknown, field: string): string | null => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw new MalformedAuditRecordError(field);
    return value;
  };
  const action = text('action');
  if (!isAuditAction(action)) throw new MalformedAuditRecordError('action');
  const actor = item.actor as Record<string, unknown> | undefined;
  const target = item.target as Record<string, unknown> | null | undefined;
  const changes = item.changes as AuditEvent['changes'] | undefined;
  if (typeof actor !== 'object' || actor === null) throw new MalformedAuditRecordError('actor');
  if (target !== null && target !== undefined && typeof target !== 'object')
    throw new MalformedAuditRecordError('target');
  return {
    id: text('id'),
    companyId: text('companyId'),
    at: text('at'),
    action,
    actor:
      actor.type === 'key'
        ? { type: 'key', keyId: String(actor.keyId), name: String(actor.name) }
        : {
            type: 'root-admin',
            subject: String(actor.subject),
            email: textOrNull(actor.email, 'actor.email'),
          },
    target:
      target === null || target === undefined
        ? null
        : { keyId: String(target.keyId), name: String(target.name) },
    requestId: textOrNull(item.requestId, 'requestId'),
    sourceIp: textOrNull(item.sourceIp, 'sourceIp'),
    userAgent: textOrNull(item.userAgent, 'userAgent'),
    changes: typeof changes === 'object' && changes !== null ? changes : {},
  };
}
