import { BatchWriteCommand, type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { itemKeys } from '../../shared/adapters/dynamodb/table-design.js';
import { recipientIdentity } from '../../shared/domain/notify/delivery.js';
import type { Mailer } from '../../shared/domain/notify/ports.js';
import { runExpiryNotifications } from '../../shared/domain/notify/run-expiry-notifications.js';
import { digestWindows, utcDay } from '../../shared/domain/notify/windows.js';
import type { Log } from '../../shared/domain/ports.js';
import { countDynamoCalls } from './dynamo-call-counter.js';
import { elapsedMs, median } from './measure.js';
import { type BulkKey, batchWrite, bulkKeyIds, keyItems } from './seed.js';

/**
 * Scenario 5: the daily notifier's cost grows with the keys due, not with the table. The table gets
 * `total` keys (their company key items: the lookup items are not what the notifier or a scan for
 * expiring keys is about, and DynamoDB Local's scans slow down faster than linearly — so the scan
 * ratio below is conservative: a real table holds twice the items) across 100 companies, 1% of them in the
 * digest windows and the rest outside them — many in the very same expiry-day partitions, just past
 * the windows' edges. Then the real run (`runExpiryNotifications` on `DynamoNotificationStore`, a
 * counting mailer) against a full table Scan that finds the same keys, both counted on the wire.
 */

export const COMPANIES = 100;
const DAY_MS = 86_400_000;

export interface NotifierSizeResult {
  keys: number;
  tableItems: number;
  keysDue: number;
  loadSeconds: number;
  run: {
    /** Every item the run read: the expiry index plus each company's recipients. */
    itemsRead: number;
    /** Items the expiry index queries read (ScannedCount on the wire). */
    indexItemsRead: number;
    /** The whole run: index, recipients, claims, mails (counting mailer), markers. */
    wallMs: number;
    /** The index read alone: the part a scan would replace. */
    indexReadMs: number;
    emailsSent: number;
    calls: Record<string, number>;
  };
  scan: { itemsRead: number; wallMs: number; keysFound: number };
  /** Index items read per key due (budget: at most 1.5). */
  indexItemsPerDueKey: number;
  /** Scan over index read: how many times more a scan reads, and how much longer it takes. */
  itemsReadRatio: number;
  wallTimeRatio: number;
}

const silentLogger: Log = { info() {}, warn() {}, error() {} };

/**
 * One notifier run as of `asOf` on the DynamoDB notification store (its expiry index, recipients and
 * delivery ledger), mailing through `mailer`, logging nothing: what the bench and the notifier
 * budget tests measure.
 */
export function runNotifierOnStore(store: DynamoNotificationStore, mailer: Mailer, asOf: Date) {
  return runExpiryNotifications({
    clock: { now: () => asOf },
    asOf,
    expiryIndex: store,
    keyStates: store,
    recipients: store,
    ledger: store,
    mailer,
    logger: silentLogger,
    consoleUrl: 'https://keygate.example.com',
  });
}

/**
 * `count` keys (numbered from `offset`): every 100th due (spread over both windows), the others
 * expiring 1 minute to 300 days past the windows or expired 1 minute to 25 days before them, spread
 * evenly over the 100 companies.
 */
export function notifierKeys(count: number, asOf: Date, offset: number): BulkKey[] {
  const windows = digestWindows(asOf);
  const after = windows.covering.after.getTime();
  const until = windows.covering.until.getTime();
  return bulkKeyIds(count, asOf).map(({ keyId, createdAt }, i) => {
    const n = offset + i;
    let expiresAt: number;
    if (n % 100 === 0) {
      // Due: spread over (after, until].
      expiresAt = after + 1 + ((n * 7_919_993) % (until - after));
    } else if (n % 5 === 0) {
      // Expired before the windows, the nearest a minute before their start (same day partition).
      expiresAt = after - 60_000 - ((n * 104_729) % (25 * DAY_MS));
    } else {
      // Expiring after the windows, the nearest a minute after their end (same day partition).
      expiresAt = until + 60_000 + ((n * 1_299_709) % (300 * DAY_MS));
    }
    // Shifted by n/100, so the due keys (every 100th) spread over all companies too.
    return { companyId: companyOf(n), keyId, createdAt, expiresAt: new Date(expiresAt) };
  });
}

const companyId = (index: number) => `company-${String(index).padStart(3, '0')}`;
const companyOf = (n: number) => companyId((n + Math.floor(n / 100)) % COMPANIES);

/** The bench's recipients of company `index`: each company with keys due is sent one message per recipient. */
export const recipientsOf = (index: number, perCompany: number) =>
  Array.from({ length: perCompany }, (_, r) => `admin-${r}@${companyId(index)}.example.com`);

/** `perCompany` recipients (default 1) for every company. */
export async function seedRecipients(
  doc: DynamoDBDocumentClient,
  tableName: string,
  perCompany = 1,
): Promise<void> {
  const items = Array.from({ length: COMPANIES }, (_, i) => ({
    ...itemKeys.notificationSettings(companyId(i)),
    companyId: companyId(i),
    emails: recipientsOf(i, perCompany),
    updatedBy: 'bench',
    updatedAt: new Date().toISOString(),
  }));
  await batchWrite(doc, tableName, items);
}

/** Removes the day's delivery markers (one recipient each), so the next run sends again. */
async function clearMarkers(doc: DynamoDBDocumentClient, tableName: string, day: string): Promise<void> {
  const keys = Array.from({ length: COMPANIES }, (_, i) =>
    itemKeys.delivery(companyId(i), day, recipientIdentity(recipientsOf(i, 1)[0] ?? '')),
  );
  for (let i = 0; i < keys.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [tableName]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) },
      }),
    );
  }
}

