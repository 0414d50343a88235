import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import { countDynamoCalls } from '../bench/dynamo-call-counter.js';
import { batchWrite, bulkKeyIds, keyItems } from '../bench/seed.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * Listing's cost per page does not grow with the company's size or the page's depth: a page of 50
 * reads the same items (one Query of 51, one BatchGetItem of 50) for a company of 60 keys and one of
 * 600, on the first page and on the tenth. Counted on the wire against DynamoDB Local.
 */

let table: TestTable;
const now = new Date();

async function seedCompany(companyId: string, count: number): Promise<void> {
  const items = bulkKeyIds(count, now).flatMap(({ keyId, createdAt }) => {
    const { companyItem, lookupItem } = keyItems({
      companyId,
      keyId,
      createdAt,
      expiresAt: new Date(now.getTime() + 90 * 86_400_000),
    });
    return [companyItem, lookupItem];
  });
  await batchWrite(table.doc, table.tableName, items);
}

beforeAll(async () => {
  table = await createTestTable();
  await seedCompany('small-co', 60);
  await seedCompany('big-co', 600);
}, 60_000);

afterAll(async () => {
  await table.drop();
});

describe('listing page cost', () => {
  it('reads the same items per page whatever the company size or page depth', async () => {
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const counter = countDynamoCalls(doc);
    const store = new DynamoKeyStore(doc, table.tableName);
    const cost = async (companyId: string, cursor?: string) => {
      counter.reset();
      const page = await store.list(companyId, { limit: 50, ...(cursor ? { cursor } : {}) });
      return { page, kinds: counter.byKind(), itemsRead: counter.itemsRead() };
    };
    try {
      const small = await cost('small-co');
      const bigFirst = await cost('big-co');
      let cursor = bigFirst.page.nextCursor;
      for (let page = 2; page < 10; page++)
        cursor = (await store.list('big-co', { limit: 50, cursor })).nextCursor;
      const bigTenth = await cost('big-co', cursor);

      for (const measured of [small, bigFirst, bigTenth]) {
        expect(measured.page.items).toHaveLength(50);
        expect(measured.kinds).toEqual({ 'Query (consistent)': 1, 'BatchGetItem (consistent)': 1 });
        expect(measured.itemsRead).toBe(101);
      }
    } finally {
      counter.detach();
      doc.destroy();
    }
  });
});
