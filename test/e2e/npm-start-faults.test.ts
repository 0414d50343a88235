import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { killStarted, READY, type Started, spawnStart, waitForOutput } from '../support/start-process.js';

/**
 * `npm start` (the start script, as npm-start.test.ts spawns it) under faults: odd request targets
 * sent over raw sockets get a 400 problem, and when DynamoDB Local's java process is killed the
 * script says so, stops everything and exits 1.
 */

let dataDir: string;
let started: Started;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-faults-'));
  port = await freePort();
  started = spawnStart({ KEYGATE_DATA_DIR: dataDir, PORT: String(port), SES_PORT: String(await freePort()) });
  await waitForOutput(started, READY, 90_000);
}, 120_000);

afterAll(async () => {
  killStarted();
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
    const pid = javaPid(started.child.pid as number);
    process.kill(pid, 'SIGKILL');
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain(
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
