import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadDevIssuer } from '../../local/dev-issuer.js';
import { freePort } from '../../local/dynamodb-local.js';
import { LOCAL_TABLE_NAME, readLocalStackFile } from '../../local/local-environment.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyLookup } from '../../shared/adapters/dynamodb/dynamo-key-lookup.js';
import { digestApiKey } from '../../shared/domain/keys/key-format.js';
import { median } from './measure.js';
import { cpuDelta, treeCpuSeconds } from './process-cpu.js';
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
  overhead: GatewayOverhead;
}

/**
 * The local gateway's overhead: requests per second through it (HTTP, authorizer with its GetItem,
 * echo) beside the authorizer's very GetItem sent straight to the same DynamoDB Local, both with the
 * same number in flight, alternated round by round so both see the same machine.
 */
export interface GatewayOverhead {
  inFlight: number;
  roundSeconds: number;
  gatewayPerSecond: number[];
  directPerSecond: number[];
  /** Per round: gateway / direct; and their median. */
  ratios: number[];
  medianRatio: number;
  /** Gateway answers other than 200 and errors during these rounds: must be 0. */
  unexpected: number;
  /**
   * CPU time per operation (µs, user + system, median over the rounds) of each process on each side,
   * from Linux's `/proc`: `npm start`'s Node process (the gateway, running the authorizer and echo
   * handlers), DynamoDB Local's JVM, and this process (autocannon on the gateway side, the SDK's
   * GetItem on the direct one). Undefined without `/proc`.
   */
  cpuPerOperationUs?: { gateway: CpuPerOperation; direct: CpuPerOperation };
}

/** µs of CPU per operation in each process (see `GatewayOverhead.cpuPerOperationUs`). */
export interface CpuPerOperation {
  gatewayProcess: number;
  dynamodbLocal: number;
  benchProcess: number;
}

