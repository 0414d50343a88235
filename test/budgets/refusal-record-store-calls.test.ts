import { describe, expect, it } from 'vitest';
import { DynamoAuditRecorder } from '../../shared/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { Caller } from '../../shared/domain/auth/caller.js';
import { NotPermittedError } from '../../shared/domain/errors.js';
import { createKey } from '../../shared/domain/management/create-api-key.js';
import { type RefusalAuditDeps, recordRefusal } from '../../shared/domain/management/refusal-audit.js';
import { rotateKey } from '../../shared/domain/management/rotate-api-key.js';
import { BUDGET_ADMIN as admin, countedManagement } from '../support/counted-management.js';
import { RecordingLog } from '../support/recording-log.js';

/**
 * What a refused write's `access.denied` record costs on the wire, against DynamoDB Local: the named
 * key's company item read once (one GetItem, not its lookup item as well) and one PutItem; and no
 * read at all when the use case had already read the key it refused.
 */

const management = countedManagement();

/** The refusal recording of the write functions (`refusalAuditFromEnv`), on the counted client. */
function refusalDeps(): RefusalAuditDeps {
  const { deps, doc, table } = management();
  const store = new DynamoKeyStore(doc, table.tableName);
  return {
    auditLog: new DynamoAuditRecorder(doc, table.tableName, 30),
    findKey: (companyId, keyId) => store.getSubject(companyId, keyId),
    catalog: deps.catalog,
    clock: deps.clock,
    log: new RecordingLog(),
  };
}

describe('refusal record store calls', () => {
  it('a refusal before any read: 1 GetItem (the named key) + 1 PutItem (the record)', async () => {
    const { deps, counter } = management();
    const key = await createKey(deps, admin, { name: 'target', scopes: ['colleagues:read'] });
    counter.reset();
    await recordRefusal(refusalDeps(), admin, 'delete-api-key', new NotPermittedError('no'), key.id);
    expect(counter.byKind()).toEqual({ 'GetItem (consistent)': 1, PutItem: 1 });
  });

  it("a rotation refused on the key it read: that read's 2 GetItems + 1 PutItem, the key not read again", async () => {
    const { deps, counter } = management();
    const target = await createKey(deps, admin, { name: 'target', scopes: ['colleagues:read'] });
    // A managing key expiring within the hour may not rotate another key (the successor would outlive it).
    const managing: Caller = {
      kind: 'key',
      companyId: 'acme',
      keyId: '0190a0b0-0000-7000-8000-0000000000bb',
      keyName: 'managing',
      scopes: ['apikeys:*', 'colleagues:read'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      allowedIps: [],
    };
    counter.reset();
    const refused = await rotateKey(deps, managing, target.id, {}).catch((error: unknown) => error);
    if (!(refused instanceof NotPermittedError))
      throw new Error(`expected a refusal, got ${String(refused)}`);
    expect(refused.subject).toEqual({ keyId: target.id, name: 'target', scopes: ['colleagues:read'] });
    await recordRefusal(refusalDeps(), managing, 'rotate-api-key', refused, target.id);
    expect(counter.byKind()).toEqual({ 'GetItem (consistent)': 2, PutItem: 1 });
  });
});
