import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from '../shared/adapters/dynamodb/table-design.js';

/**
 * DynamoDB Local answers `TransactWriteItems` before its transaction is committed: the jar's
 * `SQLiteDBAccess.commitTransaction` (and `rollbackTransaction`) put the `COMMIT` on its one SQLite
 * job queue and return without waiting for it, while every other call waits for its job. A hard
 * kill in that window loses a write that was already acknowledged (the whole transaction: never half
 * of it; the left-over `shared-local-instance.db-journal` is that open transaction).
 *
 * The queue runs jobs in order on one thread, so any call that waits for its own job also waits for
 * every `COMMIT` queued before it. The barrier is such a call: a strongly consistent GetItem of a key
 * that never exists. Local mode passes it after each write request, before answering the client, so
 * an answer is only sent once what it acknowledges is in the database file.
 */

/** Waits until DynamoDB Local has run every commit queued so far; throws if it cannot be reached. */
export type CommitBarrier = () => Promise<void>;

/** A key no keygate item has (keygate's partition keys all start with an upper-case word and `#`). */
const BARRIER_KEY = {
  [TABLE_KEYS.partitionKey]: { S: 'local-commit-barrier' },
  [TABLE_KEYS.sortKey]: { S: 'local-commit-barrier' },
};

/** The barrier for `tableName` on the DynamoDB Local that `client` calls. */
export function dynamoDbCommitBarrier(client: DynamoDBClient, tableName: string): CommitBarrier {
  return async () => {
    await client.send(new GetItemCommand({ TableName: tableName, Key: BARRIER_KEY, ConsistentRead: true }));
  };
}
