import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { Clock } from '../../shared/domain/clock.js';
import { systemClock } from '../../shared/domain/clock.js';
import {
  assertOutcomes,
  benchDependencies,
  type CaseResult,
  decideOnce,
  decisionsPerCase,
  prepareCases,
  timeCases,
} from './decisions.js';
import { countDynamoCalls } from './dynamo-call-counter.js';
import type { LatencySummary, LoopOptions } from './measure.js';
import { authorizerEventFor, routesCoveredBy } from './requests.js';
import { createUsableKey } from './seed.js';

/**
 * Scenario 2: the same decisions through the real DynamoDB adapter (`DynamoKeyStore` on a client made
 * by `createDocumentClient`, keygate's settings) against DynamoDB Local, counting every request the
 * client sends.
 */

export interface DynamoCase extends CaseResult {
  /** Requests per decision by kind, e.g. `{ "GetItem (consistent)": 1 }`. */
  callsPerDecision: Record<string, number>;
}

export interface LastUsedThrottle {
  simulatedMinutes: number;
  decisions: number;
  keys: number;
  updateItems: number;
  writesPerKeyMinute: number;
}

export interface DynamoDecisionResult {
  loop: LoopOptions;
  floor: LatencySummary;
  cases: DynamoCase[];
  lastUsedThrottle: LastUsedThrottle;
}

export async function benchDecisionsOnDynamo(
  endpoint: string,
  tableName: string,
  loop: LoopOptions,
): Promise<DynamoDecisionResult> {
  const doc = createDocumentClient({ endpoint });
  const counter = countDynamoCalls(doc);
  try {
    const store = new DynamoKeyStore(doc, tableName);
    const deps = benchDependencies(store, systemClock);
    const cases = await prepareCases(store, new Date(), 16);
    await assertOutcomes(cases, deps);
    const { floor, cases: results } = await timeCases(cases, deps, loop, async (_case, time) => {
      counter.reset();
      const summary = await time();
      const decisions = decisionsPerCase(loop);
      const callsPerDecision = Object.fromEntries(
        Object.entries(counter.byKind()).map(([kind, count]) => [kind, count / decisions]),
      );
      return { ...summary, callsPerDecision };
    });
    const lastUsedThrottle = await simulateLastUsedThrottle(store, counter, 5, 4);
    return { loop, floor, cases: results, lastUsedThrottle };
  } finally {
    counter.detach();
    doc.destroy();
  }
}

/** A clock the simulation moves by hand. */
class SteppedClock implements Clock {
  constructor(private current: number) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * `lastUsedAt` throttling over simulated time: `keys` keys each calling once per second for
 * `minutes` minutes (the clock moves, the decisions are real, against DynamoDB Local). Expected: one
 * UpdateItem per key per minute at most.
 */
async function simulateLastUsedThrottle(
  store: DynamoKeyStore,
  counter: ReturnType<typeof countDynamoCalls>,
  minutes: number,
  keys: number,
): Promise<LastUsedThrottle> {
  const clock = new SteppedClock(Date.now());
  const deps = benchDependencies(store, clock);
  const scopes = ['messaging:read'];
  const route = routesCoveredBy(scopes, 1)[0];
  if (!route) throw new Error('no route');
  const created = await Promise.all(
    Array.from({ length: keys }, () =>
      createUsableKey(store, { companyId: 'bench-throttle', scopes, now: clock.now() }),
    ),
  );
  const events = created.map(({ key }) => authorizerEventFor(route, key));
  counter.reset();
  let decisions = 0;
  for (let second = 0; second < minutes * 60; second++) {
    for (const event of events) {
      if ((await decideOnce(event, deps)) !== 'allow')
        throw new Error('throttle simulation: key not allowed');
      decisions += 1;
    }
    clock.advance(1000);
  }
  const updateItems = counter.calls.filter((call) => call.operation === 'UpdateItem').length;
  return {
    simulatedMinutes: minutes,
    decisions,
    keys,
    updateItems,
    writesPerKeyMinute: updateItems / (keys * minutes),
  };
}
