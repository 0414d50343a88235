import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadDevIssuer } from '../../local/dev-issuer.js';
import { freePort } from '../../local/dynamodb-local.js';
import { concretePath, routesCoveredBy } from './requests.js';

/**
 * Scenario 3: HTTP load on `npm start`'s server — the local API Gateway running the real authorizer
 * and echo handlers on DynamoDB Local — in its own process, driven by autocannon from this one over
 * loopback, for a fixed time. Valid keys on many catalog routes: every answer must be 200.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface EndToEndResult {
  durationSeconds: number;
  connections: number;
  keys: number;
  routes: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  statusCounts: Record<string, number>;
  /** Answers other than 200, connection errors and timeouts: must be 0. */
  unexpected: number;
}

/** Starts `npm start` (as `tsx local/start.ts`) on free ports and a fresh data directory. */
async function startLocalKeygate(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(TSX, ['local/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      SES_PORT: String(await freePort()),
      KEYGATE_DATA_DIR: dataDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep only the tail of the output (for errors); the gateway logs every request.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stderr?.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not come up in 120 s:\n${tail}`)),
      120_000,
    );
    const onData = (chunk: Buffer) => {
      keep(chunk);
      if (tail.includes('keygate is running locally')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${tail}`));
    });
  });
  child.removeAllListeners('exit');
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export async function benchEndToEnd(options: {
  durationSeconds: number;
  connections: number;
  keys: number;
  routes: number;
}): Promise<EndToEndResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'keygate-bench-e2e-'));
  const { url, child } = await startLocalKeygate(dataDir);
  try {
    const issuer = await loadDevIssuer(dataDir);
    const token = await issuer.mintRootAdminToken({ companyId: 'bench-e2e' });
    const scopes = ['pbx:read', 'messaging:read'];
    const keys: string[] = [];
    for (let i = 0; i < options.keys; i++) {
      const response = await fetch(`${url}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench e2e ${i}`, scopes, expiresIn: 86_400 }),
      });
      const body = (await response.json()) as { key?: string };
      if (response.status !== 201 || typeof body.key !== 'string') {
        throw new Error(`creating a key answered ${response.status}`);
      }
      keys.push(body.key);
    }
    const routes = routesCoveredBy(scopes, options.routes);
    // Every key on every route, so each connection rotates over all of them.
    const requests = keys.flatMap((key) =>
      routes.map((route) => ({
        method: route.method,
        path: concretePath(route),
        headers: { authorization: `Bearer ${key}` },
      })),
    );
    // One pass first: loads the handlers, warms the JWKS-free key path, and checks every pair answers 200.
    for (const request of requests) {
      const response = await fetch(`${url}${request.path}`, {
        method: request.method,
        headers: request.headers,
      });
      await response.arrayBuffer();
      if (response.status !== 200)
        throw new Error(`${request.method} ${request.path} answered ${response.status}`);
    }
    const result = await autocannon({
      url,
      connections: options.connections,
      duration: options.durationSeconds,
      timeout: 10,
      requests,
    });
    const statusCounts = Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]),
    );
    const total = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
    return {
      durationSeconds: result.duration,
      connections: options.connections,
      keys: keys.length,
      routes: routes.length,
      requests: total,
      requestsPerSecond: total / result.duration,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      latencyMaxMs: result.latency.max,
      statusCounts,
      unexpected: total - (statusCounts['200'] ?? 0) + result.errors + result.timeouts,
    };
  } finally {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}
