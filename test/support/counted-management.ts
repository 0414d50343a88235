import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { Caller } from '../../shared/domain/auth/caller.js';
import { systemClock } from '../../shared/domain/clock.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { countDynamoCalls, type DynamoCallCounter } from '../bench/dynamo-call-counter.js';
import { CATALOG } from './catalog.js';
import { createTestTable, type TestTable } from './dynamo.js';

/**
 * The setup of the management budget tests (`test/budgets/`): the key use cases on the real DynamoDB
 * adapter, on a fresh table of DynamoDB Local, with a counter of what their client sends.
 */

export interface CountedManagement {
  table: TestTable;
  deps: ManagementDeps;
  /** The client `deps.store` sends with, for other adapters measured with it (the audit recorder). */
  doc: DynamoDBDocumentClient;
  /** Counts the requests `deps.store` sends; reset it before the calls a test measures. */
  counter: DynamoCallCounter;
}

/** The root admin the budget tests act as. */
export const BUDGET_ADMIN: Caller = {
  kind: 'root-admin',
  companyId: 'acme',
  subject: 'sub',
  email: 'root@acme.example',
};

/** What a change of one existing key costs: its two items read consistently, then one transaction. */
export const READS_AND_ONE_TRANSACTION = { 'GetItem (consistent)': 2, TransactWriteItems: 1 };

/**
 * Registers the file's `beforeAll`/`afterAll`: a fresh table and counted management deps, dropped
 * after the file. Returns their getter, for use inside tests.
 */
export function countedManagement(): () => CountedManagement {
  let counted: CountedManagement | undefined;
  beforeAll(async () => {
    const table = await createTestTable();
    const doc = createDocumentClient({ endpoint: table.endpoint });
    counted = {
      table,
      doc,
      counter: countDynamoCalls(doc),
      deps: {
        store: new DynamoKeyStore(doc, table.tableName),
        catalog: CATALOG,
        clock: systemClock,
        keyPrefix: 'wsk-v1-',
        retentionDays: 30,
      },
    };
  }, 60_000);
  afterAll(async () => {
    counted?.counter.detach();
    await counted?.table.drop();
  });
  return () => {
    if (counted === undefined) throw new Error('countedManagement() is read inside tests only');
    return counted;
  };
}
