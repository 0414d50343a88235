import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import {
  killStarted,
  READY,
  type Started,
  spawnStart,
  stop,
  waitForOutput,
} from '../support/start-process.js';

/**
 * Local mode shows lifecycle events: `npm start` reads DynamoDB Local's stream with the publisher
 * Lambda's code and writes each audited change as one line of `<data dir>/events.jsonl` (and one
 * console line) — exactly one per change, never a secret, a digest or the key's scopes.
 */

let dataDir: string;
let started: Started;
let url: string;
let token: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-events-'));
  const port = await freePort();
  started = spawnStart({ KEYGATE_DATA_DIR: dataDir, PORT: String(port), SES_PORT: String(await freePort()) });
  await waitForOutput(started, READY);
  url = `http://localhost:${port}`;
  const lines = started.output().split('\n');
  const heading = lines.findIndex((line) => line.startsWith('Root-admin token'));
  token = (lines[heading + 1] as string).trim();
}, 90_000);

afterAll(async () => {
  if (started) await stop(started);
  killStarted();
  await rm(dataDir, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const readEvents = async (): Promise<Array<Record<string, unknown>>> => {
  const text = await readFile(join(dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

const waitForEvents = async (count: number) => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = await readEvents();
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('npm start: lifecycle events', () => {
  it('writes one events.jsonl line per create, rotate and disable, with no secret, digest or scopes', async () => {
    const created = await api('POST', '/v1/api-keys', {
      name: 'Events e2e',
      scopes: ['messaging:read'],
      allowedIps: ['10.1.2.0/24'],
      expiresIn: 86_400,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const rotated = await api('POST', `/v1/api-keys/${id}/rotate`, { gracePeriodSeconds: 60 });
    expect(rotated.status).toBe(201);
    const successor = rotated.body.id as string;
    const disabled = await api('POST', `/v1/api-keys/${successor}/disable`);
    expect(disabled.status).toBe(200);

    const events = await waitForEvents(3);
    // A little longer: a fourth line would be a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const all = await readEvents();
    expect(all).toHaveLength(3);
    expect(events.map((event) => event['detail-type'])).toEqual([
      'api-key.created',
      'api-key.rotated',
      'api-key.disabled',
    ]);
    for (const event of all) expect(event.source).toBe('keygate');
    expect(all.map((event) => (event.detail as { target: { keyId: string } }).target.keyId)).toEqual([
      id,
      id,
      successor,
    ]);
    expect(all[1]?.detail).toMatchObject({
      action: 'api-key.rotated',
      actor: { type: 'root-admin' },
      companyId: 'demo',
      changes: { newKeyId: successor, gracePeriodSeconds: 60 },
    });

    const file = await readFile(join(dataDir, 'events.jsonl'), 'utf8');
    for (const secret of [created.body.key, rotated.body.key]) {
      expect(typeof secret).toBe('string');
      expect(file).not.toContain(secret as string);
    }
    expect(file).not.toMatch(/[0-9a-f]{64}/); // no SHA-256 digest
    expect(file).not.toContain('messaging:read');
    expect(file).not.toContain('10.1.2.0/24');
    expect(file).not.toContain('"scopes"');

    const output = started.output();
    expect(output).toContain(`[events] api-key.rotated (company demo): key ${id} "Events e2e" by root admin`);
    expect(output).toContain(join(dataDir, 'events.jsonl'));
  }, 60_000);
});
