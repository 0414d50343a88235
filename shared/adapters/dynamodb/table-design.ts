/**
 * The one DynamoDB table and its access paths. The CDK stack, local mode and the tests all
 * create the table from these names, so the layout lives in exactly one place.
 *
 * | item            | pk                    | sk                       | gsi1pk (expiry index)  | gsi1sk                              |
 * |-----------------|-----------------------|--------------------------|------------------------|-------------------------------------|
 * | key lookup      | `DIGEST#<sha256 hex>` | `DIGEST`                 | –                      | –                                   |
 * | company's key   | `COMPANY#<companyId>` | `KEY#<keyId>`            | `EXPIRES#<yyyy-mm-dd>` | `<expiresAt ISO>#<companyId>#<keyId>` |
 * | recipients      | `COMPANY#<companyId>` | `SETTINGS#notifications` | –                      | –                                   |
 * | digest delivery | `COMPANY#<companyId>` | `NOTIFIED#<yyyy-mm-dd>#TO#<recipient>` | –        | –                                   |
 * | audit event     | `COMPANY#<companyId>` | `AUDIT#<at ISO>#<eventId>` | –                    | –                                   |
 *
 * - The authorizer reads one lookup item (strongly consistent GetItem); `lastUsedAt` lives there
 *   only, so the hot path never touches the company partition.
 * - Listing and getting query the company partition (strongly consistent) and read `lastUsedAt`
 *   from the lookup items with one BatchGetItem per page.
 * - The expiry index is sparse (only company key items carry `gsi1pk`) and partitioned by UTC
 *   expiry day, so the notifier reads just the days in its windows.
 * - A digest delivery item is one recipient's copy of one day's digest (its claim, lease and `sent`
 *   mark; `<recipient>` case-folded), so each recipient gets each day's digest once. The recipient
 *   `#events` (never an address) is the company's expiry events of the day, published once likewise.
 * - An audit event is written in the same TransactWriteItems as the change it records; the company's
 *   events, newest first, are a reverse Query on `begins_with(sk, 'AUDIT#')` of its partition. The
 *   table's stream (NEW_IMAGE) carries each audit item's INSERT to EventBridge: an outbox.
 * - `ttl` = expiresAt + retention (epoch seconds) on both key items; at + `auditRetentionDays` on
 *   an audit event.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  expiryIndex: {
    name: 'expiry-index',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    /**
     * What the daily email shows, and nothing more: not the digest, not the allow-list. The index
     * stays small (cheaper writes and storage) and its readers cannot see lookup digests.
     */
    projectedAttributes: ['companyId', 'keyId', 'name', 'keyPrefix', 'scopes', 'expiresAt'],
  },
} as const;

export const itemKeys = {
  lookup: (digest: string) => ({ pk: `DIGEST#${digest}`, sk: 'DIGEST' }),
  companyKey: (companyId: string, keyId: string) => ({ pk: `COMPANY#${companyId}`, sk: `KEY#${keyId}` }),
  companyPartition: (companyId: string) => `COMPANY#${companyId}`,
  companyKeyPrefix: 'KEY#',
  notificationSettings: (companyId: string) => ({ pk: `COMPANY#${companyId}`, sk: 'SETTINGS#notifications' }),
  delivery: (companyId: string, day: string, recipient: string) => ({
    pk: `COMPANY#${companyId}`,
    sk: `NOTIFIED#${day}#TO#${recipient}`,
  }),
  auditEvent: (companyId: string, at: string, eventId: string) => ({
    pk: `COMPANY#${companyId}`,
    sk: `AUDIT#${at}#${eventId}`,
  }),
  auditEventPrefix: 'AUDIT#',
  expiryDay: (day: string) => `EXPIRES#${day}`,
  expirySortKey: (expiresAt: string, companyId: string, keyId: string) =>
    `${expiresAt}#${companyId}#${keyId}`,
} as const;
