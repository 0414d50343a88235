import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { itemKeys } from '../../shared/adapters/dynamodb/table-design.js';
import { systemClock } from '../../shared/domain/clock.js';
import { createKey } from '../../shared/domain/management/create-api-key.js';
import { deleteKey } from '../../shared/domain/management/delete-api-key.js';
import { renameKey } from '../../shared/domain/management/rename-api-key.js';
import { rotateKey } from '../../shared/domain/management/rotate-api-key.js';
import { setKeyEnabled } from '../../shared/domain/management/set-key-enabled.js';
import { replaceNotificationSettings } from '../../shared/domain/notify/settings-requests.js';
import { countDynamoCalls } from '../bench/dynamo-call-counter.js';
import { CATALOG } from '../support/catalog.js';
import {
  BUDGET_ADMIN as admin,
  countedManagement,
  READS_AND_ONE_TRANSACTION,
} from '../support/counted-management.js';

/**
 * The audit log costs no extra request: each audited change is still exactly ONE TransactWriteItems
 * on DynamoDB Local (the audit Put rides in it), and each leaves exactly one audit record.
 */

const management = countedManagement();

describe('audited change store calls', () => {
  it('create: 1 TransactWriteItems; rename, rotate, disable, enable, delete: 2 GetItems + 1 TransactWriteItems; one record each', async () => {
    const { deps, counter, table } = management();
    const auditCount = async () => {
      const { Count } = await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': itemKeys.companyPartition('acme'), ':audit': 'AUDIT#' },
          ConsistentRead: true,
          Select: 'COUNT',
        }),
      );
      return Count ?? 0;
    };
    counter.reset();
    const key = await createKey(deps, admin, { name: 'k', scopes: ['colleagues:read'] });
    expect(counter.byKind()).toEqual({ TransactWriteItems: 1 });
    expect(await auditCount()).toBe(1);

    const changes: [string, () => Promise<unknown>][] = [
      ['rename', () => renameKey(deps, admin, key.id, { name: 'k2' })],
      ['rotate', () => rotateKey(deps, admin, key.id, { gracePeriodSeconds: 60 })],
      ['disable', () => setKeyEnabled(deps, admin, key.id, false)],
      ['enable', () => setKeyEnabled(deps, admin, key.id, true)],
      ['delete', () => deleteKey(deps, admin, key.id)],
    ];
    let expected = 1;
    for (const [name, change] of changes) {
      counter.reset();
      await change();
      expect({ name, calls: counter.byKind() }).toEqual({ name, calls: READS_AND_ONE_TRANSACTION });
      expected += 1;
      expect(await auditCount()).toBe(expected);
    }
  });

  it('a notification settings change: 1 GetItem (the recipients it replaces) + 1 TransactWriteItems (settings and record)', async () => {
    const { table } = management();
    const doc = createDocumentClient({ endpoint: table.endpoint });
    const counter = countDynamoCalls(doc);
    try {
      const settings = {
        store: new DynamoNotificationStore(doc, table.tableName),
        clock: systemClock,
        catalog: CATALOG,
      };
      await replaceNotificationSettings(settings, admin, { emails: ['ops@acme.example'] });
      expect(counter.byKind()).toEqual({ 'GetItem (consistent)': 1, TransactWriteItems: 1 });
    } finally {
      counter.detach();
      doc.destroy();
    }
  });
});
