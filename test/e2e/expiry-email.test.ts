import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import {
  killStarted,
  READY,
  ROOT,
  type Started,
  spawnStart,
  stop,
  TSX_CLI,
  waitForOutput,
} from '../support/start-process.js';

/**
 * The expiry email as a user of `npm start` gets it (issue 11): recipients set and a key created over
 * HTTP, the digest run by `npm run notify`, and each recipient's own message read back from the SES
 * emulator that `npm start` runs (`GET /store`). A second `npm run notify` the same day sends nothing.
 */

const run = promisify(execFile);
const DAY_S = 86_400;

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

let dataDir: string;
let started: Started;
let base: string;
let mailStore: string;
let admin: string;

/** `npm run notify` against this file's `npm start`: its exit code and its one line. */
async function notify(): Promise<{ code: number; line: string }> {
  const result = await run(process.execPath, [TSX_CLI, 'local/notify.ts'], {
    cwd: ROOT,
    env: { ...process.env, KEYGATE_DATA_DIR: dataDir },
    timeout: 60_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: result.code, line: result.stdout.trim() };
}

async function mailTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(mailStore)).json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-mail-'));
  const [port, sesPort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  mailStore = `http://127.0.0.1:${sesPort}/store`;
  started = spawnStart({ KEYGATE_DATA_DIR: dataDir, PORT: String(port), SES_PORT: String(sesPort) });
  await waitForOutput(started, READY, 90_000);
  const { stdout } = await run(process.execPath, [TSX_CLI, 'local/token.ts', '--company', 'mail-co'], {
    cwd: ROOT,
    env: { ...process.env, KEYGATE_DATA_DIR: dataDir },
  });
  admin = stdout.trim();
}, 120_000);

afterAll(async () => {
  if (started?.child.exitCode === null) await stop(started);
  killStarted();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the daily expiry email in local mode', () => {
  it('reaches two recipients as two messages, each addressed to one of them, and a rerun sends nothing', async () => {
    const recipients = ['ops@mail-co.example', 'security@mail-co.example'];
    expect(await api('PUT', '/v1/settings/notifications', { emails: recipients })).toMatchObject({
      status: 200,
      body: { emails: recipients },
    });
    const created = await api('POST', '/v1/api-keys', {
      name: 'Partner export',
      scopes: ['messaging:read'],
      expiresIn: 2 * DAY_S,
    });
    expect(created.status).toBe(201);
    const secret = (created.body as { key: string }).key;

    const first = await notify();
    expect(first.code, first.line).toBe(0);
    expect(first.line).toMatch(/: 1 company with keys due, 2 emails sent, 0 recipients already sent today,/);

    const messageIds = new Set<string>();
    for (const address of recipients) {
      const [email, ...more] = await mailTo(address);
      expect(more, address).toHaveLength(0);
      // Its own message: nobody else in To, Cc or Bcc.
      expect(email?.destination).toEqual({ to: [address], cc: [], bcc: [] });
      expect(email?.subject).toBe('[mail-co] 1 API key expires this week');
      expect(email?.body.text).toContain('Partner export');
      expect(email?.body.html).toContain('Partner export');
      expect(JSON.stringify(email)).not.toContain(secret);
      messageIds.add(email?.messageId ?? '');
    }
    expect(messageIds.size).toBe(2);

    const rerun = await notify();
    expect(rerun.code, rerun.line).toBe(0);
    expect(rerun.line).toMatch(/: 1 company with keys due, 0 emails sent, 2 recipients already sent today,/);
    for (const address of recipients) expect(await mailTo(address)).toHaveLength(1);
  }, 120_000);
});
