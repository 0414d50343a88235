import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, AuditSubject } from '../../domain/audit/audit-event.js';
import {
  type ApiKeyRecord,
  type AuditFor,
  AuditWriteError,
  type KeyFilter,
  type KeyLookup,
  type KeyStore,
  type ListPage,
  type RotationOutcome,
  type RotationPlan,
} from '../../domain/ports.js';
import { batchGetItems } from './batch-get-items.js';
import { auditPut } from './dynamo-audit-log.js';
import { DynamoKeyLookup } from './dynamo-key-lookup.js';
import { readFilteredPage } from './filtered-page-reader.js';
import {
  type CompanyKeyItem,
  CorruptItemError,
  companyKeyItemSchema,
  lastUsedSchema,
  parseItem,
} from './item-codecs.js';
import { decodeListCursor, encodeListCursor } from './list-cursor.js';
import { itemKeys, TABLE_KEYS } from './table-design.js';

/**
 * `KeyStore` on the one keygate table (layout: `table-design.ts`). Every key is two items written and
 * removed together in transactions: the lookup item the authorizer reads by digest, and the company's
 * key item that listing, getting and the notifier's expiry index read. `lastUsedAt` lives on the
 * lookup item only, so the authorizer's hot path never touches the company partition.
 */

function toRecord(item: CompanyKeyItem, lastUsedAt: string | null): ApiKeyRecord {
  return {
    id: item.keyId,
    companyId: item.companyId,
    name: item.name,
    keyPrefix: item.keyPrefix,
    scopes: item.scopes,
    allowedIps: item.allowedIps,
    createdAt: item.createdAt,
    createdBy: item.createdBy,
    expiresAt: item.expiresAt,
    lastUsedAt,
    enabled: item.enabled ?? true,
    rotatedFrom: item.rotatedFrom ?? null,
    rotatedTo: item.rotatedTo ?? null,
  };
}

/** One entry of a TransactWriteItems request. */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** True when a transaction was cancelled because one of its conditions failed (not a fault). */
function conditionFailed(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')
  );
}

/** True when the transaction was cancelled because its audit Put (always the last entry) failed. */
function auditFailed(error: unknown, transactItems: TransactItem[], audited: boolean): boolean {
  if (!audited || !(error instanceof TransactionCanceledException)) return false;
  return error.CancellationReasons?.[transactItems.length - 1]?.Code === 'ConditionalCheckFailed';
}

export class DynamoKeyStore implements KeyStore {
  /** The lookup item's reads and writes (the authorizer's hot path), in one place for both users. */
  private readonly lookup: DynamoKeyLookup;

