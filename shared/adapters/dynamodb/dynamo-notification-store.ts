import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit-event.js';
import { ConflictError } from '../../domain/errors.js';
import { refKey } from '../../domain/notify/current-state.js';
import type {
  NotificationSettings,
  NotificationSettingsStore,
} from '../../domain/notify/notification-settings.js';
import type {
  ClaimOutcome,
  Delivery,
  ExpiryIndex,
  ExpiryIndexPage,
  IndexedKey,
  KeyRef,
  KeyState,
  KeyStateReader,
  NotificationLedger,
  RecipientDirectory,
} from '../../domain/notify/ports.js';
import { daysCovering, type TimeRange } from '../../domain/notify/windows.js';
import { AuditWriteError } from '../../domain/ports.js';
import { batchGetItems } from './batch-get-items.js';
import { auditPut } from './dynamo-audit-log.js';
import {
  CorruptItemError,
  deliveryConflictSchema,
  dueKeyItemSchema,
  keyStateItemSchema,
  parseItem,
} from './item-codecs.js';
import { itemKeys, TABLE_KEYS } from './table-design.js';

/** Attempts at an audited settings write when another write lands between its read and its write. */
const SETTINGS_WRITE_ATTEMPTS = 3;

/** Digest delivery markers outlive their day by this much, for audit; DynamoDB TTL removes them after. */
const MARKER_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * The notifier's DynamoDB adapter (layout in `table-design.ts`): reads the expiry index, the due
 * keys' current state from their own items, the companies' recipients, and keeps the digest delivery markers (one per company, day and recipient). Also the settings endpoints' store.
 */
