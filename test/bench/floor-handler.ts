import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start floor: the least a Lambda that reads one DynamoDB item can bundle — a DynamoDB client
 * that sends one strongly consistent GetItem, nothing else. Built with the same esbuild settings as
 * keygate's functions, so `bundle - floor` is what keygate's own code and libraries add.
 */
const client = new DynamoDBClient({});

export const handler = async (event: { digest: string }) => {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: { S: `DIGEST#${event.digest}` }, sk: { S: 'DIGEST' } },
      ConsistentRead: true,
    }),
  );
  return Item !== undefined;
};
