import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { auditItem } from '../../shared/adapters/dynamodb/dynamo-audit-log.js';
import type { AuditEvent } from '../../shared/domain/audit/audit-event.js';

/**
 * An audit event as the management API records it, for company `acme`, with the target's scopes the
 * audit read API stores beside it (`targetScopes`; asserted here, since that field is not yet on
 * `AuditEvent` in every branch), which no event may carry.
 */
export function sampleAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    targetScopes: ['messaging:read'],
    id: '0193f1c2-7b3a-7c4d-8e5f-000000000001',
    companyId: 'acme',
    at: '2026-12-02T10:00:00.000Z',
    action: 'api-key.rotated',
    actor: { type: 'root-admin', subject: 'admin-sub', email: 'alice@acme.test' },
    target: { keyId: 'key-1', name: 'Billing sync' },
    requestId: 'req-1',
    sourceIp: '203.0.113.7',
    userAgent: 'curl/8',
    changes: { newKeyId: 'key-2', gracePeriodSeconds: 60 },
    ...overrides,
  } as AuditEvent;
}

/**
 * The stream record DynamoDB writes when `item` is inserted (NEW_IMAGE), as Lambda's event source
 * mapping hands it over; `extra` adds attributes to the image (what a later branch may store).
 */
export function insertRecord(
  item: Record<string, unknown>,
  sequenceNumber: string,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT',
): DynamoDBRecord {
  const image = marshall(item, { removeUndefinedValues: true });
  return {
    eventID: `event-${sequenceNumber}`,
    eventName,
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: { pk: image.pk, sk: image.sk } as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: image as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      SequenceNumber: sequenceNumber,
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** The INSERT record of `event`'s audit item, with `extra` attributes stored beside it. */
export function auditInsertRecord(
  event: AuditEvent,
  sequenceNumber: string,
  extra: Record<string, unknown> = {},
): DynamoDBRecord {
  return insertRecord({ ...auditItem(event, 365), ...extra }, sequenceNumber);
}
