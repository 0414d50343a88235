import { randomBytes, randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoKeyStore } from '../../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { DueKey } from '../../../shared/domain/notify/ports.js';

/** Writes a key through the real key store (so the notifier reads the exact layout it writes). */
export async function writeKey(
  keys: DynamoKeyStore,
  fields: { companyId: string; expiresAt: Date; name?: string; scopes?: string[] },
): Promise<DueKey> {
  const id = randomUUID();
  const record = {
    id,
    companyId: fields.companyId,
    name: fields.name ?? `key ${id.slice(0, 8)}`,
    keyPrefix: `wsk-v1-${randomBytes(2).toString('hex').slice(0, 3)}`,
    scopes: fields.scopes ?? ['messaging:read'],
    allowedIps: [],
    createdAt: new Date(fields.expiresAt.getTime() - 30 * 86_400_000).toISOString(),
    createdBy: 'admin@test',
    expiresAt: fields.expiresAt.toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
  };
  // A random stand-in for the key's digest: these tests never need the key itself.
  const digest = randomBytes(32).toString('hex');
  await keys.create(record, digest, Math.floor(fields.expiresAt.getTime() / 1000) + 30 * 86_400);
  return { ...record, keyId: id };
}

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

/** Mail the SES emulator received for `address` (the emulator is shared: tests use unique addresses). */
export async function emailsTo(sesEndpoint: string, address: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

/** A fresh address per test run, so tests sharing the emulator see only their own mail. */
export function uniqueAddress(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

/**
 * Writes many keys fast: the real key store builds the items (so the layout is exactly what it
 * writes), but they go to the table in BatchWriteItem calls instead of one transaction per key.
 */
export async function bulkWriteKeys(
  doc: DynamoDBDocumentClient,
  tableName: string,
  all: Array<Parameters<typeof writeKey>[1]>,
): Promise<DueKey[]> {
  const items: Record<string, unknown>[] = [];
  const capture = {
    send: async (command: TransactWriteCommand) => {
      for (const entry of command.input.TransactItems ?? []) if (entry.Put?.Item) items.push(entry.Put.Item);
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  const capturing = new DynamoKeyStore(capture, tableName);
  const written = await Promise.all(all.map((fields) => writeKey(capturing, fields)));
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(batches.slice(i, i + 8).map((batch) => writeBatch(doc, tableName, batch)));
  }
  return written;
}

async function writeBatch(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length > 0) {
    const { UnprocessedItems } = await doc.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
    );
    requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}
