import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BATCH_GET_MAX_KEYS,
  BatchGetUnprocessedError,
  batchGetItems,
} from '../../../shared/adapters/dynamodb/batch-get-items.js';
import { DynamoNotificationStore } from '../../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { CorruptItemError } from '../../../shared/adapters/dynamodb/item-codecs.js';

const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const mock = mockClient(doc);
afterEach(() => mock.reset());

const TABLE = 'keygate-test';
const keysOf = (count: number) => Array.from({ length: count }, (_, i) => ({ pk: `P#${i}`, sk: 'S' }));
const asked = (call: number) =>
  (mock.commandCalls(BatchGetCommand)[call]?.args[0].input.RequestItems?.[TABLE]?.Keys ?? []) as {
    pk: string;
  }[];

describe('batchGetItems', () => {
  it('asks 100 keys per strongly consistent request, with only the projection asked for', async () => {
    mock.on(BatchGetCommand).callsFake((input) => ({
      Responses: { [TABLE]: input.RequestItems[TABLE].Keys.map((key: object) => ({ ...key, a: 1 })) },
    }));
    const items = await batchGetItems(doc, {
      tableName: TABLE,
      keys: keysOf(250),
      projectionExpression: 'pk, #a',
      expressionAttributeNames: { '#a': 'a' },
    });
    expect(items).toHaveLength(250);
    expect([0, 1, 2].map((call) => asked(call).length)).toEqual([BATCH_GET_MAX_KEYS, BATCH_GET_MAX_KEYS, 50]);
    expect(mock.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE]).toMatchObject({
      ConsistentRead: true,
      ProjectionExpression: 'pk, #a',
      ExpressionAttributeNames: { '#a': 'a' },
    });
  });

  it('asks again for exactly the keys DynamoDB left unprocessed', async () => {
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ pk: 'P#0' }] },
        UnprocessedKeys: {
          [TABLE]: {
            Keys: [
              { pk: 'P#1', sk: 'S' },
              { pk: 'P#2', sk: 'S' },
            ],
          },
        },
      })
      .resolvesOnce({ Responses: { [TABLE]: [{ pk: 'P#1' }, { pk: 'P#2' }] } });
    const items = await batchGetItems(doc, { tableName: TABLE, keys: keysOf(3), projectionExpression: 'pk' });
    expect(items.map((item) => item.pk)).toEqual(['P#0', 'P#1', 'P#2']);
    expect(asked(1).map((key) => key.pk)).toEqual(['P#1', 'P#2']);
  });

  it('fails after five attempts that all leave keys unprocessed, rather than answer without them', async () => {
    mock.on(BatchGetCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'P#0', sk: 'S' }] } } });
    await expect(
      batchGetItems(doc, { tableName: TABLE, keys: keysOf(1), projectionExpression: 'pk' }),
    ).rejects.toThrow(BatchGetUnprocessedError);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(5);
  });

  it('sends nothing for no keys', async () => {
    expect(await batchGetItems(doc, { tableName: TABLE, keys: [], projectionExpression: 'pk' })).toEqual([]);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});

describe('DynamoNotificationStore.statesOf', () => {
  const store = new DynamoNotificationStore(doc, TABLE);
  const item = {
    companyId: 'acme',
    keyId: 'k1',
    name: 'Billing',
    keyPrefix: 'wsk-v1-abc',
    expiresAt: '2026-12-03T14:00:00.000Z',
  };

  it("reads the company key items' state and never the digest or allow-list; old items read as enabled, never rotated", async () => {
    mock.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [item, { ...item, keyId: 'k2', enabled: false, rotatedTo: 'k3' }] },
    });
    const states = await store.statesOf([
      { companyId: 'acme', keyId: 'k1' },
      { companyId: 'acme', keyId: 'k2' },
    ]);
    expect(states).toEqual([
      { ...item, enabled: true, rotatedTo: null },
      { ...item, keyId: 'k2', enabled: false, rotatedTo: 'k3' },
    ]);
    const request = mock.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE];
    expect(request?.Keys).toEqual([
      { pk: 'COMPANY#acme', sk: 'KEY#k1' },
      { pk: 'COMPANY#acme', sk: 'KEY#k2' },
    ]);
    expect(request?.ProjectionExpression).not.toMatch(/digest|allowedIps/);
  });

  it('refuses an item that is not one of the keys asked for as a fault', async () => {
    mock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ ...item, companyId: 'globex' }] } });
    await expect(store.statesOf([{ companyId: 'acme', keyId: 'k1' }])).rejects.toThrow(CorruptItemError);
  });
});
