import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from './table-design.js';

/** The table's stream, as the stack enables it: each new item whole (the audit events' outbox). */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } as const;

/**
 * Creates the keygate table as the CDK stack defines it (for DynamoDB Local: local mode and tests),
 * stream included. A table that exists already is kept; if it has no stream yet (a data directory
 * from before events), its stream is turned on, as the stack's update does.
 */
export async function createKeygateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, expiryIndex } = TABLE_KEYS;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
          { AttributeName: expiryIndex.partitionKey, AttributeType: 'S' },
          { AttributeName: expiryIndex.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: expiryIndex.name,
            KeySchema: [
              { AttributeName: expiryIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: expiryIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...expiryIndex.projectedAttributes] },
          },
        ],
        StreamSpecification: STREAM,
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return ensureStream(client, tableName);
    throw error;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    }),
  );
}

async function ensureStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
}
