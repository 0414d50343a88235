/**
 * `npm run bench:durability`: do key creates that DynamoDB Local acknowledged survive a hard kill?
 * Each round starts DynamoDB Local exactly as `npm start` does (same jar, same flags, a fresh data
 * directory), sends creates (the store's two-item transaction) a few at a time, kills the java
 * process with SIGKILL while they are in flight, restarts it on the same directory and counts the
 * acknowledged creates whose two items are still there (and any key found half-written).
 *   --rounds=N        rounds (default 30)
 *   --concurrency=N   creates in flight at once (default 20)
 *   --kill-after=N    acknowledged creates before the kill (default 40)
 *   --idle-ms=N       if given, the kill waits for every create in flight, then this long (an idle kill)
 *   --barrier         count a create as acknowledged only after local mode's commit barrier
 *                     (`local/dynamodb-commit-barrier.ts`), as `npm start`'s gateway answers
 * Slow (seconds per round): not part of `npm test`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CommitBarrier, dynamoDbCommitBarrier } from '../../local/dynamodb-commit-barrier.js';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { LOCAL_TABLE_NAME } from '../../local/local-environment.js';
import { createKeygateTable } from '../../shared/adapters/dynamodb/create-table.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import { itemKeys } from '../../shared/adapters/dynamodb/table-design.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const option = (name: string, fallback: number | undefined) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
};
const ROUNDS = option('rounds', 30) as number;
const CONCURRENCY = option('concurrency', 20) as number;
const KILL_AFTER = option('kill-after', 40) as number;
const IDLE_MS = option('idle-ms', undefined);
const BARRIER = process.argv.includes('--barrier');

interface Created {
  companyId: string;
  keyId: string;
  digest: string;
}

function clients(endpoint: string) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // One attempt: a retried create after the kill would blur what was acknowledged.
    maxAttempts: 1,
  });
  return { client, doc: DynamoDBDocumentClient.from(client) };
}

function newKey(): { record: Parameters<DynamoKeyStore['create']>[0]; digest: string } {
  const now = new Date();
  const keyId = randomUUID();
  return {
    digest: randomUUID().replaceAll('-', ''),
    record: {
      id: keyId,
      companyId: 'durability',
      name: `key ${keyId.slice(0, 8)}`,
      keyPrefix: 'wsk-v1-abc',
      scopes: ['messaging:read'],
      allowedIps: [],
      createdAt: now.toISOString(),
      createdBy: 'bench',
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
      lastUsedAt: null,
      enabled: true,
      rotatedFrom: null,
      rotatedTo: null,
    },
  };
}

/** Sends creates, `CONCURRENCY` in flight, until the kill; returns the acknowledged ones. */
async function createUntilKilled(
  dynamo: RunningDynamoDbLocal,
  store: DynamoKeyStore,
  barrier: CommitBarrier | undefined,
): Promise<Created[]> {
  const acknowledged: Created[] = [];
  let killed = false;
  let inFlight = 0;
  const kill = () => {
    if (killed) return;
    killed = true;
    process.kill(dynamo.pid, 'SIGKILL');
  };
  const worker = async () => {
    while (!killed) {
      if (IDLE_MS !== undefined && acknowledged.length + inFlight >= KILL_AFTER) return;
      const { record, digest } = newKey();
      inFlight += 1;
      try {
        await store.create(record, digest, Math.floor(Date.now() / 1000) + 86_400);
        await barrier?.();
        acknowledged.push({ companyId: record.companyId, keyId: record.id, digest });
      } catch {
        // Refused or cut off by the kill: not acknowledged, so not counted.
      } finally {
        inFlight -= 1;
      }
      if (IDLE_MS === undefined && acknowledged.length >= KILL_AFTER) kill();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (IDLE_MS !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    kill();
  }
  await dynamo.died;
  return acknowledged;
}

/** How many acknowledged keys have both items, and how many have exactly one (half-written). */
async function survivors(
  doc: DynamoDBDocumentClient,
  created: Created[],
): Promise<{ whole: number; half: number }> {
  let whole = 0;
  let half = 0;
  for (let i = 0; i < created.length; i += 50) {
    const batch = created.slice(i, i + 50);
    const keys = batch.flatMap((c) => [itemKeys.lookup(c.digest), itemKeys.companyKey(c.companyId, c.keyId)]);
    const found = new Set<string>();
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }> | undefined = {
      [LOCAL_TABLE_NAME]: { Keys: keys, ConsistentRead: true },
    };
    while (request && Object.keys(request).length > 0) {
      const answer = await doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of answer.Responses?.[LOCAL_TABLE_NAME] ?? []) found.add(`${item.pk}|${item.sk}`);
      request = answer.UnprocessedKeys as typeof request;
    }
    for (const c of batch) {
      const lookup = itemKeys.lookup(c.digest);
      const company = itemKeys.companyKey(c.companyId, c.keyId);
      const count =
        Number(found.has(`${lookup.pk}|${lookup.sk}`)) + Number(found.has(`${company.pk}|${company.sk}`));
      if (count === 2) whole += 1;
      else if (count === 1) half += 1;
    }
  }
  return { whole, half };
}

interface RoundResult {
  acknowledged: number;
  lost: number;
  half: number;
  journalLeft: boolean;
}

async function round(index: number): Promise<RoundResult> {
  const dbPath = await mkdtemp(join(tmpdir(), 'keygate-durability-'));
  try {
    const first = await startDynamoDbLocal({ dbPath });
    const a = clients(first.endpoint);
    await createKeygateTable(a.client, LOCAL_TABLE_NAME);
    const barrier = BARRIER ? dynamoDbCommitBarrier(a.client, LOCAL_TABLE_NAME) : undefined;
    const created = await createUntilKilled(first, new DynamoKeyStore(a.doc, LOCAL_TABLE_NAME), barrier);
    a.client.destroy();
    const journalLeft = existsSync(join(dbPath, 'shared-local-instance.db-journal'));

    const second = await startDynamoDbLocal({ dbPath });
    const b = clients(second.endpoint);
    const { whole, half } = await survivors(b.doc, created);
    b.client.destroy();
    await second.stop();
    const lost = created.length - whole - half;
    console.log(
      `round ${index + 1}: ${created.length} acknowledged, ${lost} lost, ${half} half-written, journal left: ${journalLeft}`,
    );
    return { acknowledged: created.length, lost, half, journalLeft };
  } finally {
    await rm(dbPath, { recursive: true, force: true });
  }
}

const mode = `${IDLE_MS === undefined ? 'kill while creates are in flight' : `idle kill (${IDLE_MS} ms after)`}, ${BARRIER ? 'with' : 'without'} the commit barrier`;
console.log(
  `DynamoDB Local durability: ${ROUNDS} rounds, ${CONCURRENCY} concurrent, kill after ${KILL_AFTER}: ${mode}`,
);
const results: RoundResult[] = [];
for (let i = 0; i < ROUNDS; i += 1) results.push(await round(i));
const sum = (pick: (r: RoundResult) => number) => results.reduce((n, r) => n + pick(r), 0);
const roundsWithLoss = results.filter((r) => r.lost > 0).length;
console.log(
  `\n${ROUNDS} rounds: ${sum((r) => r.acknowledged)} acknowledged creates, ${sum((r) => r.lost)} lost ` +
    `(${roundsWithLoss} rounds with a loss), ${sum((r) => r.half)} half-written, ` +
    `journal left in ${results.filter((r) => r.journalLeft).length} rounds`,
);
