import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { CLI_BUILD_OPTIONS } from '../../cli/build-options.js';
import { elapsedMs, median, quantile } from './measure.js';

/**
 * Start-up of the `keygate` CLI beside a bare `node -e ''`, in the same run and interleaved, so the
 * ratio holds on a busy machine: `keygate --help` (the parser and the command table only) and
 * `keygate keys list` (plus the HTTP client, one request to a stub answering an empty page at once).
 */

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../cli/bin/keygate.mjs', import.meta.url));

export interface CliStartupResult {
  runs: number;
  nodeMs: number;
  helpMs: number;
  listMs: number;
  helpRatio: number;
  listRatio: number;
  /** The ratio of each round (command over node in the same round), 25th and 75th percentile: the spread. */
  helpRatioSpread: [number, number];
  listRatioSpread: [number, number];
  mainBundleBytes: number;
}

export async function measureCliStartup(options: { runs: number }): Promise<CliStartupResult> {
  // The bin runs what `npm install` built; build it now so the figures are for this commit.
  const built = await build({ ...CLI_BUILD_OPTIONS, metafile: true });
  const mainBundleBytes =
    Object.entries(built.metafile.outputs).find(([file]) => file.endsWith('cli/dist/keygate.mjs'))?.[1]
      .bytes ?? 0;
  const stub = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[],"nextCursor":null}');
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const env = {
    ...process.env,
    KEYGATE_URL: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`,
    KEYGATE_TOKEN: 'bench-token',
  };
  const time = async (args: string[]) => {
    const started = process.hrtime.bigint();
    await run(process.execPath, args, { env });
    return elapsedMs(started);
  };
  const samples = { node: [] as number[], help: [] as number[], list: [] as number[] };
  try {
    for (let i = 0; i < options.runs + 1; i++) {
      const node = await time(['-e', '']);
      const help = await time([BIN, '--help']);
      const list = await time([BIN, 'keys', 'list', '--json']);
      // The first round warms the file cache; it is not counted.
      if (i === 0) continue;
      samples.node.push(node);
      samples.help.push(help);
      samples.list.push(list);
    }
  } finally {
    stub.close();
  }
  const spread = (times: number[]): [number, number] => {
    const ratios = times.map((ms, i) => ms / (samples.node[i] as number)).sort((a, b) => a - b);
    return [quantile(ratios, 0.25), quantile(ratios, 0.75)];
  };
  const nodeMs = median(samples.node);
  const helpMs = median(samples.help);
  const listMs = median(samples.list);
  return {
    runs: options.runs,
    nodeMs,
    helpMs,
    listMs,
    helpRatio: helpMs / nodeMs,
    listRatio: listMs / nodeMs,
    helpRatioSpread: spread(samples.help),
    listRatioSpread: spread(samples.list),
    mainBundleBytes,
  };
}
