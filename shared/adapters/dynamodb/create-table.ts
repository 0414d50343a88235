import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from './table-design.js';

/**
 * Creates the keygate table as the CDK stack defines it (for DynamoDB Local: local mode and tests).
 * Does nothing if the table exists already.
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
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    }),
  );
}
