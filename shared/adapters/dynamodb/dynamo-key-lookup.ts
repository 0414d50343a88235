import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyLookup, KeyLookupStore } from '../../domain/ports.js';
import { itemKeys } from './table-design.js';

/**
 * The authorizer's slice of the key store — one consistent GetItem of the lookup item by digest, and
 * the throttled `lastUsedAt` write — on the plain DynamoDB client. The hot path needs no document
 * client and no schema library: the item's few attributes are checked by hand, so the authorizer's
 * bundle carries neither `@aws-sdk/lib-dynamodb` nor zod (issue 5's bundle budget) and a request pays
 * no marshalling layer. `DynamoKeyStore` delegates these two operations here: one implementation.
 */

/** An item that does not have the shape this store writes: a fault, never a missing key. */
export class CorruptItemError extends Error {
  constructor(what: string, cause: unknown) {
    super(`stored ${what} item has an unexpected shape`, { cause });
    this.name = 'CorruptItemError';
  }
}

export class DynamoKeyLookup implements KeyLookupStore {
  private readonly client: DynamoDBClient;

  /**
   * `client` may be a document client: it sends these plain commands unchanged (its marshalling
   * belongs to its own commands), so the store and the authorizer share one connection pool.
   */
  constructor(
    client: DynamoDBClient | DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = client as DynamoDBClient;
  }

  async findByDigest(digest: string): Promise<KeyLookup | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: lookupKey(digest), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : lookupFromItem(Item);
  }

  async touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    // ISO 8601 UTC strings of one format sort as the instants they name, so `<` compares times.
    const threshold = new Date(now.getTime() - minIntervalSeconds * 1000).toISOString();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: lookupKey(digest),
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :threshold)',
          ExpressionAttributeValues: { ':now': { S: now.toISOString() }, ':threshold': { S: threshold } },
        }),
      );
    } catch (error) {
      // Written recently by another request, or the key is gone: nothing to do.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}

function lookupKey(digest: string): Record<string, AttributeValue> {
  const { pk, sk } = itemKeys.lookup(digest);
  return { pk: { S: pk }, sk: { S: sk } };
}

/**
 * The lookup item as `DynamoKeyStore.create` writes it (through the document client: strings as `S`,
 * string arrays as lists of `S`), or `CorruptItemError`.
 */
function lookupFromItem(item: Record<string, AttributeValue>): KeyLookup {
  const text = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined) throw new CorruptItemError('lookup', `${name} is not a string`);
    return value;
  };
  const texts = (name: string): string[] => {
    const list = item[name]?.L;
    if (list === undefined) throw new CorruptItemError('lookup', `${name} is not a list`);
    return list.map((entry) => {
      if (entry.S === undefined) throw new CorruptItemError('lookup', `${name} holds a non-string`);
      return entry.S;
    });
  };
  const lastUsedAt = item.lastUsedAt;
  if (lastUsedAt !== undefined && lastUsedAt.S === undefined) {
    throw new CorruptItemError('lookup', 'lastUsedAt is not a string');
  }
  return {
    digest: text('digest'),
    companyId: text('companyId'),
    keyId: text('keyId'),
    name: text('name'),
    scopes: texts('scopes'),
    allowedIps: texts('allowedIps'),
    expiresAt: text('expiresAt'),
    lastUsedAt: lastUsedAt?.S ?? null,
  };
}
