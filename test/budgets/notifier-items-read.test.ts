import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/dynamo-notification-store.js';
import type { Mailer } from '../../shared/domain/notify/ports.js';
import { BUDGETS } from '../bench/budgets.js';
import { countDynamoCalls } from '../bench/dynamo-call-counter.js';
import { notifierKeys, runNotifierOnStore, seedRecipients } from '../bench/notifier-scaling.js';
import { batchWrite, keyItems } from '../bench/seed.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * Issue 5's notifier budget: a run reads at most 1.5 expiry-index items per key due, however many keys
 * the table holds. 3,000 keys across 100 companies, 1% due, the rest expiring just past the windows'
 * edges in the same expiry-day partitions; counted on the wire (Query `ScannedCount`), with small
 * query pages so paging is part of what is counted.
 */

const KEYS = 3_000;
const DUE = KEYS / 100;

let table: TestTable;
// Tomorrow's 11:00 UTC run, not a fixed date: the seeded items carry \`ttl\` (expiry + 30 days), and
// a fixed date long past would seed items DynamoDB's TTL may remove while the test reads them.
const today = new Date();
const asOf = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 11));

beforeAll(async () => {
  table = await createTestTable();
  await seedRecipients(table.doc, table.tableName);
  const items = notifierKeys(KEYS, asOf, 0).map((key) => keyItems(key).companyItem);
  await batchWrite(table.doc, table.tableName, items);
}, 60_000);

afterAll(async () => {
  await table.drop();
});

describe('notifier items read', () => {
  it(`reads at most ${BUDGETS.notifierIndexItemsPerDueKey} index items per key due, and finds every one`, async () => {
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const counter = countDynamoCalls(doc);
    try {
      let sent = 0;
      const mailer: Mailer = { send: async () => ({ messageId: `m-${++sent}` }) };
      const store = new DynamoNotificationStore(doc, table.tableName, 7);
      const summary = await runNotifierOnStore(store, mailer, asOf);
      const queries = counter.calls.filter((call) => call.operation === 'Query');
      const indexItemsRead = queries.reduce((sum, call) => sum + call.itemsRead, 0);
      expect(summary.keysDue).toBe(DUE);
      expect(summary.emailsSent).toBe(DUE);
      expect(summary.itemsRead).toBe(indexItemsRead);
      expect(indexItemsRead).toBeLessThanOrEqual(BUDGETS.notifierIndexItemsPerDueKey * DUE);
      // The due keys' own items, each read once, 100 to a BatchGetItem: also only what is due.
      const stateReads = counter.calls.filter((call) => call.operation === 'BatchGetItem');
      expect(stateReads).toHaveLength(Math.ceil(DUE / BUDGETS.notifierStateReads.keysPerBatchGet));
      expect(stateReads.every((call) => call.consistentRead)).toBe(true);
      expect(stateReads.reduce((sum, call) => sum + call.itemsRead, 0)).toBe(
        BUDGETS.notifierStateReads.itemsPerDueKey * DUE,
      );
      // Never a scan: the cost does not grow with the table.
      expect(counter.calls.some((call) => call.operation === 'Scan')).toBe(false);
    } finally {
      counter.detach();
      doc.destroy();
    }
  });
});
