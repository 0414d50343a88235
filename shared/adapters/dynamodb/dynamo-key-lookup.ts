import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyLookup, KeyLookupStore } from '../../domain/ports.js';
import { lookupItemSchema, parseItem } from './item-codecs.js';
import { itemKeys } from './table-design.js';

/**
 * The authorizer's slice of the key store: one strongly consistent GetItem of the lookup item by
 * digest, decoded by the one item decoder (`item-codecs.ts`), and the throttled `lastUsedAt` write.
 * `DynamoKeyStore` delegates these two operations here: one implementation.
 */
export class DynamoKeyLookup implements KeyLookupStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findByDigest(digest: string): Promise<KeyLookup | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.lookup(digest), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const item = parseItem(lookupItemSchema, Item, 'lookup');
    return {
      digest: item.digest,
      companyId: item.companyId,
      keyId: item.keyId,
      name: item.name,
      scopes: item.scopes,
      allowedIps: item.allowedIps,
      expiresAt: item.expiresAt,
      lastUsedAt: item.lastUsedAt ?? null,
      enabled: item.enabled ?? true,
    };
  }

  async touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    // ISO 8601 UTC strings of one format sort as the instants they name, so `<` compares times.
    const threshold = new Date(now.getTime() - minIntervalSeconds * 1000).toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.lookup(digest),
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :threshold)',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':threshold': threshold },
        }),
      );
    } catch (error) {
      // Written recently by another request, or the key is gone: nothing to do.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}
