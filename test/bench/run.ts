/**
 * `npm run bench`: keygate's benchmarks. Prints tables and writes `bench-results.json`.
 *   --quick         smaller sizes and shorter runs (a smoke test of the suite, not figures to quote)
 *   --only=a,b      run only these scenarios: decisions, cold-start, dynamo, e2e, notifier, listing, cli
 * Figures are medians over rounds; compare ratios measured in the same run (see docs/performance.md).
 */

import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { createKeygateTable } from '../../shared/adapters/dynamodb/create-table.js';
import { BUDGETS, bundleBudgetOverFloor } from './budgets.js';
import { type CliStartupResult, measureCliStartup } from './cli-startup.js';
import { type ColdStartResult, measureColdStart } from './cold-start.js';
import { benchDecisionsOnDynamo, type DynamoDecisionResult } from './decision-dynamo.js';
import { benchDecisionsInProcess, type InProcessResult } from './decision-in-process.js';
import { benchEndToEnd, type CpuPerOperation, type EndToEndResult } from './end-to-end.js';
import { benchListing, type ListingResult } from './listing.js';
import { elapsedMs, median } from './measure.js';
import {
  loadKeys,
  measureNotifier,
  type NotifierSizeResult,
  notifierKeys,
  seedRecipients,
} from './notifier-scaling.js';
import { deltaKib, heading, kib, num, table } from './report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SCENARIOS = ['decisions', 'cold-start', 'dynamo', 'e2e', 'notifier', 'listing', 'cli'] as const;
type Scenario = (typeof SCENARIOS)[number];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((arg) => arg.startsWith('--only='));
const selected = new Set<Scenario>(
  onlyArg ? (onlyArg.slice('--only='.length).split(',') as Scenario[]) : SCENARIOS,
);
for (const name of selected) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}`);

const SETTINGS = quick
  ? {
      inProcessLoop: { warmup: 500, iterations: 2_000, rounds: 3 },
      dynamoLoop: { warmup: 10, iterations: 50, rounds: 3 },
      coldStartRuns: 3,
      cliRuns: 5,
      e2e: {
        durationSeconds: 3,
        connections: 10,
        keys: 4,
        routes: 8,
        overhead: { inFlight: 8, rounds: 2, roundSeconds: 2 },
      },
      notifierSizes: [2_000, 10_000],
      notifierRuns: 1,
      listing: { bigCompanyKeys: 2_000, smallCompanyKeys: 100, deepPage: 10 },
    }
  : {
      inProcessLoop: { warmup: 5_000, iterations: 10_000, rounds: 5 },
      dynamoLoop: { warmup: 50, iterations: 200, rounds: 3 },
      coldStartRuns: 7,
      cliRuns: 15,
      e2e: {
        durationSeconds: 10,
        connections: 10,
        keys: 8,
        routes: 16,
        overhead: { inFlight: 8, rounds: 5, roundSeconds: 4 },
      },
      notifierSizes: [10_000, 100_000],
      notifierRuns: 3,
      listing: { bigCompanyKeys: 10_000, smallCompanyKeys: 100, deepPage: 50 },
    };

interface Results {
  startedAt: string;
  totalSeconds?: number;
  quick: boolean;
  machine: Record<string, unknown>;
  decisionsInProcess?: InProcessResult;
  coldStart?: ColdStartResult;
  decisionsOnDynamo?: DynamoDecisionResult;
  endToEnd?: EndToEndResult;
  notifier?: NotifierSizeResult[];
  listing?: ListingResult;
  cliStartup?: CliStartupResult;
  budgets: Array<{
    budget: string;
    limit: string;
    measured: string;
    ok: boolean;
    kind: 'deterministic' | 'reported';
  }>;
}

const log = (line: string) => console.log(line);

function machine(): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the figures still stand, without a commit to pin them to.
  }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
    commit,
  };
}

function printInProcess(result: InProcessResult): void {
  log(heading('1. Authorizer decision in process (in-memory key store) vs floor'));
  const { floor } = result;
  const rows = [
    [
      'floor: header + checksum + sha256',
      num(floor.opsPerSecond),
      num(floor.p50Us, 1),
      num(floor.p99Us, 1),
      '1.0×',
      '-',
      '-',
    ],
    ...result.cases.map((c) => [
      `${c.name} → ${c.expected}`,
      num(c.opsPerSecond),
      num(c.p50Us, 1),
      num(c.p99Us, 1),
      `${num(c.ratioToFloor, 1)}×`,
      num(c.readsPerDecision, 3),
      num(c.writesPerDecision, 4),
    ]),
  ];
  log(table(['case', 'decisions/s', 'p50 µs', 'p99 µs', 'p50/floor', 'reads/dec', 'writes/dec'], rows));
  log(
    `(${result.loop.rounds} rounds × ${num(result.loop.iterations)} after ${num(result.loop.warmup)} warm-up; medians over rounds)`,
  );
}

/** The packages a bundle adds most to the floor (bytes in output, per package, minus the floor's). */
function additionsOverFloor(bundle: ColdStartResult['floor'], floor: ColdStartResult['floor']): string {
  const floorBytes = new Map(floor.contributors.map((contributor) => [contributor.name, contributor.bytes]));
  return bundle.contributors
    .map((contributor) => ({
      name: contributor.name,
      bytes: contributor.bytes - (floorBytes.get(contributor.name) ?? 0),
    }))
    .filter((addition) => addition.bytes > 512)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((addition) => `${addition.name} +${num(addition.bytes / 1024)}K`)
    .join(', ');
}

function printColdStart(result: ColdStartResult): void {
  log(heading('4. Cold start: bundle size (stack esbuild settings) and import time in a fresh node'));
  const { floor } = result;
  const rows = [floor, ...result.functions].map((bundle) => {
    const over = bundle.bytes - floor.bytes;
    const budget = bundle === floor ? undefined : bundleBudgetOverFloor(bundle.name);
    return [
      bundle === floor ? 'floor' : bundle.name,
      kib(bundle.bytes),
      bundle === floor ? '-' : deltaKib(over),
      budget === undefined ? '-' : `${over <= budget ? 'ok' : 'OVER'} (≤ +${budget / 1024})`,
      num(bundle.importMs, 1),
      bundle === floor ? '-' : `${num(bundle.importMs - floor.importMs, 1)}`,
      bundle.contributors
        .slice(0, 3)
        .map((contributor) => `${contributor.name} ${num(contributor.bytes / 1024)}K`)
        .join(', '),
      bundle === floor ? '-' : additionsOverFloor(bundle, floor),
    ];
  });
  log(
    table(
      [
        'bundle',
        'size',
        'vs floor',
        'budget',
        'import ms',
        'Δ ms',
        'largest contributors',
        'largest additions to floor',
      ],
      rows,
    ),
  );
  log(
    `(import: median of ${result.runsPerBundle} fresh processes each, interleaved, node ${result.nodeOptions}; source maps not counted in size)`,
  );
}

function printDynamo(result: DynamoDecisionResult): void {
  log(heading('2. Authorizer decision against DynamoDB Local (real adapter), DynamoDB calls per decision'));
  const rows = result.cases.map((c) => [
    `${c.name} → ${c.expected}`,
    num(c.opsPerSecond),
    num(c.p50Us / 1000, 2),
    num(c.p99Us / 1000, 2),
    Object.entries(c.callsPerDecision)
      .map(([kind, count]) => `${num(count, 3)} ${kind}`)
      .join(', ') || 'none',
  ]);
  log(table(['case', 'decisions/s', 'p50 ms', 'p99 ms', 'DynamoDB calls per decision'], rows));
  const t = result.lastUsedThrottle;
  log(
    `lastUsedAt: ${t.keys} keys × 1 allowed request/s for ${t.simulatedMinutes} simulated minutes = ${num(t.decisions)} decisions → ${t.updateItems} UpdateItem (${num(t.writesPerKeyMinute, 2)} per key-minute)`,
  );
}

function printEndToEnd(result: EndToEndResult): void {
  log(
    heading('3. End to end: autocannon → npm start (local API Gateway + authorizer + echo, DynamoDB Local)'),
  );
  log(
    table(
      [
        'connections',
        'seconds',
        'keys × routes',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'statuses',
        'unexpected',
      ],
      [
        [
          result.connections,
          num(result.durationSeconds, 1),
          `${result.keys} × ${result.routes}`,
          num(result.requests),
          num(result.requestsPerSecond),
          num(result.latencyP50Ms, 1),
          num(result.latencyP99Ms, 1),
          num(result.latencyMaxMs, 1),
          Object.entries(result.statusCounts)
            .map(([status, count]) => `${status}: ${count}`)
            .join(' '),
          result.unexpected,
        ],
      ],
    ),
  );
  const o = result.overhead;
  log(
    `\nGateway overhead, ${o.inFlight} in flight, ${o.ratios.length} mirrored rounds of ${o.roundSeconds} s: whole requests through the gateway, the same consistent GetItem the authorizer sends straight to npm start's DynamoDB Local, and the floor gateway (Node's HTTP server and that GetItem, nothing else) on the same requests`,
  );
  log(
    table(
      ['round', 'gateway req/s', 'direct GetItem/s', 'floor req/s', 'gateway / direct', 'floor / direct'],
      [
        ...o.ratios.map((ratio, i) => [
          i + 1,
          num(o.gatewayPerSecond[i] as number),
          num(o.directPerSecond[i] as number),
          num(o.floorPerSecond[i] as number),
          num(ratio, 2),
          num(o.floorRatios[i] as number, 2),
        ]),
        [
          'median',
          num(median(o.gatewayPerSecond)),
          num(median(o.directPerSecond)),
          num(median(o.floorPerSecond)),
          num(o.medianRatio, 2),
          num(o.medianFloorRatio, 2),
        ],
      ],
    ),
  );
  const cpu = o.cpuPerOperationUs;
  if (!cpu) return;
  log(
    "\nCPU per operation in the same rounds (µs, user + system, median): who spends what, whatever the machine's load",
  );
  const row = (label: string, side: CpuPerOperation) => {
    const parts = [side.gatewayProcess, side.dynamodbLocal, side.benchProcess];
    return [label, ...[...parts, parts.reduce((sum, us) => sum + us, 0)].map((us) => num(us))];
  };
  log(
    table(
      ['side', 'serving Node process', 'DynamoDB Local (JVM)', 'bench process', 'all'],
      [
        row('gateway request', cpu.gateway),
        row('direct GetItem', cpu.direct),
        row('floor gateway request', cpu.floor),
      ],
    ),
  );
}

function printNotifier(results: NotifierSizeResult[]): void {
  log(heading('5. Notifier: cost grows with keys due, not with the table (100 companies, 1% due)'));
  const rows = results.map((r) => [
    num(r.keys),
    num(r.tableItems),
    num(r.keysDue),
    num(r.run.indexItemsRead),
    num(r.indexItemsPerDueKey, 2),
    num(r.run.indexReadMs, 1),
    num(r.run.wallMs, 1),
    num(r.scan.itemsRead),
    num(r.scan.wallMs, 1),
    `${num(r.itemsReadRatio, 1)}×`,
    `${num(r.wallTimeRatio, 1)}×`,
    num(r.loadSeconds, 1),
  ]);
  log(
    table(
      [
        'keys',
        'items',
        'due',
        'index read',
        'per due',
        'index ms',
        'run ms',
        'scan read',
        'scan ms',
        'scan/index items',
        'scan/index time',
        'load s',
      ],
      rows,
    ),
  );
  log(
    `(company key items only; run = index + recipients + claim/mark writes + mails to a counting mailer, median of ${SETTINGS.notifierRuns}; scan: 1 run)`,
  );
}

function printListing(result: ListingResult): void {
  log(heading(`6. Listing: GET /v1/api-keys (list function's handler), ${result.pageSize} per page`));
  const rows = result.pages.map((page) => [
    `${page.company} (${num(page.companyKeys)} keys)`,
    page.page,
    page.itemsOnPage,
    num(page.p50Us / 1000, 2),
    num(page.p99Us / 1000, 2),
    num(page.itemsReadPerPage, 1),
    Object.entries(page.callsPerPage)
      .map(([kind, count]) => `${num(count, 2)} ${kind}`)
      .join(', '),
  ]);
  log(table(['company', 'page', 'items', 'p50 ms', 'p99 ms', 'items read', 'DynamoDB calls per page'], rows));
}

