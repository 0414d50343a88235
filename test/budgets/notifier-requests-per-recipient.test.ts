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
 * Issue 11's notifier budget: requests per recipient, counted on the wire (DynamoDB) and at the mailer
 * port (SES). 1,000 keys over 100 companies, 10 of them due (one in each of 10 companies), 3
 * recipients per company: a first run, then a rerun the same day that must send nobody anything.
 * Per run, besides: the expiry index Queries, and one BatchGetItem of the 10 due keys' own items.
 */

const KEYS = 1_000;
const COMPANIES_DUE = 10;
const RECIPIENTS = 3;
// Tomorrow's 11:00 UTC run, not a fixed date: the seeded items carry \`ttl\` (expiry + 30 days), and
// a fixed date long past would seed items DynamoDB's TTL may remove while the test reads them.
const today = new Date();
const asOf = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 11));
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  await seedRecipients(table.doc, table.tableName, RECIPIENTS);
  await batchWrite(
    table.doc,
    table.tableName,
    notifierKeys(KEYS, asOf, 0).map((key) => keyItems(key).companyItem),
  );
}, 60_000);

afterAll(async () => {
  await table.drop();
});

describe('notifier requests per recipient', () => {
  it(`sends each recipient one message for ${BUDGETS.notifierPerRecipient.firstRun.dynamoWrites} DynamoDB writes, and a rerun costs ${BUDGETS.notifierPerRecipient.rerun.dynamoWrites} write and no mail`, async () => {
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const counter = countDynamoCalls(doc);
    const sent: string[] = [];
    const mailer: Mailer = { send: async (email) => ({ messageId: `m-${sent.push(email.to)}` }) };
    const store = new DynamoNotificationStore(doc, table.tableName);
    const run = () => runNotifierOnStore(store, mailer, asOf);
    const recipients = COMPANIES_DUE * RECIPIENTS;
    const { notifierPerRecipient: perRecipient, notifierReadsPerCompany, notifierStateReads } = BUDGETS;
    // The due keys' current state: one BatchGetItem per 100 keys due (10 here: one).
    const stateBatchGets = Math.ceil(COMPANIES_DUE / notifierStateReads.keysPerBatchGet);
    try {
      const first = await run();
      expect(first).toMatchObject({ companiesScanned: COMPANIES_DUE, emailsSent: recipients, failed: [] });
      const { Query: queries, ...firstRest } = counter.byKind();
      expect(queries).toBeGreaterThan(0);
      expect(firstRest).toEqual({
        'BatchGetItem (consistent)': stateBatchGets,
        'GetItem (consistent)': notifierReadsPerCompany * COMPANIES_DUE,
        UpdateItem: perRecipient.firstRun.dynamoWrites * recipients,
      });
      expect(sent).toHaveLength(perRecipient.firstRun.sesCalls * recipients);
      // One message per recipient, each to one address.
      expect(new Set(sent).size).toBe(recipients);

      counter.reset();
      sent.length = 0;
      const rerun = await run();
      expect(rerun).toMatchObject({ emailsSent: 0, alreadySent: recipients, failed: [] });
      const { Query: _, ...rerunRest } = counter.byKind();
      expect(rerunRest).toEqual({
        'BatchGetItem (consistent)': stateBatchGets,
        'GetItem (consistent)': notifierReadsPerCompany * COMPANIES_DUE,
        'UpdateItem (failed)': perRecipient.rerun.dynamoWrites * recipients,
      });
      expect(sent).toHaveLength(perRecipient.rerun.sesCalls * recipients);
    } finally {
      counter.detach();
      doc.destroy();
    }
  });
});