  /**
   * @param auditRetentionDays how long an audit record is kept before DynamoDB TTL removes it
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditRetentionDays = 365,
  ) {
    this.lookup = new DynamoKeyLookup(doc, tableName);
  }

  findByDigest(digest: string): Promise<KeyLookup | undefined> {
    return this.lookup.findByDigest(digest);
  }

  touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    return this.lookup.touchLastUsed(digest, now, minIntervalSeconds);
  }

  async create(
    record: ApiKeyRecord,
    digest: string,
    ttlEpochSeconds: number,
    audit?: AuditEvent,
  ): Promise<void> {
    await this.transact(this.putKeyItems(record, digest, ttlEpochSeconds), audit);
  }

  async setEnabled(
    companyId: string,
    keyId: string,
    enabled: boolean,
    visible?: KeyFilter,
    audit?: AuditFor,
  ): Promise<ApiKeyRecord | undefined> {
    return this.updateKey(companyId, keyId, visible, audit, {
      UpdateExpression: 'SET enabled = :enabled',
      ExpressionAttributeValues: { ':enabled': enabled },
      updated: (item) => ({ ...item, enabled }),
    });
  }

  async rotate(
    companyId: string,
    keyId: string,
    plan: (current: ApiKeyRecord) => RotationPlan,
    visible?: KeyFilter,
    audit?: (current: ApiKeyRecord, successor: ApiKeyRecord) => AuditEvent,
  ): Promise<RotationOutcome> {
    const found = await this.getWithLookup(companyId, keyId);
    if (found === undefined || (visible !== undefined && !visible(found.item)))
      return { outcome: 'not-found' };
    const current = toRecord(found.item, found.lastUsedAt);
    const decided = plan(current);
    const successor = { ...decided.successor, rotatedFrom: keyId };
    const oldExpiresAt = new Date(decided.oldExpiresAt).toISOString();
    const values = {
      ':successor': successor.id,
      ':expiresAt': oldExpiresAt,
      ':ttl': decided.oldTtlEpochSeconds,
      ':digest': found.item.digest,
    };
    const transactItems: TransactItem[] = [
      ...this.putKeyItems(successor, decided.successorDigest, decided.successorTtlEpochSeconds),
      {
        // Unrotated and unchanged since the read: a key has at most one successor.
        Update: {
          TableName: this.tableName,
          Key: itemKeys.companyKey(companyId, keyId),
          UpdateExpression:
            'SET rotatedTo = :successor, expiresAt = :expiresAt, #ttl = :ttl, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
          ConditionExpression:
            'attribute_exists(pk) AND digest = :digest AND attribute_not_exists(rotatedTo)',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttlAttribute },
          ExpressionAttributeValues: {
            ...values,
            // The expiry index follows the new expiry, so the daily email reports the old key's end.
            ':gsi1pk': itemKeys.expiryDay(oldExpiresAt.slice(0, 10)),
            ':gsi1sk': itemKeys.expirySortKey(oldExpiresAt, companyId, keyId),
          },
        },
      },
    ];
    if (found.hasLookup) {
      transactItems.push({
        Update: {
          TableName: this.tableName,
          Key: itemKeys.lookup(found.item.digest),
          UpdateExpression: 'SET expiresAt = :expiresAt, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND digest = :digest',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttlAttribute },
          ExpressionAttributeValues: {
            ':expiresAt': values[':expiresAt'],
            ':ttl': values[':ttl'],
            ':digest': values[':digest'],
          },
        },
      });
    }
    try {
      await this.transact(transactItems, audit?.(current, successor));
    } catch (error) {
      if (conditionFailed(error)) return { outcome: 'conflict' }; // deleted or rotated meanwhile
      throw error;
    }
    return {
      outcome: 'rotated',
      old: { ...current, expiresAt: oldExpiresAt, rotatedTo: successor.id },
      successor,
    };
  }

  async list(
    companyId: string,
    options: { limit: number; cursor?: string; visible?: KeyFilter },
  ): Promise<ListPage> {
    const after = options.cursor === undefined ? undefined : decodeListCursor(companyId, options.cursor);
    const { visible } = options;
    const page = await readFilteredPage(this.doc, {
      tableName: this.tableName,
      keyCondition: {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keyPrefix)',
        ExpressionAttributeValues: {
          ':pk': itemKeys.companyPartition(companyId),
          ':keyPrefix': itemKeys.companyKeyPrefix,
        },
      },
      limit: options.limit,
      ...(after === undefined ? {} : { startAfter: itemKeys.companyKey(companyId, after) }),
      decode: (raw) => parseItem(companyKeyItemSchema, raw, 'company key'),
      positionOf: (item) => item.keyId,
      // A hidden key goes no further than this predicate: not its name, nor its lastUsedAt read.
      ...(visible === undefined ? {} : { admits: visible }),
    });
    const lastUsed = await this.lastUsedByDigest(page.items.map((item) => item.digest));
    return {
      items: page.items.map((item) => toRecord(item, lastUsed.get(item.digest) ?? null)),
      ...(page.continueAfter !== undefined
        ? { nextCursor: encodeListCursor(companyId, page.continueAfter) }
        : {}),
    };
  }

  async get(companyId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    const found = await this.getWithLookup(companyId, keyId);
    return found === undefined ? undefined : toRecord(found.item, found.lastUsedAt);
  }

  async rename(
    companyId: string,
    keyId: string,
    name: string,
    visible?: KeyFilter,
    audit?: AuditFor,
  ): Promise<ApiKeyRecord | undefined> {
    return this.updateKey(companyId, keyId, visible, audit, {
      UpdateExpression: 'SET #name = :name',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':name': name },
      updated: (item) => ({ ...item, name }),
    });
  }

  async delete(companyId: string, keyId: string, visible?: KeyFilter, audit?: AuditFor): Promise<boolean> {
    const found = await this.getWithLookup(companyId, keyId);
    if (found === undefined || (visible !== undefined && !visible(found.item))) return false;
    try {
      await this.transact(
        [
          {
            Delete: {
              TableName: this.tableName,
              Key: itemKeys.companyKey(companyId, keyId),
              ConditionExpression: 'attribute_exists(pk) AND digest = :digest',
              ExpressionAttributeValues: { ':digest': found.item.digest },
            },
          },
          // Unconditional: the lookup item may already have been removed by TTL.
          { Delete: { TableName: this.tableName, Key: itemKeys.lookup(found.item.digest) } },
        ],
        audit?.(toRecord(found.item, found.lastUsedAt)),
      );
    } catch (error) {
      if (conditionFailed(error)) return false; // deleted meanwhile
      throw error;
    }
    return true;
  }

  /**
   * Sets attributes on both items of a key the caller may see (rename, disable, enable): one
   * transaction, conditional on the digest read here, so what was judged visible is what changes
   * (scopes never change). Undefined when there is no such key, or it was deleted meanwhile.
   */
  private async updateKey(
    companyId: string,
    keyId: string,
    visible: KeyFilter | undefined,
    audit: AuditFor | undefined,
    change: {
      UpdateExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
      /** The key item as the update leaves it. */
      updated: (item: CompanyKeyItem) => CompanyKeyItem;
    },
  ): Promise<ApiKeyRecord | undefined> {
    const found = await this.getWithLookup(companyId, keyId);
    if (found === undefined || (visible !== undefined && !visible(found.item))) return undefined;
    const { updated, ExpressionAttributeValues, ...expression } = change;
    const update = (key: Record<string, string>) => ({
      Update: {
        TableName: this.tableName,
        Key: key,
        ...expression,
        ConditionExpression: 'attribute_exists(pk) AND digest = :digest',
        ExpressionAttributeValues: { ...ExpressionAttributeValues, ':digest': found.item.digest },
      },
    });
    const transactItems = [update(itemKeys.companyKey(companyId, keyId))];
    // The lookup item is what the authorizer reads; TTL removes the two items independently, and a
    // lookup item already gone (an expired key) has nothing to update.
    if (found.hasLookup) transactItems.push(update(itemKeys.lookup(found.item.digest)));
    try {
      await this.transact(transactItems, audit?.(toRecord(found.item, found.lastUsedAt)));
    } catch (error) {
      if (conditionFailed(error)) return undefined; // deleted meanwhile
      throw error;
    }
    return toRecord(updated(found.item), found.lastUsedAt);
  }

