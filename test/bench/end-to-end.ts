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
 * same number in flight, alternated round by round so both see the same machine. Beside them, the
 * floor gateway (`floor-gateway.ts`: Node's HTTP server and that GetItem, nothing else), which shows
 * what any gateway written on Node can reach here, so the gap between it and the gateway is what
 * keygate's gateway, authorizer and echo cost.
 */
export interface GatewayOverhead {
  inFlight: number;
  roundSeconds: number;
  gatewayPerSecond: number[];
  directPerSecond: number[];
  floorPerSecond: number[];
  /** Per round: gateway / direct; and their median. */
  ratios: number[];
  medianRatio: number;
  /** Per round: floor gateway / direct; and their median. */
  floorRatios: number[];
  medianFloorRatio: number;
  /** Answers other than 200 and errors during the gateway's and the floor's rounds: must be 0. */
  unexpected: number;
  /**
   * CPU time per operation (µs, user + system, median over the rounds) of each process on each side,
   * from Linux's `/proc`: the Node process serving the side (`npm start`'s gateway, running the
   * authorizer and echo handlers, or the floor gateway; on the direct side the idle gateway),
   * DynamoDB Local's JVM, and this process (autocannon on the gateway and floor sides, the SDK's
   * GetItem on the direct one). Undefined without `/proc`.
   */
  cpuPerOperationUs?: { gateway: CpuPerOperation; direct: CpuPerOperation; floor: CpuPerOperation };
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
  await untilOutput(child, 'keygate is running locally', 'npm start', 120_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

/**
 * Resolves once `child`'s output (stdout or stderr) has shown `marker`; rejects with the output's tail
 * if `child` exits first or `timeoutMs` pass. Both streams stay read afterwards, keeping only their
 * tail, so a child that logs every request never blocks on a full pipe.
 */
async function untilOutput(child: ChildProcess, marker: string, what: string, timeoutMs: number) {
  let tail = '';
  let seen = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not come up in ${timeoutMs / 1000} s:\n${tail}`)),
      timeoutMs,
    );
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (!seen && tail.includes(marker)) {
        seen = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${tail}`));
    });
  });
  child.removeAllListeners('exit');
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

