import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Strongly consistent BatchGetItem of any number of items of one table: 100 keys per request
 * (DynamoDB's limit), the requests one after another, and what DynamoDB leaves unprocessed (throttling,
 * the 16 MB answer limit) asked again with exponential backoff. A key whose item does not exist is
 * simply not in the answer.
 */

/** Keys per BatchGetItem request: DynamoDB's limit. */
export const BATCH_GET_MAX_KEYS = 100;
const ATTEMPTS = 5;
const BACKOFF_MS = 25;

/** BatchGetItem left keys unprocessed after every retry (sustained throttling): a fault. */
export class BatchGetUnprocessedError extends Error {
  constructor(readonly unprocessed: number) {
    super(`DynamoDB left ${unprocessed} keys unprocessed after ${ATTEMPTS} attempts`);
    this.name = 'BatchGetUnprocessedError';
  }
}

export interface BatchGetInput {
  tableName: string;
  keys: readonly Record<string, unknown>[];
  projectionExpression: string;
  expressionAttributeNames?: Record<string, string>;
}

/** The items of `keys` that exist, in no particular order. */
export async function batchGetItems(
  doc: DynamoDBDocumentClient,
  input: BatchGetInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < input.keys.length; start += BATCH_GET_MAX_KEYS) {
    let keys = input.keys.slice(start, start + BATCH_GET_MAX_KEYS) as Record<string, unknown>[];
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === ATTEMPTS) throw new BatchGetUnprocessedError(keys.length);
      if (attempt > 0) await sleep(BACKOFF_MS * 2 ** (attempt - 1));
      const output = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [input.tableName]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: input.projectionExpression,
              ...(input.expressionAttributeNames
                ? { ExpressionAttributeNames: input.expressionAttributeNames }
                : {}),
            },
          },
        }),
      );
      items.push(...(output.Responses?.[input.tableName] ?? []));
      keys = output.UnprocessedKeys?.[input.tableName]?.Keys ?? [];
    }
  }
  return items;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
