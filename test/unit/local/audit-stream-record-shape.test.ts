import { describe, expect, it } from 'vitest';
import { lambdaRecord } from '../../../local/audit-stream-poller.js';
import { auditEventOfRecord } from '../../../shared/adapters/dynamodb/audit-stream-record.js';

/** The stream record exactly as DynamoDB Local's GetRecords returned it for a deletion's audit item. */
const fromDynamoDbLocal = {
  eventID: 'e1',
  eventName: 'INSERT' as const,
  eventVersion: '1.1',
  awsRegion: 'ddblocal',
  dynamodb: {
    Keys: { pk: { S: 'COMPANY#acme' }, sk: { S: 'AUDIT#2026-12-03T13:36:20.048Z#id-1' } },
    NewImage: {
      pk: { S: 'COMPANY#acme' },
      sk: { S: 'AUDIT#2026-12-03T13:36:20.048Z#id-1' },
      id: { S: 'id-1' },
      companyId: { S: 'acme' },
      at: { S: '2026-12-03T13:36:20.048Z' },
      action: { S: 'api-key.deleted' },
      actor: { M: { type: { S: 'root-admin' }, subject: { S: 'admin-sub' }, email: { NULL: true } } },
      target: { M: { keyId: { S: 'k1' }, name: { S: 'Renamed' } } },
      changes: {},
      nested: { M: { inner: {} } },
      listed: { L: [{}, { S: 'x' }] },
    },
    SequenceNumber: '000000000000000000001',
    StreamViewType: 'NEW_IMAGE',
  },
};

describe("local mode's stream records", () => {
  it("restore DynamoDB Local's typeless empty maps, at any depth, and leave every other value as it was", () => {
    const record = lambdaRecord(fromDynamoDbLocal as never);
    expect(record.dynamodb?.NewImage).toEqual({
      ...fromDynamoDbLocal.dynamodb.NewImage,
      changes: { M: {} },
      nested: { M: { inner: { M: {} } } },
      listed: { L: [{ M: {} }, { S: 'x' }] },
    });
    expect(record.dynamodb?.Keys).toEqual(fromDynamoDbLocal.dynamodb.Keys);
  });

  it('make a deletion (no changes) readable as its audit event', () => {
    expect(auditEventOfRecord(lambdaRecord(fromDynamoDbLocal as never))).toMatchObject({
      id: 'id-1',
      action: 'api-key.deleted',
      target: { keyId: 'k1', name: 'Renamed' },
      changes: {},
    });
  });
});
