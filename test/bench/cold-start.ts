import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { localFunctionEnvironment } from '../../local/local-environment.js';
import { type BundleReport, buildAllBundles } from './bundles.js';
import { median } from './measure.js';

const run = promisify(execFile);

/**
 * Cold start, as far as this machine can show it: each function's bundle size (built as the stack
 * builds it) and the time a fresh Node process takes to import it, beside the floor bundle (a bare
 * DynamoDB client and one GetItem) built and timed the same way, in the same run.
 */

export interface ColdStartRow extends BundleReport {
  /** Median over the runs of the time to `import()` the bundle in a fresh process, in ms. */
  importMs: number;
  importRuns: number[];
}

export interface ColdStartResult {
  floor: ColdStartRow;
  functions: ColdStartRow[];
  runsPerBundle: number;
  nodeOptions: string;
}

/** What the child process runs: time one dynamic import of the bundle named by the environment. */
const IMPORT_TIMER = [
  'const started = performance.now();',
  'await import(process.env.KEYGATE_BENCH_BUNDLE);',
  'process.stdout.write(JSON.stringify({ ms: performance.now() - started }));',
].join(' ');

/** The deployed functions' environment (no local endpoints: in AWS they are unset). */
function lambdaLikeEnvironment(): NodeJS.ProcessEnv {
  const local = localFunctionEnvironment({
    gatewayPort: 3000,
    dynamoEndpoint: 'http://127.0.0.1:8000',
    sesEndpoint: 'http://127.0.0.1:8005',
    tableName: 'keygate-bench',
  });
  const { DYNAMODB_ENDPOINT: _dynamo, SES_ENDPOINT: _ses, ...deployed } = local;
  return {
    PATH: process.env.PATH,
    ...deployed,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}

/** `--enable-source-maps`, as the function construct sets `NODE_OPTIONS`. */
export const DEPLOYED_NODE_OPTIONS = '--enable-source-maps';

async function timeImport(bundle: BundleReport, env: NodeJS.ProcessEnv): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [...DEPLOYED_NODE_OPTIONS.split(' '), '--input-type=module', '-e', IMPORT_TIMER],
    { env: { ...env, KEYGATE_BENCH_BUNDLE: pathToFileURL(bundle.outfile).href }, timeout: 60_000 },
  );
  return (JSON.parse(stdout) as { ms: number }).ms;
}

/**
 * Builds every bundle and the floor, then imports each `runs` times in fresh processes. Runs are
 * interleaved (one of each bundle per round), so a noisy moment on the machine hits all alike.
 */
export async function measureColdStart(options: { runs: number }): Promise<ColdStartResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'keygate-bench-bundles-'));
  try {
    const { floor, functions } = await buildAllBundles(outDir);
    const bundles = [floor, ...functions];
    const env = lambdaLikeEnvironment();
    const runs = new Map<BundleReport, number[]>(bundles.map((bundle) => [bundle, []]));
    // One untimed import first: the file system cache, not the bundle, would otherwise pay for round 1.
    for (const bundle of bundles) await timeImport(bundle, env);
    for (let round = 0; round < options.runs; round++) {
      for (const bundle of bundles) runs.get(bundle)?.push(await timeImport(bundle, env));
    }
    const row = (bundle: BundleReport): ColdStartRow => {
      const times = runs.get(bundle) ?? [];
      return { ...bundle, importMs: median(times), importRuns: times };
    };
    return {
      floor: row(floor),
      functions: functions.map(row),
      runsPerBundle: options.runs,
      nodeOptions: DEPLOYED_NODE_OPTIONS,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
