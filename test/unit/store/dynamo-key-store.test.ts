import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchGetUnprocessedError } from '../../../shared/adapters/dynamodb/batch-get-items.js';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';

/** The store's handling of what DynamoDB Local never does: BatchGetItem leaving keys unprocessed. */

const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const mock = mockClient(doc);
afterEach(() => mock.reset());

const item = (n: number) => ({
  pk: 'COMPANY#acme',
  sk: `KEY#id-${n}`,
  companyId: 'acme',
  keyId: `id-${n}`,
  name: `key ${n}`,
  keyPrefix: 'wsk-v1-abc',
  scopes: ['colleagues:read'],
  allowedIps: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin:root',
  expiresAt: '2027-01-01T00:00:00.000Z',
  digest: `digest-${n}`,
});

describe('DynamoKeyStore.list', () => {
  it('retries the lookup keys BatchGetItem left unprocessed', async () => {
    mock.on(QueryCommand).resolves({ Items: [item(2), item(1)] });
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { t: [{ pk: 'DIGEST#digest-2', lastUsedAt: '2026-02-02T00:00:00.000Z' }] },
        UnprocessedKeys: { t: { Keys: [{ pk: 'DIGEST#digest-1', sk: 'DIGEST' }] } },
      })
      .resolvesOnce({
        Responses: { t: [{ pk: 'DIGEST#digest-1', lastUsedAt: '2026-02-01T00:00:00.000Z' }] },
      });
    const page = await new DynamoKeyStore(doc, 't').list('acme', { limit: 10 });
    expect(page.items.map((record) => [record.id, record.lastUsedAt])).toEqual([
      ['id-2', '2026-02-02T00:00:00.000Z'],
      ['id-1', '2026-02-01T00:00:00.000Z'],
    ]);
    const batches = mock.commandCalls(BatchGetCommand);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.args[0].input.RequestItems?.t?.Keys).toEqual([
      { pk: 'DIGEST#digest-1', sk: 'DIGEST' },
    ]);
    expect(batches[0]?.args[0].input.RequestItems?.t?.ConsistentRead).toBe(true);
  });

  it('fails (a fault, never a partial page) when keys stay unprocessed', async () => {
    mock.on(QueryCommand).resolves({ Items: [item(1)] });
    mock
      .on(BatchGetCommand)
      .resolves({ UnprocessedKeys: { t: { Keys: [{ pk: 'DIGEST#digest-1', sk: 'DIGEST' }] } } });
    await expect(new DynamoKeyStore(doc, 't').list('acme', { limit: 10 })).rejects.toBeInstanceOf(
      BatchGetUnprocessedError,
    );
  });

  it('queries the company partition newest first, consistently, one item beyond the page', async () => {
    mock.on(QueryCommand).resolves({ Items: [item(3), item(2), item(1)] });
    mock.on(BatchGetCommand).resolves({ Responses: { t: [] } });
    const page = await new DynamoKeyStore(doc, 't').list('acme', { limit: 2 });
    expect(page.items.map((record) => record.id)).toEqual(['id-3', 'id-2']);
    expect(page.nextCursor).toEqual(expect.any(String));
    const query = mock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({ ConsistentRead: true, ScanIndexForward: false, Limit: 3 });
    expect(query?.ExpressionAttributeValues).toEqual({ ':pk': 'COMPANY#acme', ':keyPrefix': 'KEY#' });
  });
});