/** The floor gateway (`floor-gateway.ts`) in a process of its own, on `npm start`'s DynamoDB Local. */
async function startFloorGateway(dynamoEndpoint: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(TSX, ['test/bench/floor-gateway.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await untilOutput(child, 'floor gateway ready', 'the floor gateway', 60_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** autocannon on `url` for `seconds`, `inFlight` connections rotating over `requests`. */
async function loadFor(
  url: string,
  requests: Array<{ method: string; path: string; headers: Record<string, string> }>,
  inFlight: number,
  seconds: number,
): Promise<{ operations: number; perSecond: number; unexpected: number }> {
  const result = await autocannon({ url, connections: inFlight, duration: seconds, timeout: 10, requests });
  const ok = Number(result.statusCodeStats['200' as keyof typeof result.statusCodeStats]?.count ?? 0);
  const total = Object.values(result.statusCodeStats).reduce((sum, { count }) => sum + Number(count), 0);
  return {
    operations: total,
    perSecond: total / result.duration,
    unexpected: total - ok + result.errors + result.timeouts,
  };
}

/**
 * Rounds through the gateway, straight to its DynamoDB Local, and through the floor gateway (see
 * `GatewayOverhead`), in mirrored order (gateway, direct, floor; then floor, direct, gateway).
 */
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
  const floor = await startFloorGateway(stack.dynamoEndpoint);
  // keygate's own client settings, as the authorizer's.
  const doc = createDocumentClient({ endpoint: stack.dynamoEndpoint });
  const pids = { gateway: gatewayPid, floor: floor.child.pid as number };
  try {
    const lookup = new DynamoKeyLookup(doc, LOCAL_TABLE_NAME);
    const digests = keys.map(digestApiKey);
    const sides = {
      gateway: (seconds: number) => loadFor(url, requests, options.inFlight, seconds),
      direct: (seconds: number) => directGetItems(lookup, digests, options.inFlight, seconds),
      floor: (seconds: number) => loadFor(floor.url, requests, options.inFlight, seconds),
    };
    // Warm-up, not counted: connections, the JITs (DynamoDB Local's JVM speeds up for many seconds).
    for (const side of Object.values(sides)) await side(options.roundSeconds);
    const rounds: Record<keyof typeof sides, Round[]> = { gateway: [], direct: [], floor: [] };
    for (let round = 0; round < options.rounds; round++) {
      // Mirrored, so a machine that warms up or slows down during the run favours no side.
      const order = ['gateway', 'direct', 'floor'] as const;
      for (const name of round % 2 === 0 ? order : [...order].reverse()) {
        rounds[name].push(await withCpu(pids, () => sides[name](options.roundSeconds)));
      }
    }
    const perDirect = (side: Round[]) =>
      side.map((round, i) => round.perSecond / (rounds.direct[i] as Round).perSecond);
    const ratios = perDirect(rounds.gateway);
    const floorRatios = perDirect(rounds.floor);
    const cpu = {
      gateway: cpuPerOperation(rounds.gateway, 'gateway'),
      direct: cpuPerOperation(rounds.direct, 'gateway'),
      floor: cpuPerOperation(rounds.floor, 'floor'),
    };
    return {
      inFlight: options.inFlight,
      roundSeconds: options.roundSeconds,
      gatewayPerSecond: rounds.gateway.map((round) => round.perSecond),
      directPerSecond: rounds.direct.map((round) => round.perSecond),
      floorPerSecond: rounds.floor.map((round) => round.perSecond),
      ratios,
      medianRatio: median(ratios),
      floorRatios,
      medianFloorRatio: median(floorRatios),
      unexpected: [...rounds.gateway, ...rounds.floor].reduce((sum, round) => sum + round.unexpected, 0),
      ...(cpu.gateway && cpu.direct && cpu.floor
        ? { cpuPerOperationUs: { gateway: cpu.gateway, direct: cpu.direct, floor: cpu.floor } }
        : {}),
    };
  } finally {
    doc.destroy();
    await stop(floor.child);
  }
}

/** One round of one side: its rate, and the CPU each process spent during it. */
interface Round {
  operations: number;
  perSecond: number;
  unexpected: number;
  /** CPU seconds per command name (`node`, `java`) of `npm start`'s tree and of the floor gateway's. */
  cpu: { gateway: Map<string, number>; floor: Map<string, number> };
  benchCpuSeconds: number;
}

/** Runs `side`, noting the CPU that `npm start`'s processes, the floor gateway's and this one spent meanwhile. */
async function withCpu(
  pids: { gateway: number; floor: number },
  side: () => Promise<{ operations: number; perSecond: number; unexpected?: number }>,
): Promise<Round> {
  const before = { gateway: treeCpuSeconds(pids.gateway), floor: treeCpuSeconds(pids.floor) };
  const benchBefore = process.cpuUsage();
  const result = await side();
  const bench = process.cpuUsage(benchBefore);
  return {
    unexpected: 0,
    ...result,
    cpu: {
      gateway: cpuDelta(before.gateway, treeCpuSeconds(pids.gateway)),
      floor: cpuDelta(before.floor, treeCpuSeconds(pids.floor)),
    },
    benchCpuSeconds: (bench.user + bench.system) / 1e6,
  };
}

/**
 * Median µs of CPU per operation of each process over `rounds`, the Node side being `npm start`'s
 * gateway or the floor gateway (`node`); undefined without `/proc`.
 */
function cpuPerOperation(rounds: readonly Round[], node: 'gateway' | 'floor'): CpuPerOperation | undefined {
  if (rounds.some((round) => round.cpu.gateway.size === 0)) return undefined;
  const perOperation = (seconds: (round: Round) => number) =>
    median(rounds.map((round) => (seconds(round) / round.operations) * 1e6));
  // tsx starts each as a child Node process: every `node` in a tree is that side's.
  return {
    gatewayProcess: perOperation((round) => round.cpu[node].get('node') ?? 0),
    dynamodbLocal: perOperation((round) => round.cpu.gateway.get('java') ?? 0),
    benchProcess: perOperation((round) => round.benchCpuSeconds),
  };
}
