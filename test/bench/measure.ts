/**
 * Timing and statistics for the benchmarks. Benchmarks report, they do not assert on time: these
 * machines are shared and noisy, so each figure is a median over rounds and comparisons are ratios
 * measured in the same run.
 */

/** Value at quantile `q` (0–1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median of `values` (any order). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Throughput and latency of one operation, each the median over the rounds. */
export interface LatencySummary {
  /** Operations per second (iterations / wall time of the round). */
  opsPerSecond: number;
  p50Us: number;
  p99Us: number;
  rounds: number;
  iterationsPerRound: number;
}

export interface LoopOptions {
  /** Untimed iterations first: JIT, caches, connection pools. */
  warmup: number;
  iterations: number;
  rounds: number;
}

/**
 * Runs `operation` `warmup` times, then `rounds` × `iterations` times, timing each call with
 * `process.hrtime.bigint()`. Per round: throughput and p50/p99; reported: the median of each over
 * the rounds, so one noisy round (GC, a neighbour on the machine) does not move the figure.
 * `operation` receives the iteration index, so callers can rotate over inputs.
 */
export async function measureLoop(
  operation: (index: number) => Promise<unknown> | unknown,
  options: LoopOptions,
): Promise<LatencySummary> {
  for (let i = 0; i < options.warmup; i++) await operation(i);
  const throughputs: number[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  const samples = new Float64Array(options.iterations);
  for (let round = 0; round < options.rounds; round++) {
    const roundStart = process.hrtime.bigint();
    for (let i = 0; i < options.iterations; i++) {
      const start = process.hrtime.bigint();
      await operation(i);
      samples[i] = Number(process.hrtime.bigint() - start) / 1_000;
    }
    const roundSeconds = Number(process.hrtime.bigint() - roundStart) / 1e9;
    const sorted = Array.from(samples).sort((a, b) => a - b);
    throughputs.push(options.iterations / roundSeconds);
    p50s.push(quantile(sorted, 0.5));
    p99s.push(quantile(sorted, 0.99));
  }
  return {
    opsPerSecond: median(throughputs),
    p50Us: median(p50s),
    p99Us: median(p99s),
    rounds: options.rounds,
    iterationsPerRound: options.iterations,
  };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