function printCliStartup(result: CliStartupResult): void {
  log(heading(`7. CLI start-up: keygate beside a bare node -e '' (median of ${result.runs}, interleaved)`));
  const spread = ([low, high]: [number, number]) => `${num(low, 2)}–${num(high, 2)}×`;
  log(
    table(
      ['command', 'ms', '× node', 'per round p25–p75'],
      [
        ["node -e ''", num(result.nodeMs, 1), '1.0×', ''],
        [
          'keygate --help',
          num(result.helpMs, 1),
          `${num(result.helpRatio, 2)}×`,
          spread(result.helpRatioSpread),
        ],
        [
          'keygate keys list (stub API, empty page)',
          num(result.listMs, 1),
          `${num(result.listRatio, 2)}×`,
          spread(result.listRatioSpread),
        ],
      ],
    ),
  );
  log(
    `(entry bundle cli/dist/keygate.mjs: ${kib(result.mainBundleBytes)}; each command's module loads when it runs)`,
  );
}

function evaluateBudgets(results: Results): void {
  const add = (entry: Results['budgets'][number]) => results.budgets.push(entry);
  const cold = results.coldStart;
  if (cold) {
    for (const bundle of cold.functions) {
      const over = bundle.bytes - cold.floor.bytes;
      const limit = bundleBudgetOverFloor(bundle.name);
      add({
        budget: `${bundle.name} bundle over floor`,
        limit: `≤ ${limit / 1024} KiB`,
        measured: deltaKib(over),
        ok: over <= limit,
        kind: 'deterministic',
      });
    }
    const authorizer = cold.functions.find((bundle) => bundle.name === 'authorizer');
    if (authorizer) {
      add({
        budget: 'authorizer import vs floor',
        limit: 'reported',
        measured: `${num(authorizer.importMs, 1)} ms vs ${num(cold.floor.importMs, 1)} ms`,
        ok: true,
        kind: 'reported',
      });
    }
  }
  const inProcess = results.decisionsInProcess;
  if (inProcess) {
    const worst = Math.max(...inProcess.cases.map((c) => c.ratioToFloor));
    add({
      budget: 'in-process decision p50 over floor (worst case)',
      limit: `≤ ${BUDGETS.decisionP50OverFloor}×`,
      measured: `${num(worst, 1)}×`,
      ok: worst <= BUDGETS.decisionP50OverFloor,
      kind: 'reported',
    });
  }
  const dynamo = results.decisionsOnDynamo;
  if (dynamo) {
    const calls = (name: string) => dynamo.cases.find((c) => c.name === name)?.callsPerDecision ?? {};
    const total = (kinds: Record<string, number>) => Object.values(kinds).reduce((sum, n) => sum + n, 0);
    add({
      budget: 'DynamoDB calls, malformed key',
      limit: '0',
      measured: num(total(calls('malformed key')), 3),
      ok: total(calls('malformed key')) === 0,
      kind: 'deterministic',
    });
    const valid = calls('valid key');
    add({
      budget: 'DynamoDB calls, valid key',
      limit: '1 consistent GetItem (+ throttled UpdateItem)',
      measured: JSON.stringify(valid),
      ok: valid['GetItem (consistent)'] === 1 && total(valid) - (valid.UpdateItem ?? 0) === 1,
      kind: 'deterministic',
    });
    const unknown = calls('unknown key');
    add({
      budget: 'DynamoDB calls, unknown key',
      limit: '1 consistent GetItem',
      measured: JSON.stringify(unknown),
      ok: unknown['GetItem (consistent)'] === 1 && total(unknown) === 1,
      kind: 'deterministic',
    });
    const t = dynamo.lastUsedThrottle;
    add({
      budget: 'lastUsedAt writes per key-minute',
      limit: `≤ ${BUDGETS.lastUsedWritesPerKeyMinute}`,
      measured: num(t.writesPerKeyMinute, 2),
      ok: t.writesPerKeyMinute <= BUDGETS.lastUsedWritesPerKeyMinute,
      kind: 'deterministic',
    });
  }
  const e2e = results.endToEnd;
  if (e2e) {
    add({
      budget: 'end-to-end unexpected statuses',
      limit: '0',
      measured: String(e2e.unexpected),
      ok: e2e.unexpected === 0,
      kind: 'reported',
    });
    add({
      budget: 'local gateway overhead: req/s through it / direct GetItem/s (median)',
      limit: `≥ ${BUDGETS.gatewayOverheadRatio}`,
      measured: `${num(e2e.overhead.medianRatio, 2)} (rounds ${e2e.overhead.ratios.map((r) => num(r, 2)).join(', ')}; unexpected ${e2e.overhead.unexpected})`,
      ok: e2e.overhead.medianRatio >= BUDGETS.gatewayOverheadRatio && e2e.overhead.unexpected === 0,
      kind: 'reported',
    });
    add({
      budget: 'for scale: floor gateway req/s / direct GetItem/s (median)',
      limit: 'reported',
      measured: `${num(e2e.overhead.medianFloorRatio, 2)} (rounds ${e2e.overhead.floorRatios.map((r) => num(r, 2)).join(', ')})`,
      ok: true,
      kind: 'reported',
    });
    add({
      budget: 'end-to-end p99 (local)',
      limit: 'reported',
      measured: `${num(e2e.latencyP99Ms, 1)} ms`,
      ok: true,
      kind: 'reported',
    });
  }
  for (const size of results.notifier ?? []) {
    add({
      budget: `notifier index items per due key (${num(size.keys)} keys)`,
      limit: `≤ ${BUDGETS.notifierIndexItemsPerDueKey}`,
      measured: num(size.indexItemsPerDueKey, 2),
      ok: size.indexItemsPerDueKey <= BUDGETS.notifierIndexItemsPerDueKey,
      kind: 'deterministic',
    });
  }
  const cli = results.cliStartup;
  if (cli) {
    add({
      budget: "keygate --help start-up vs node -e ''",
      limit: `≤ ${BUDGETS.cliHelpOverNode}×`,
      measured: `${num(cli.helpRatio, 2)}× (${num(cli.helpMs, 1)} ms vs ${num(cli.nodeMs, 1)} ms)`,
      ok: cli.helpRatio <= BUDGETS.cliHelpOverNode,
      kind: 'reported',
    });
    add({
      budget: "keygate keys list start-up vs node -e ''",
      limit: `≤ ${BUDGETS.cliKeysListOverNode}×`,
      measured: `${num(cli.listRatio, 2)}× (${num(cli.listMs, 1)} ms vs ${num(cli.nodeMs, 1)} ms)`,
      ok: cli.listRatio <= BUDGETS.cliKeysListOverNode,
      kind: 'reported',
    });
  }
  const listing = results.listing;
  if (listing) {
    const reads = listing.pages.map((page) => page.itemsReadPerPage);
    add({
      budget: 'listing items read per page, any company size or depth',
      limit: 'constant',
      measured: reads.map((r) => num(r, 1)).join(' / '),
      ok: Math.max(...reads) === Math.min(...reads),
      kind: 'deterministic',
    });
  }
}