export class DynamoNotificationStore
  implements ExpiryIndex, KeyStateReader, RecipientDirectory, NotificationLedger, NotificationSettingsStore
{
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Items per expiry index query page; DynamoDB's own 1 MB pages when unset (tests set it small). */
    private readonly queryPageSize?: number,
    /** How long the settings' audit records are kept before DynamoDB TTL removes them. */
    private readonly auditRetentionDays = 365,
  ) {}

  /**
   * Queries one index partition per UTC expiry day in the range, each limited by a sort key range,
   * so it reads only the keys in the range (never a scan), following every page.
   *
   * The sort key is `<expiresAt ISO>#<companyId>#<keyId>`, with `expiresAt` from `toISOString()`
   * (fixed width). `$` sorts right after `#`, so `<iso>$` is above every sort key of that instant
   * and below every later one: BETWEEN `<after>$` AND `<until>$` is exactly `after < expiresAt <= until`.
   */
  async keysExpiringIn(range: TimeRange): Promise<ExpiryIndexPage> {
    const { expiryIndex } = TABLE_KEYS;
    const perDay = await Promise.all(
      daysCovering(range).map(async (day) => {
        const keys: IndexedKey[] = [];
        let itemsRead = 0;
        const pages = paginateQuery(
          { client: this.doc },
          {
            TableName: this.tableName,
            IndexName: expiryIndex.name,
            ...(this.queryPageSize ? { Limit: this.queryPageSize } : {}),
            KeyConditionExpression: '#pk = :day AND #sk BETWEEN :after AND :until',
            // Only what the email shows: the key's digest never enters the notifier.
            ProjectionExpression: 'companyId, keyId, #name, keyPrefix, scopes, expiresAt',
            ExpressionAttributeNames: {
              '#pk': expiryIndex.partitionKey,
              '#sk': expiryIndex.sortKey,
              '#name': 'name',
            },
            ExpressionAttributeValues: {
              ':day': itemKeys.expiryDay(day),
              ':after': `${range.after.toISOString()}$`,
              ':until': `${range.until.toISOString()}$`,
            },
          },
        );
        for await (const page of pages) {
          itemsRead += page.ScannedCount ?? page.Items?.length ?? 0;
          for (const item of page.Items ?? []) keys.push(parseItem(dueKeyItemSchema, item, 'expiry index'));
        }
        return { keys, itemsRead };
      }),
    );
    return {
      keys: perDay.flatMap((day) => day.keys),
      itemsRead: perDay.reduce((sum, day) => sum + day.itemsRead, 0),
    };
  }

  /**
   * The company key items of `keys`, strongly consistent, 100 per BatchGetItem (unprocessed keys
   * retried with backoff), reading only the state the index lacks or may lag: never the digest or
   * the allow-list. The index cannot carry `enabled` and `rotatedTo`: a GSI's projection cannot be
   * changed in place by CloudFormation.
   */
  async statesOf(keys: readonly KeyRef[]): Promise<KeyState[]> {
    const asked = new Set(keys.map(refKey));
    const raw = await batchGetItems(this.doc, {
      tableName: this.tableName,
      keys: keys.map(({ companyId, keyId }) => itemKeys.companyKey(companyId, keyId)),
      projectionExpression: 'companyId, keyId, #name, keyPrefix, expiresAt, enabled, rotatedTo',
      expressionAttributeNames: { '#name': 'name' },
    });
    return raw.map((item) => {
      const state = parseItem(keyStateItemSchema, item, 'company key');
      // The item's key is its company and id; one saying otherwise is mis-written, never shown.
      if (!asked.has(refKey(state))) throw new CorruptItemError('company key', item);
      return {
        companyId: state.companyId,
        keyId: state.keyId,
        name: state.name,
        keyPrefix: state.keyPrefix,
        expiresAt: state.expiresAt,
        enabled: state.enabled ?? true,
        rotatedTo: state.rotatedTo ?? null,
      };
    });
  }

  async recipientsOf(companyId: string): Promise<string[]> {
    return (await this.getNotificationSettings(companyId))?.emails ?? [];
  }

  async getNotificationSettings(companyId: string): Promise<NotificationSettings | undefined> {
    return (await this.readSettings(companyId))?.settings;
  }

  /**
   * Without `audit`, one PutItem. With it, one TransactWriteItems putting the recipients item and the
   * audit record together, conditional on the item being as it was read (its `updatedAt`), so the
   * record's old recipients are the ones really replaced; a write landing in between is read again,
   * up to {@link SETTINGS_WRITE_ATTEMPTS} times, then a 409.
   */
  async putNotificationSettings(
    companyId: string,
    settings: NotificationSettings,
    change: { updatedBy: string; updatedAt: Date },
    audit?: (previous: NotificationSettings) => AuditEvent,
  ): Promise<void> {
    const item = {
      ...itemKeys.notificationSettings(companyId),
      companyId,
      emails: settings.emails,
      updatedBy: change.updatedBy,
      updatedAt: change.updatedAt.toISOString(),
    };
    if (audit === undefined) {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const current = await this.readSettings(companyId);
      const unchanged =
        current === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : current.updatedAt === undefined
            ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(updatedAt)' }
            : {
                ConditionExpression: 'updatedAt = :seen',
                ExpressionAttributeValues: { ':seen': current.updatedAt },
              };
      const event = audit(current?.settings ?? { emails: [] });
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.tableName, Item: item, ...unchanged } },
              auditPut(this.tableName, event, this.auditRetentionDays),
            ],
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [settingsReason, auditReason] = error.CancellationReasons ?? [];
        if (auditReason?.Code === 'ConditionalCheckFailed') throw new AuditWriteError();
        if (settingsReason?.Code !== 'ConditionalCheckFailed') throw error;
        if (attempt === SETTINGS_WRITE_ATTEMPTS) {
          throw new ConflictError('The recipients were changed by another request meanwhile; try again.');
        }
      }
    }
  }

  /** The recipients item (consistent read) and its `updatedAt`, or undefined if never set. */
  private async readSettings(
    companyId: string,
  ): Promise<{ settings: NotificationSettings; updatedAt: string | undefined } | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: itemKeys.notificationSettings(companyId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const emails = Array.isArray(Item.emails)
      ? Item.emails.filter((e): e is string => typeof e === 'string')
      : [];
    return {
      settings: { emails },
      updatedAt: typeof Item.updatedAt === 'string' ? Item.updatedAt : undefined,
    };
  }

  /**
   * One conditional UpdateItem. When the condition fails, DynamoDB returns the item as it was
   * (`ReturnValuesOnConditionCheckFailure`), so telling "sent" from "in progress" costs no second read.
   */
  async claim(delivery: Delivery, now: Date, leaseUntil: Date): Promise<ClaimOutcome> {
    // A token of this claim alone. The SDK retries a write whose answer it did not get (a timeout):
    // when the first try did land, the retry fails the condition on our own claim, and without the
    // token this run would take its own claim for another run's and leave the recipient to a retry
    // after the lease ran out.
    const claimToken = randomUUID();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.deliveryKey(delivery),
          UpdateExpression:
            'SET #status = :sending, claimedAt = :now, leaseUntil = :leaseUntil, claimToken = :claimToken, ' +
            'companyId = :companyId, #day = :day, recipient = :recipient, #ttl = :ttl ADD attempts :one',
          ConditionExpression:
            'attribute_not_exists(#status) OR #status = :failed OR (#status = :sending AND leaseUntil <= :now)',
          ExpressionAttributeNames: { '#status': 'status', '#day': 'day', '#ttl': TABLE_KEYS.ttlAttribute },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':failed': 'failed',
            ':now': now.toISOString(),
            ':leaseUntil': leaseUntil.toISOString(),
            ':claimToken': claimToken,
            ':companyId': delivery.companyId,
            ':day': delivery.day,
            ':recipient': delivery.recipient,
            ':ttl': Math.floor(now.getTime() / 1000) + MARKER_RETENTION_SECONDS,
            ':one': 1,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, claimToken };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const held = parseItem(deliveryConflictSchema, error.Item, 'digest delivery');
      if (held.status.S === 'sending' && held.claimToken?.S === claimToken)
        return { claimed: true, claimToken };
      return { claimed: false, state: held.status.S === 'sent' ? 'sent' : 'in-progress' };
    }
  }

  async markSent(delivery: Delivery, messageId: string, sentAt: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.deliveryKey(delivery),
        UpdateExpression:
          'SET #status = :sent, messageId = :messageId, sentAt = :sentAt REMOVE lastError, leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':messageId': messageId,
          ':sentAt': sentAt.toISOString(),
        },
      }),
    );
  }

  async markFailed(delivery: Delivery, claimToken: string, reason: string, failedAt: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.deliveryKey(delivery),
          UpdateExpression:
            'SET #status = :failed, lastError = :reason, failedAt = :failedAt REMOVE leaseUntil',
          // Only this run's own claim: a run that took over a lapsed lease may be sending, or have sent.
          ConditionExpression: '#status = :sending AND claimToken = :claimToken',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':sending': 'sending',
            ':claimToken': claimToken,
            ':reason': reason,
            ':failedAt': failedAt.toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private deliveryKey({ companyId, day, recipient }: Delivery) {
    return itemKeys.delivery(companyId, day, recipient);
  }
}
