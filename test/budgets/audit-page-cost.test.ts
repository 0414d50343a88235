import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItem } from '../../shared/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoAuditReader } from '../../shared/adapters/dynamodb/dynamo-audit-reader.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { buildAuditEvent } from '../../shared/domain/audit/audit-event.js';
import type { Caller } from '../../shared/domain/auth/caller.js';
import { auditVisibilityFor } from '../../shared/domain/management/delegation.js';
import { FILTERED_LIST_READ_BUDGET } from '../../shared/domain/ports.js';
import { countDynamoCalls } from '../bench/dynamo-call-counter.js';
import { batchWrite } from '../bench/seed.js';
import { CATALOG } from '../support/catalog.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

/**
 * What one audit page costs, counted on the wire against DynamoDB Local: a root admin's page of 50 is
 * ONE Query of 51 items however many events the company has; a key that sees none of 1,200 events
 * stops at the read budget — six doubling Queries, 1,000 items — and answers an empty page with a cursor.
 */

let table: TestTable;
const admin: Caller = { kind: 'root-admin', companyId: 'audit-co', subject: 'sub' };
const TOTAL = 1200;

beforeAll(async () => {
  table = await createTestTable();
  const start = Date.parse('2026-11-01T00:00:00.000Z');
  const items = Array.from({ length: TOTAL }, (_, i) =>
    auditItem(
      buildAuditEvent({
        action: 'api-key.renamed',
        caller: admin,
        now: new Date(start + i * 1000),
        target: {
          keyId: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`,
          name: `k${i}`,
          scopes: ['messaging:read'],
        },
      }),
      365,
    ),
  );
  await batchWrite(table.doc, table.tableName, items);
}, 120_000);

afterAll(async () => {
  await table.drop();
});

describe('audit page cost', () => {
  it('a root admin: 1 Query of 51 items per page of 50; a key seeing nothing: 6 Queries, 1,000 items, a cursor', async () => {
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const counter = countDynamoCalls(doc);
    const log = new DynamoAuditReader(doc, table.tableName);
    try {
      counter.reset();
      const first = await log.list('audit-co', { limit: 50, filter: {} });
      expect(first.items).toHaveLength(50);
      expect(counter.byKind()).toEqual({ 'Query (consistent)': 1 });
      expect(counter.itemsRead()).toBe(51);

      counter.reset();
      const deeper = await log.list('audit-co', { limit: 50, filter: {}, cursor: first.nextCursor });
      expect((deeper.items[0]?.at ?? '') < (first.items.at(-1)?.at ?? '')).toBe(true);
      expect(counter.byKind()).toEqual({ 'Query (consistent)': 1 });
      expect(counter.itemsRead()).toBe(51);

      const colleaguesOnly: Caller = {
        kind: 'key',
        companyId: 'audit-co',
        keyId: '0190a0b0-0000-7000-8000-0000000000ff',
        keyName: 'reader',
        scopes: ['apikeys:read', 'colleagues:read'],
        expiresAt: '2027-01-01T00:00:00.000Z',
        allowedIps: [],
      };
      const visible = auditVisibilityFor(CATALOG, colleaguesOnly);
      counter.reset();
      const hidden = await log.list('audit-co', { limit: 50, filter: {}, ...(visible ? { visible } : {}) });
      expect(hidden.items).toEqual([]);
      expect(hidden.nextCursor).toBeDefined();
      // 51, 51, 102, 204, 408, then the 184 left of the budget.
      expect(counter.byKind()).toEqual({ 'Query (consistent)': 6 });
      expect(counter.itemsRead()).toBe(FILTERED_LIST_READ_BUDGET);
    } finally {
      counter.detach();
      doc.destroy();
    }
  });
});
