import { systemClock } from '../../shared/domain/clock.js';
import { InMemoryKeyStore } from '../support/in-memory-key-store.js';
import {
  assertOutcomes,
  benchDependencies,
  type CaseResult,
  CountingKeyStore,
  decisionsPerCase,
  prepareCases,
  timeCases,
} from './decisions.js';
import type { LatencySummary, LoopOptions } from './measure.js';

/** Scenario 1: the decision in process, with the in-memory key store, beside the floor. */

export interface InProcessCase extends CaseResult {
  readsPerDecision: number;
  writesPerDecision: number;
}

export interface InProcessResult {
  loop: LoopOptions;
  floor: LatencySummary;
  cases: InProcessCase[];
}

export async function benchDecisionsInProcess(loop: LoopOptions): Promise<InProcessResult> {
  const store = new CountingKeyStore(new InMemoryKeyStore());
  const deps = benchDependencies(store, systemClock);
  const cases = await prepareCases(store, new Date(), 64);
  await assertOutcomes(cases, deps);
  const { floor, cases: results } = await timeCases(cases, deps, loop, async (_case, time) => {
    store.reset();
    const summary = await time();
    const decisions = decisionsPerCase(loop);
    return {
      ...summary,
      readsPerDecision: store.reads / decisions,
      writesPerDecision: store.touches / decisions,
    };
  });
  return { loop, floor, cases: results };
}
