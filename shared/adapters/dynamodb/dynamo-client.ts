import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, type DynamoClientOptions, sharedDynamoClient } from './dynamo-connection.js';

export type { DynamoClientOptions };

/** `removeUndefinedValues`: optional fields are simply left out of items. */
const wrap = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/**
 * Creates a document client with keygate's settings (short timeouts, bounded retries: see
 * `dynamo-connection.ts`) and `removeUndefinedValues`, on a new client.
 * Prefer `sharedDocumentClient`, which creates one per process.
 */
export function createDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  return wrap(createDynamoClient(options));
}

const shared = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

/**
 * The process's one document client, on the process's one DynamoDB client (`sharedDynamoClient`), so
 * connections stay warm across invocations. Asking again with a different endpoint is a programming error.
 */
export function sharedDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const client = sharedDynamoClient(options);
  let doc = shared.get(client);
  if (doc === undefined) {
    doc = wrap(client);
    shared.set(client, doc);
  }
  return doc;
}
