import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import { type AuditEvent, buildAuditEvent } from '../../../shared/domain/audit/audit-event.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { newKeyId } from '../../../shared/domain/keys/key-id.js';
import { type ApiKeyRecord, AuditWriteError } from '../../../shared/domain/ports.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

/**
 * The audit record of a change is written in the change's own TransactWriteItems on DynamoDB
 * Local: when the audit Put fails (its item already exists), the change does not happen.
 */

let table: TestTable;
let store: DynamoKeyStore;
const AUDIT_RETENTION_DAYS = 400;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoKeyStore(
    createDocumentClient({ endpoint: table.endpoint }),
    table.tableName,
    AUDIT_RETENTION_DAYS,
  );
});
afterAll(async () => {
  await table.drop();
});

const HOUR = 3600_000;
const admin: Caller = { kind: 'root-admin', companyId: 'acme', subject: 'sub-1', email: 'root@acme.example' };
const randomDigest = () => createHash('sha256').update(randomBytes(32)).digest('hex');

function record(companyId: string): ApiKeyRecord {
  const now = new Date();
  return {
    id: newKeyId(now),
    companyId,
    name: 'audited key',
    keyPrefix: 'wsk-v1-abc',
    scopes: ['messaging:read'],
    allowedIps: [],
    createdAt: now.toISOString(),
    createdBy: 'admin:root@acme.example',
    expiresAt: new Date(now.getTime() + 48 * HOUR).toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
  };
}

/** The event an admin of the key's company causes. */
const eventFor = (key: ApiKeyRecord, action: AuditEvent['action']) =>
  buildAuditEvent({
    action,
    caller: { ...admin, companyId: key.companyId },
    now: new Date(),
    target: { keyId: key.id, name: key.name, scopes: key.scopes },
  });

async function companyKeyItem(companyId: string, keyId: string) {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: itemKeys.companyKey(companyId, keyId),
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function auditItems(companyId: string) {
  const { Items } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': itemKeys.companyPartition(companyId), ':audit': 'AUDIT#' },
      ConsistentRead: true,
      ScanIndexForward: false,
    }),
  );
  return Items ?? [];
}

/** Occupies the audit event's item, so its conditional Put in the transaction fails. */
async function occupy(event: AuditEvent) {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...itemKeys.auditEvent(event.companyId, event.at, event.id), squatter: true },
    }),
  );
}

describe('audit records on DynamoDB Local', () => {
  it('are written with the change, in the company partition, with a TTL of at + auditRetentionDays', async () => {
    const key = record('audit-written');
    const created = eventFor(key, 'api-key.created');
    await store.create(key, randomDigest(), 1, created);
    const items = await auditItems('audit-written');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      sk: `AUDIT#${created.at}#${created.id}`,
      action: 'api-key.created',
      actor: { type: 'root-admin', subject: 'sub-1', email: 'root@acme.example' },
      target: { keyId: key.id, name: 'audited key' },
      ttl: Math.floor(Date.parse(created.at) / 1000) + AUDIT_RETENTION_DAYS * 86_400,
    });
    expect(JSON.stringify(items[0])).not.toMatch(/digest/i);
  });

  it('a create whose audit Put fails creates no key', async () => {
    const key = record('audit-create-fails');
    const event = eventFor(key, 'api-key.created');
    await occupy(event);
    await expect(store.create(key, randomDigest(), 1, event)).rejects.toBeInstanceOf(AuditWriteError);
    expect(await companyKeyItem('audit-create-fails', key.id)).toBeUndefined();
  });

  it('a rename, disable, rotate or delete whose audit Put fails changes nothing', async () => {
    const key = record('audit-change-fails');
    const digest = randomDigest();
    await store.create(key, digest, 1, eventFor(key, 'api-key.created'));
    const before = await companyKeyItem('audit-change-fails', key.id);

    const renamed = eventFor(key, 'api-key.renamed');
    await occupy(renamed);
    await expect(
      store.rename('audit-change-fails', key.id, 'new name', undefined, () => renamed),
    ).rejects.toBeInstanceOf(AuditWriteError);

    const disabled = eventFor(key, 'api-key.disabled');
    await occupy(disabled);
    await expect(
      store.setEnabled('audit-change-fails', key.id, false, undefined, () => disabled),
    ).rejects.toBeInstanceOf(AuditWriteError);

    const rotated = eventFor(key, 'api-key.rotated');
    await occupy(rotated);
    const successor = { ...record('audit-change-fails'), rotatedFrom: key.id };
    await expect(
      store.rotate(
        'audit-change-fails',
        key.id,
        () => ({
          successor,
          successorDigest: randomDigest(),
          successorTtlEpochSeconds: 1,
          oldExpiresAt: new Date().toISOString(),
          oldTtlEpochSeconds: 1,
        }),
        undefined,
        () => rotated,
      ),
    ).rejects.toBeInstanceOf(AuditWriteError);

    const deleted = eventFor(key, 'api-key.deleted');
    await occupy(deleted);
    await expect(store.delete('audit-change-fails', key.id, undefined, () => deleted)).rejects.toBeInstanceOf(
      AuditWriteError,
    );

    // Every item of the key as it was, the successor never written, and the lookup item still there.
    expect(await companyKeyItem('audit-change-fails', key.id)).toEqual(before);
    expect(await companyKeyItem('audit-change-fails', successor.id)).toBeUndefined();
    expect(await store.findByDigest(digest)).toMatchObject({ name: 'audited key', enabled: true });
    // The creation's record and the four squatters only: no record of a change that did not happen.
    const items = await auditItems('audit-change-fails');
    expect(items.filter((item) => item.squatter !== true).map((item) => item.action)).toEqual([
      'api-key.created',
    ]);
  });

  it('stay in the company of the change', async () => {
    const key = record('audit-isolation-a');
    await store.create(key, randomDigest(), 1, eventFor(key, 'api-key.created'));
    expect(await auditItems('audit-isolation-a')).toHaveLength(1);
    expect(await auditItems('audit-isolation-b')).toHaveLength(0);
  });
});