/** A hard stop, so a stuck emulator cannot keep the bench running (the budget is 10 minutes). */
const HARD_STOP_MS = 15 * 60_000;

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  setTimeout(() => {
    console.error(`bench stopped: still running after ${HARD_STOP_MS / 60_000} minutes`);
    process.exit(1);
  }, HARD_STOP_MS).unref();
  const results: Results = { startedAt: new Date().toISOString(), quick, machine: machine(), budgets: [] };
  const m = results.machine;
  log(
    `keygate bench${quick ? ' (--quick: smoke sizes, not figures to quote)' : ''} — ${m.cpuModel}, ${m.cores} cores, node ${m.node}, load ${(m.loadAverageAtStart as number[]).join(' ')}, commit ${m.commit}`,
  );

  // In the order. The in-process decisions run before any DynamoDB Local (a JVM) is started;
  // later ones share the machine with an idle one.
  if (selected.has('decisions')) {
    results.decisionsInProcess = await benchDecisionsInProcess(SETTINGS.inProcessLoop);
    printInProcess(results.decisionsInProcess);
  }
  const needsDynamo = ['dynamo', 'notifier', 'listing'].some((name) => selected.has(name as Scenario));
  const dynamo = needsDynamo ? await startDynamoDbLocal() : undefined;
  // Loading uses its own client with patient timeouts; what is measured uses keygate's client settings.
  const raw = dynamo
    ? new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler: { requestTimeout: 60_000 },
      })
    : undefined;
  try {
    if (selected.has('dynamo') && dynamo && raw) {
      await createKeygateTable(raw, 'bench-decisions');
      results.decisionsOnDynamo = await benchDecisionsOnDynamo(
        dynamo.endpoint,
        'bench-decisions',
        SETTINGS.dynamoLoop,
      );
      printDynamo(results.decisionsOnDynamo);
    }
    if (selected.has('e2e')) {
      // `npm start` in its own process, with its own DynamoDB Local.
      results.endToEnd = await benchEndToEnd(SETTINGS.e2e);
      printEndToEnd(results.endToEnd);
    }
    if (selected.has('cold-start')) {
      results.coldStart = await measureColdStart({ runs: SETTINGS.coldStartRuns });
      printColdStart(results.coldStart);
    }
    if (dynamo && raw && (selected.has('notifier') || selected.has('listing'))) {
      const seedDoc = DynamoDBDocumentClient.from(raw);
      await createKeygateTable(raw, 'bench-keys');
      if (selected.has('notifier')) {
        const asOf = new Date();
        await seedRecipients(seedDoc, 'bench-keys');
        results.notifier = [];
        let loaded = 0;
        for (const size of SETTINGS.notifierSizes) {
          // Each size adds keys to the same table: 10,000, then 90,000 more for 100,000.
          const keys = notifierKeys(size - loaded, asOf, loaded);
          const loadSeconds = await loadKeys(seedDoc, 'bench-keys', keys, { lookupItems: false });
          loaded = size;
          const result = await measureNotifier(
            dynamo.endpoint,
            seedDoc,
            'bench-keys',
            asOf,
            { keys: size, keysDue: size / 100, loadSeconds },
            { runs: SETTINGS.notifierRuns, scanRuns: 1 },
          );
          results.notifier.push(result);
          log(`  notifier: ${num(size)} keys measured (loaded in ${num(loadSeconds, 1)} s)`);
        }
        printNotifier(results.notifier);
      }
      if (selected.has('listing')) {
        results.listing = await benchListing(dynamo.endpoint, seedDoc, 'bench-keys', SETTINGS.listing);
        printListing(results.listing);
      }
    }
  } finally {
    raw?.destroy();
    await dynamo?.stop();
  }
  if (selected.has('cli')) {
    results.cliStartup = await measureCliStartup({ runs: SETTINGS.cliRuns });
    printCliStartup(results.cliStartup);
  }

  evaluateBudgets(results);
  log(heading('Budgets'));
  log(
    table(
      ['budget', 'limit', 'measured', 'result', 'kind'],
      results.budgets.map((b) => [b.budget, b.limit, b.measured, b.ok ? 'ok' : 'FAIL', b.kind]),
    ),
  );
  results.totalSeconds = elapsedMs(started) / 1000;
  const out = fileURLToPath(new URL('../../bench-results.json', import.meta.url));
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nTotal ${num(results.totalSeconds, 1)} s. Results: bench-results.json`);
}

main().then(
  // Handler modules keep SDK sockets and timers alive; the bench is done.
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