/**
 * Loads `keys` into the table — the company key items, and with `lookupItems` the authorizer's lookup
 * items too — and returns the seconds it took.
 */
export async function loadKeys(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: BulkKey[],
  options: { lookupItems: boolean },
): Promise<number> {
  const started = process.hrtime.bigint();
  const items = keys.flatMap((key) => {
    const { companyItem, lookupItem } = keyItems(key);
    return options.lookupItems ? [companyItem, lookupItem] : [companyItem];
  });
  await batchWrite(doc, tableName, items, 16);
  return elapsedMs(started) / 1000;
}

/**
 * Measures the run (`runs` times, medians) and the scan (`scanRuns` times: on DynamoDB Local a scan of
 * 100,000 items takes about half a minute) on the table as it is, `asOf` fixed.
 * `seedDoc` is the loading client (long timeouts); the measured clients use keygate's settings.
 */
export async function measureNotifier(
  endpoint: string,
  seedDoc: DynamoDBDocumentClient,
  tableName: string,
  asOf: Date,
  expected: { keys: number; keysDue: number; loadSeconds: number },
  runs: { runs: number; scanRuns: number },
): Promise<NotifierSizeResult> {
  const doc = createDocumentClient({ endpoint });
  const counter = countDynamoCalls(doc);
  try {
    const store = new DynamoNotificationStore(doc, tableName);
    let sent = 0;
    const mailer: Mailer = {
      send: async () => ({ messageId: `bench-${++sent}` }),
    };
    const runTimes: number[] = [];
    const indexTimes: number[] = [];
    let summary: Awaited<ReturnType<typeof runExpiryNotifications>> | undefined;
    let runCalls: Record<string, number> = {};
    let runItemsRead = 0;
    let indexItemsRead = 0;
    for (let i = 0; i < runs.runs; i++) {
      await clearMarkers(seedDoc, tableName, utcDay(asOf));
      counter.reset();
      const started = process.hrtime.bigint();
      summary = await runNotifierOnStore(store, mailer, asOf);
      runTimes.push(elapsedMs(started));
      runCalls = counter.byKind();
      runItemsRead = counter.itemsRead();
      indexItemsRead = counter.calls
        .filter((call) => call.operation === 'Query')
        .reduce((sum, call) => sum + call.itemsRead, 0);
      // The index read alone, the part a scan would replace.
      const indexStarted = process.hrtime.bigint();
      await store.keysExpiringIn(digestWindows(asOf).covering);
      indexTimes.push(elapsedMs(indexStarted));
    }
    if (!summary) throw new Error('no run');
    if (summary.itemsRead !== indexItemsRead) {
      throw new Error(
        `the run reports ${summary.itemsRead} index items read, the wire shows ${indexItemsRead}`,
      );
    }
    // Every company with a key due gets one digest.
    const companiesDue = Math.min(COMPANIES, expected.keysDue);
    if (
      summary.keysDue !== expected.keysDue ||
      summary.emailsSent !== companiesDue ||
      summary.failed.length > 0
    ) {
      throw new Error(
        `notifier run found ${summary.keysDue} keys due (expected ${expected.keysDue}), sent ${summary.emailsSent}`,
      );
    }

    const scanTimes: number[] = [];
    let scanItemsRead = 0;
    let keysFound = 0;
    const windows = digestWindows(asOf);
    // The loading client: same SDK path, but patient — DynamoDB Local takes seconds per scan page at
    // 100,000 items, past keygate's 2.5 s request timeout (the run itself never comes near it).
    const scanCounter = countDynamoCalls(seedDoc);
    for (let i = 0; i < runs.scanRuns; i++) {
      scanCounter.reset();
      const started = process.hrtime.bigint();
      keysFound = 0;
      const pages = paginateScan(
        { client: seedDoc },
        {
          TableName: tableName,
          FilterExpression: 'attribute_exists(gsi1pk) AND expiresAt > :after AND expiresAt <= :until',
          ProjectionExpression: 'companyId, keyId, #name, keyPrefix, scopes, expiresAt',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':after': windows.covering.after.toISOString(),
            ':until': windows.covering.until.toISOString(),
          },
        },
      );
      for await (const page of pages) keysFound += page.Items?.length ?? 0;
      scanTimes.push(elapsedMs(started));
      scanItemsRead = scanCounter.itemsRead();
    }
    scanCounter.detach();
    if (keysFound !== expected.keysDue)
      throw new Error(`the scan found ${keysFound} keys due, expected ${expected.keysDue}`);

    const run = {
      itemsRead: runItemsRead,
      indexItemsRead,
      wallMs: median(runTimes),
      indexReadMs: median(indexTimes),
      emailsSent: summary.emailsSent,
      calls: runCalls,
    };
    const scan = { itemsRead: scanItemsRead, wallMs: median(scanTimes), keysFound };
    return {
      keys: expected.keys,
      tableItems: expected.keys + COMPANIES,
      keysDue: summary.keysDue,
      loadSeconds: expected.loadSeconds,
      run,
      scan,
      indexItemsPerDueKey: run.indexItemsRead / summary.keysDue,
      itemsReadRatio: scan.itemsRead / run.indexItemsRead,
      wallTimeRatio: scan.wallMs / run.indexReadMs,
    };
  } finally {
    counter.detach();
    doc.destroy();
  }
}
