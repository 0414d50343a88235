import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';

/**
 * `npm start` (the start script, as npm-start.test.ts spawns it) under faults: odd request targets
 * sent over raw sockets get a 400 problem, and when DynamoDB Local's java process is killed the
 * script says so, stops everything and exits 1.
 */

const ROOT = new URL('../../', import.meta.url);
const TSX_CLI = new URL('node_modules/tsx/dist/cli.mjs', ROOT).pathname;

let dataDir: string;
let child: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-faults-'));
  port = await freePort();
  child = spawn(process.execPath, [TSX_CLI, 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KEYGATE_DATA_DIR: dataDir,
      PORT: String(port),
      SES_PORT: String(await freePort()),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!output.includes('KEY=$(')) {
    if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`start did not get ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends `request` as bytes and returns the whole answer once the server closes the connection. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('npm start under faults', () => {
  it.each([
    ['GET *'],
    ['OPTIONS *'],
    ['GET http://[bad/'],
    ['GET http://localhost/v1/api-keys'],
    ['POST http://127.0.0.1/v1/api-keys'],
    ['GET v1/api-keys'],
    ['CONNECT localhost:443'],
  ])('%s gets a 400 problem, not a fault', async (requestLine) => {
    const answer = await raw(`${requestLine} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    const [head = '', ...rest] = answer.split('\r\n\r\n');
    // The body, whether sent with a length or in one chunk (`<hex size>\r\n<json>\r\n0`).
    const body = rest
      .join('\r\n\r\n')
      .replace(/^[0-9a-f]+\r\n/, '')
      .replace(/\r\n0\s*$/, '');
    expect(head.split('\r\n')[0], JSON.stringify(answer)).toBe('HTTP/1.1 400 Bad Request');
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(body)).toMatchObject({
      type: 'https://keygate.dev/problems/bad-request',
      title: 'Bad Request',
      detail: 'The request target must be a path starting with "/".',
    });
  });

  it('still serves ordinary requests after them', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/v1/api-keys`);
    expect(answer.status).toBe(401);
  });

  it('says DynamoDB Local died when its java process is killed, and exits 1', async () => {
    const pid = javaPid(child.pid as number);
    process.kill(pid, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(output).toContain(
      `DynamoDB Local (java, pid ${pid}) was killed by SIGKILL: keygate cannot serve without it, so it stops`,
    );
    // Stopped for real: the gateway's port is free again.
    await expect(fetch(`http://127.0.0.1:${port}/v1/api-keys`)).rejects.toThrow();
  }, 30_000);
});

/** The DynamoDB Local java process in the start script's process group. */
function javaPid(group: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).split('\n');
  const row = rows.find((line) => {
    const [, pgid, ...args] = line.trim().split(/\s+/);
    return Number(pgid) === group && args.join(' ').includes('DynamoDBLocal.jar');
  });
  if (!row) throw new Error(`no DynamoDB Local in process group ${group}`);
  return Number(row.trim().split(/\s+/)[0]);
}