/** Starts `npm start` (as `tsx local/start.ts`) on free ports and a fresh data directory. */
async function startLocalKeygate(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // BENCH_GATEWAY_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=.tmp/prof`): node flags for the gateway's
  // process, to see where its time goes (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean);
  const [command, args] = nodeArgs
    ? [process.execPath, [...nodeArgs, '--import', 'tsx', 'local/start.ts']]
    : [TSX, ['local/start.ts']];
  const child = spawn(command, args, {
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

/** `inFlight` loops, each sending the next GetItem when the last is answered, for `seconds`. */
async function directGetItems(
  lookup: DynamoKeyLookup,
  digests: readonly string[],
  inFlight: number,
  seconds: number,
): Promise<{ operations: number; perSecond: number }> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const loop = async (offset: number) => {
    for (let i = offset; performance.now() < deadline; i += inFlight) {
      const found = await lookup.findByDigest(digests[i % digests.length] as string);
      if (!found) throw new Error('direct GetItem: the key is not in the table');
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, (_, offset) => loop(offset)));
  return { operations: done, perSecond: done / ((performance.now() - started) / 1000) };
}

export async function benchEndToEnd(options: {
  durationSeconds: number;
  connections: number;
  keys: number;
  routes: number;
  /** The overhead comparison: requests in flight, rounds of each, seconds per round. */
  overhead: { inFlight: number; rounds: number; roundSeconds: number };
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
    const overhead = await measureOverhead(
      url,
      dataDir,
      child.pid as number,
      keys,
      requests,
      options.overhead,
    );
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
      overhead,
    };
  } finally {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Alternates rounds through the gateway and straight to its DynamoDB Local (see `GatewayOverhead`). */
async function measureOverhead(
  url: string,
  dataDir: string,
  gatewayPid: number,
  keys: readonly string[],
  requests: Array<{ method: string; path: string; headers: Record<string, string> }>,
  options: { inFlight: number; rounds: number; roundSeconds: number },
): Promise<GatewayOverhead> {
  const stack = await readLocalStackFile(dataDir);
  if (!stack) throw new Error('npm start wrote no stack file');
  // keygate's own client settings, as the authorizer's.
  const doc = createDocumentClient({ endpoint: stack.dynamoEndpoint });
  try {
    const lookup = new DynamoKeyLookup(doc, LOCAL_TABLE_NAME);
    const digests = keys.map(digestApiKey);
    const throughGateway = async (seconds: number) => {
      const result = await autocannon({
        url,
        connections: options.inFlight,
        duration: seconds,
        timeout: 10,
        requests,
      });
      const ok = Number(result.statusCodeStats['200' as keyof typeof result.statusCodeStats]?.count ?? 0);
      const total = Object.values(result.statusCodeStats).reduce((sum, { count }) => sum + Number(count), 0);
      return {
        operations: total,
        perSecond: total / result.duration,
        unexpected: total - ok + result.errors + result.timeouts,
      };
    };
    const straight = (seconds: number) => directGetItems(lookup, digests, options.inFlight, seconds);
    // Warm-up, not counted: connections, both JITs (DynamoDB Local's JVM speeds up for many seconds).
    await straight(options.roundSeconds);
    await throughGateway(options.roundSeconds);
    const gateway: Round[] = [];
    const direct: Round[] = [];
    let unexpected = 0;
    for (let round = 0; round < options.rounds; round++) {
      // ABBA order, so a machine that warms up or slows down during the run favours neither side.
      const gatewayFirst = round % 2 === 0;
      if (!gatewayFirst) direct.push(await withCpu(gatewayPid, () => straight(options.roundSeconds)));
      const result = await withCpu(gatewayPid, () => throughGateway(options.roundSeconds));
      gateway.push(result);
      unexpected += result.unexpected;
      if (gatewayFirst) direct.push(await withCpu(gatewayPid, () => straight(options.roundSeconds)));
    }
    const ratios = gateway.map((round, i) => round.perSecond / (direct[i] as Round).perSecond);
    const gatewayCpu = cpuPerOperation(gateway);
    const directCpu = cpuPerOperation(direct);
    return {
      inFlight: options.inFlight,
      roundSeconds: options.roundSeconds,
      gatewayPerSecond: gateway.map((round) => round.perSecond),
      directPerSecond: direct.map((round) => round.perSecond),
      ratios,
      medianRatio: median(ratios),
      unexpected,
      ...(gatewayCpu && directCpu ? { cpuPerOperationUs: { gateway: gatewayCpu, direct: directCpu } } : {}),
    };
  } finally {
    doc.destroy();
  }
}

/** One round of one side: its rate, and the CPU each process spent during it. */
interface Round {
  operations: number;
  perSecond: number;
  unexpected: number;
  cpu: Map<string, number>;
  benchCpuSeconds: number;
}

/** Runs `side`, noting the CPU `npm start`'s processes and this one spent meanwhile. */
async function withCpu(
  gatewayPid: number,
  side: () => Promise<{ operations: number; perSecond: number; unexpected?: number }>,
): Promise<Round> {
  const before = treeCpuSeconds(gatewayPid);
  const benchBefore = process.cpuUsage();
  const result = await side();
  const bench = process.cpuUsage(benchBefore);
  return {
    unexpected: 0,
    ...result,
    cpu: cpuDelta(before, treeCpuSeconds(gatewayPid)),
    benchCpuSeconds: (bench.user + bench.system) / 1e6,
  };
}

/** Median µs of CPU per operation of each process over `rounds`; undefined without `/proc`. */
function cpuPerOperation(rounds: readonly Round[]): CpuPerOperation | undefined {
  if (rounds.some((round) => round.cpu.size === 0)) return undefined;
  const perOperation = (seconds: (round: Round) => number) =>
    median(rounds.map((round) => (seconds(round) / round.operations) * 1e6));
  // tsx starts the gateway as a child Node process: every `node` in the tree is the gateway's side.
  return {
    gatewayProcess: perOperation((round) => round.cpu.get('node') ?? 0),
    dynamodbLocal: perOperation((round) => round.cpu.get('java') ?? 0),
    benchProcess: perOperation((round) => round.benchCpuSeconds),
  };
}