  /**
   * Every write goes through here, one transaction each, with the change's audit record as its last
   * entry: the change and its record commit together or not at all. A cancelled audit Put throws
   * `AuditWriteError` (a fault: the change was not made), never a not-found or conflict outcome.
   */
  private async transact(transactItems: TransactItem[], audit?: AuditEvent): Promise<void> {
    const items =
      audit === undefined
        ? transactItems
        : [...transactItems, auditPut(this.tableName, audit, this.auditRetentionDays)];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (auditFailed(error, items, audit !== undefined)) throw new AuditWriteError();
      throw error;
    }
  }

  /** The two conditional Puts of a new key: its lookup item and the company's key item. */
  private putKeyItems(record: ApiKeyRecord, digest: string, ttlEpochSeconds: number): TransactItem[] {
    const expiresAt = new Date(record.expiresAt).toISOString();
    const rotatedFrom = record.rotatedFrom === null ? {} : { rotatedFrom: record.rotatedFrom };
    const companyItem = {
      ...itemKeys.companyKey(record.companyId, record.id),
      gsi1pk: itemKeys.expiryDay(expiresAt.slice(0, 10)),
      gsi1sk: itemKeys.expirySortKey(expiresAt, record.companyId, record.id),
      [TABLE_KEYS.ttlAttribute]: ttlEpochSeconds,
      companyId: record.companyId,
      keyId: record.id,
      name: record.name,
      keyPrefix: record.keyPrefix,
      scopes: record.scopes,
      allowedIps: record.allowedIps,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
      expiresAt,
      digest,
      enabled: record.enabled,
      ...rotatedFrom,
    } satisfies CompanyKeyItem & Record<string, unknown>;
    const lookupItem = {
      ...itemKeys.lookup(digest),
      [TABLE_KEYS.ttlAttribute]: ttlEpochSeconds,
      digest,
      companyId: record.companyId,
      keyId: record.id,
      name: record.name,
      scopes: record.scopes,
      allowedIps: record.allowedIps,
      expiresAt,
      enabled: record.enabled,
    };
    const put = (Item: Record<string, unknown>) => ({
      Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    return [put(lookupItem), put(companyItem)];
  }

  /**
   * A key of the company by id, name and scopes only: one consistent GetItem of its company item
   * (what a refusal's `access.denied` record names), never its lookup item.
   */
  async getSubject(companyId: string, keyId: string): Promise<AuditSubject | undefined> {
    const item = await this.getKeyItem(companyId, keyId);
    return item === undefined ? undefined : { keyId: item.keyId, name: item.name, scopes: item.scopes };
  }

  /** The company's key item (consistent read). */
  private async getKeyItem(companyId: string, keyId: string): Promise<CompanyKeyItem | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: itemKeys.companyKey(companyId, keyId),
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    const item = parseItem(companyKeyItemSchema, Item, 'company key');
    // The partition key already scopes the read to the company; this guards against a mis-written item.
    if (item.companyId !== companyId || item.keyId !== keyId) throw new CorruptItemError('company key', Item);
    return item;
  }

  /** The company's key item (consistent read) and, from its lookup item, `lastUsedAt`. */
  private async getWithLookup(
    companyId: string,
    keyId: string,
  ): Promise<{ item: CompanyKeyItem; lastUsedAt: string | null; hasLookup: boolean } | undefined> {
    const item = await this.getKeyItem(companyId, keyId);
    if (item === undefined) return undefined;
    const lookup = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: itemKeys.lookup(item.digest),
        ConsistentRead: true,
        ProjectionExpression: '#pk, lastUsedAt',
        ExpressionAttributeNames: { '#pk': 'pk' },
      }),
    );
    const lastUsed = lookup.Item === undefined ? undefined : parseItem(lastUsedSchema, lookup.Item, 'lookup');
    return { item, lastUsedAt: lastUsed?.lastUsedAt ?? null, hasLookup: lastUsed !== undefined };
  }

  /** `lastUsedAt` of the given keys' lookup items: one BatchGetItem, retrying what DynamoDB leaves unprocessed. */
  private async lastUsedByDigest(digests: string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (digests.length === 0) return result;
    const digestOfPk = new Map(digests.map((digest) => [itemKeys.lookup(digest).pk, digest]));
    const items = await batchGetItems(this.doc, {
      tableName: this.tableName,
      keys: digests.map((digest) => itemKeys.lookup(digest)),
      projectionExpression: '#pk, lastUsedAt',
      expressionAttributeNames: { '#pk': 'pk' },
    });
    for (const raw of items) {
      const item = parseItem(lastUsedSchema, raw, 'lookup');
      const digest = digestOfPk.get(item.pk);
      if (digest !== undefined && item.lastUsedAt !== undefined) result.set(digest, item.lastUsedAt);
    }
    return result;
  }
}
