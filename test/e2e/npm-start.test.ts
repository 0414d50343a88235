import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import {
  interrupt,
  killStarted,
  ROOT,
  spawnStart,
  stop,
  TSX_CLI,
  waitForOutput,
} from '../support/start-process.js';

/**
 * `npm start` as a new user runs it: a child process with its own data directory and ports. The
 * printed curl lines are run by a shell exactly as printed, `npm run token` mints a token the running
 * stack accepts, SIGTERM and a terminal's Ctrl-C stop everything cleanly, and a key created before a
 * restart still works after it (DynamoDB Local persisted in the data directory).
 */

const run = promisify(execFile);
const TOKEN = 'local/token.ts';

/** The printed lines under a heading, without their indentation. */
function printedLines(output: string, startsWith: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(startsWith));
}

const sh = async (script: string) => (await run('sh', ['-c', script], { timeout: 20_000 })).stdout;

let dataDir: string;
let env: Record<string, string>;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-start-'));
  port = await freePort();
  env = { KEYGATE_DATA_DIR: dataDir, PORT: String(port), SES_PORT: String(await freePort()) };
});

afterAll(async () => {
  killStarted();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints commands that work as printed, serves npm run token tokens, stops cleanly and keeps keys across a restart', async () => {
    const first = spawnStart(env);
    await waitForOutput(first, /KEY=\$\(/);
    const output = first.output();
    expect(output).toContain(`http://localhost:${port}`);
    expect(existsSync(join(dataDir, 'local-stack.json'))).toBe(true);

    // The create line, run by a shell as printed: 201 and the secret, this once.
    const [create] = printedLines(output, 'curl -s -X POST');
    expect(create).toBeDefined();
    const createdText = await sh(`${create} -w '\\n%{http_code}'`);
    const status = createdText.slice(createdText.lastIndexOf('\n') + 1);
    expect(status).toBe('201');
    const created = JSON.parse(createdText.slice(0, createdText.lastIndexOf('\n')));
    expect(created).toMatchObject({ name: 'My first key', scopes: ['messaging:read'], lastUsedAt: null });
    const key: string = created.key;
    expect(key).toMatch(/^wsk-v1-[A-Za-z0-9]{93}$/);

    // The two-line variant: create into $KEY, then call a protected route with it.
    const [assign] = printedLines(output, 'KEY=$(');
    const [callRoute] = printedLines(output, `curl -s http://localhost:${port}/v2/conversations/channels/`);
    const echoed = JSON.parse(await sh(`${assign}\n${callRoute}`));
    expect(echoed).toMatchObject({
      route: 'GET /v2/conversations/channels/',
      companyId: 'demo',
      scopes: ['messaging:read'],
    });

    // A token from `npm run token`, signed with the key in the same data directory, works on the running stack.
    const { stdout: minted, stderr } = await run(
      process.execPath,
      [TSX_CLI, TOKEN, '--company', 'demo', '--email', 'ops@example.com'],
      {
        cwd: ROOT,
        env: { ...process.env, KEYGATE_DATA_DIR: dataDir },
      },
    );
    expect(stderr).toBe('');
    expect(minted.trim().split('\n')).toHaveLength(1);
    const listed = await fetch(`http://127.0.0.1:${port}/v1/api-keys`, {
      headers: { Authorization: `Bearer ${minted.trim()}` },
    });
    expect(listed.status).toBe(200);
    const ids = ((await listed.json()) as { items: Array<{ id: string }> }).items.map((item) => item.id);
    expect(ids).toContain(created.id);
    expect(ids).toHaveLength(2);

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('stopping keygate');
    expect(existsSync(join(dataDir, 'local-stack.json'))).toBe(false);

    // Restarted on the same data directory, with `npm start` as a user runs it: the key created
    // before still works, and is still listed.
    const second = spawnStart(env, 'npm');
    await waitForOutput(second, /KEY=\$\(/);
    const afterRestart = await fetch(`http://127.0.0.1:${port}/v2/conversations/channels/`, {
      headers: { 'X-API-Key': key },
    });
    expect(afterRestart.status).toBe(200);
    expect(((await afterRestart.json()) as { keyId: string }).keyId).toBe(created.id);
    // Ctrl-C reaches the script more than once (the terminal signals the group, npm relays it):
    // still one clean stop, not a forced exit.
    await interrupt(second);
    expect(second.output()).toContain('SIGINT: stopping keygate');
    expect(second.output()).not.toContain('without a clean stop');
    // DynamoDB Local got the same SIGINT and ended first: part of the stop, not an emulator death.
    expect(first.output() + second.output()).not.toContain('cannot serve without it');
    expect(existsSync(join(dataDir, 'local-stack.json'))).toBe(false);
    // The whole output never shows a secret: only the token, which is meant to be copied.
    expect(first.output() + second.output()).not.toContain(key);
  }, 120_000);

  it('says in one line that a port is taken, and exits 1 before starting anything', async () => {
    const blocker = createServer();
    const blocked = await freePort();
    await new Promise<void>((resolve) => blocker.listen(blocked, '127.0.0.1', resolve));
    try {
      const started = spawnStart({ ...env, PORT: String(blocked) });
      expect(await started.exited).toBe(1);
      expect(started.output().trim()).toBe(
        `Port ${blocked} is already in use: stop what is using it or set PORT to another port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('says in one line that Java is missing, and exits 1', async () => {
    const started = spawnStart({ ...env, PATH: join(dataDir, 'no-java-here') });
    expect(await started.exited).toBe(1);
    expect(started.output().trim()).toMatch(/^Java 17\+ is required to run DynamoDB Local: [^\n]+$/);
  });
});

describe('npm run token', () => {
  it('prints usage on stderr and exits 2 for missing or bad arguments', async () => {
    const cases = [
      [],
      ['--company'],
      ['--company', 'bad company'],
      ['--company', 'a', '--email', 'nope'],
      ['--x'],
    ];
    const failures = await Promise.all(
      cases.map((args) =>
        run(process.execPath, [TSX_CLI, TOKEN, ...args], {
          cwd: ROOT,
          env: { ...process.env, KEYGATE_DATA_DIR: dataDir },
        }).then(
          () => undefined,
          (error: { code: number; stdout: string; stderr: string }) => error,
        ),
      ),
    );
    for (const failure of failures) {
      expect(failure?.code).toBe(2);
      expect(failure?.stdout).toBe('');
      expect(failure?.stderr).toContain('usage: npm run token -- --company <id> [--email <address>]');
    }
  });
});
