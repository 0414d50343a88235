import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { type AuthorizerDeps, makeAuthorizer } from '../../functions/authorizer/authorizer.js';
import type { AdminTokenVerifier } from '../../shared/domain/auth/admin-token.js';
import { createRequestAuthorizer } from '../../shared/domain/auth/authorize-request.js';
import type { Clock } from '../../shared/domain/clock.js';
import { digestApiKey, generateApiKey, parseApiKey } from '../../shared/domain/keys/key-format.js';
import type { KeyLookup, KeyStore, Log } from '../../shared/domain/ports.js';
import { CATALOG } from '../support/catalog.js';
import { type LatencySummary, type LoopOptions, measureLoop } from './measure.js';
import { authorizerEventFor, routeNotCoveredBy, routesCoveredBy } from './requests.js';
import { createUsableKey, KEY_PREFIX } from './seed.js';

/**
 * The authorizer's decision cost: the handler's bare `makeAuthorizer(deps)` — the code the Lambda
 * runs per request, minus the middy/Powertools wrapper — on each kind of request, beside the floor:
 * reading the header, checking the key's checksum and hashing it, which every decision must do.
 */

export type Outcome = 'allow' | '401' | '403';

export interface DecisionCase {
  name: string;
  expected: Outcome;
  events: APIGatewayRequestAuthorizerEvent[];
}

/** The silent log: the bench measures deciding, not writing log lines to a terminal. */
const silentLog: Log = { info() {}, warn() {}, error() {} };

/** Keys never carry a JWT here; a token reaching the verifier would be a bench bug. */
const noTokens: AdminTokenVerifier = {
  verify: () => Promise.reject(new Error('the benchmark sends no admin tokens')),
};

/** Wires the real decision service and handler around `store`, as `handlerFromEnv` does. */
export function benchDependencies(store: KeyStore, clock: Clock): AuthorizerDeps {
  return {
    decide: createRequestAuthorizer({
      store,
      catalog: CATALOG,
      clock,
      keyPrefix: KEY_PREFIX,
      adminTokens: noTokens,
      lastUsedIntervalSeconds: 60,
      onLastUsedError: () => {},
    }),
    policy: { catalog: CATALOG, cacheTtlSeconds: 0 },
    log: silentLog,
  };
}

const authorizers = new WeakMap<AuthorizerDeps, ReturnType<typeof makeAuthorizer>>();

/** The bare authorizer of `deps`, made once (as the Lambda makes it once per cold start). */
function authorizerOf(deps: AuthorizerDeps): ReturnType<typeof makeAuthorizer> {
  let authorize = authorizers.get(deps);
  if (authorize === undefined) {
    authorize = makeAuthorizer(deps);
    authorizers.set(deps, authorize);
  }
  return authorize;
}

/** One decision through the handler, as an outcome (a 401 is the error `Unauthorized`). */
export async function decideOnce(
  event: APIGatewayRequestAuthorizerEvent,
  deps: AuthorizerDeps,
): Promise<Outcome> {
  let result: APIGatewayAuthorizerResult;
  try {
    result = await authorizerOf(deps)(event);
  } catch (error) {
    if (error instanceof Error && error.message === 'Unauthorized') return '401';
    throw error;
  }
  return result.policyDocument.Statement.some((statement) => statement.Effect === 'Allow') ? 'allow' : '403';
}

/**
 * The request kinds, rotating over `keysPerCase` keys and as many routes, stored in `store`:
 * a valid key on routes its scopes cover, an unknown (well-formed) key, a malformed key, a key with a
 * wrong checksum, and a valid key on a route it lacks the scope for.
 */
export async function prepareCases(store: KeyStore, now: Date, keysPerCase: number): Promise<DecisionCase[]> {
  const grantedScopes = ['pbx:read', 'messaging:read'];
  const routes = routesCoveredBy(grantedScopes, keysPerCase);
  const valid = await Promise.all(
    Array.from({ length: keysPerCase }, () =>
      createUsableKey(store, { companyId: 'bench-co', scopes: grantedScopes, now }),
    ),
  );
  const narrowScopes = ['messaging:read'];
  const lacking = await Promise.all(
    Array.from({ length: keysPerCase }, () =>
      createUsableKey(store, { companyId: 'bench-co', scopes: narrowScopes, now }),
    ),
  );
  const forbidden = routeNotCoveredBy(narrowScopes);
  const anyRoute = routes[0];
  if (!anyRoute) throw new Error('no route to call');
  const rotate = <T>(items: T[], index: number) => items[index % items.length] as T;
  const unknown = Array.from({ length: keysPerCase }, () => generateApiKey(KEY_PREFIX));
  return [
    {
      name: 'valid key',
      expected: 'allow',
      events: valid.map(({ key }, i) => authorizerEventFor(rotate(routes, i), key)),
    },
    {
      name: 'unknown key',
      expected: '401',
      events: unknown.map((key) => authorizerEventFor(anyRoute, key)),
    },
    {
      name: 'malformed key',
      expected: '401',
      events: [authorizerEventFor(anyRoute, `${KEY_PREFIX}not-a-key`)],
    },
    {
      name: 'bad checksum',
      expected: '401',
      // A well-shaped key with its last character changed: rejected by the checksum, before any read.
      events: unknown.map((key) =>
        authorizerEventFor(anyRoute, `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`),
      ),
    },
    {
      name: 'key lacking scope',
      expected: '403',
      events: lacking.map(({ key }) => authorizerEventFor(forbidden, key)),
    },
  ];
}

/**
 * The floor: what any key check costs — read the `Authorization` header, check shape and checksum,
 * hash the key with SHA-256 — and nothing else.
 */
export function floorDecision(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  const header = event.headers?.Authorization ?? event.headers?.authorization ?? '';
  const parsed = parseApiKey(header.slice('Bearer '.length), KEY_PREFIX);
  return parsed.ok ? digestApiKey(parsed.key) : undefined;
}

/** Checks every event of a case decides as expected before it is timed: a wrong verdict is a bench bug. */
export async function assertOutcomes(cases: DecisionCase[], deps: AuthorizerDeps): Promise<void> {
  for (const decisionCase of cases) {
    for (const event of decisionCase.events) {
      const outcome = await decideOnce(event, deps);
      if (outcome !== decisionCase.expected) {
        throw new Error(`${decisionCase.name}: expected ${decisionCase.expected}, got ${outcome}`);
      }
    }
  }
}

export interface CaseResult extends LatencySummary {
  name: string;
  expected: Outcome;
  /** p50 of the case over p50 of the floor, measured in the same run. */
  ratioToFloor: number;
}

/** Decisions one timed case makes (warm-up included): the denominator of "calls per decision". */
export const decisionsPerCase = (loop: LoopOptions) => loop.warmup + loop.rounds * loop.iterations;

/**
 * Times the floor and each case with the same loop settings. `around` runs each case (e.g. to
 * reset and read call counters around it) and returns what it learnt beside the timing.
 */
export async function timeCases<Extra>(
  cases: DecisionCase[],
  deps: AuthorizerDeps,
  loop: LoopOptions,
  around: (
    decisionCase: DecisionCase,
    time: () => Promise<LatencySummary>,
  ) => Promise<LatencySummary & Extra>,
): Promise<{ floor: LatencySummary; cases: Array<CaseResult & Extra> }> {
  const validEvents = cases[0]?.events ?? [];
  const floor = await measureLoop((i) => floorDecision(pick(validEvents, i)), loop);
  const results: Array<CaseResult & Extra> = [];
  for (const decisionCase of cases) {
    const { events } = decisionCase;
    const summary = await around(decisionCase, () =>
      measureLoop((i) => decideOnce(pick(events, i), deps), loop),
    );
    results.push({
      ...summary,
      name: decisionCase.name,
      expected: decisionCase.expected,
      ratioToFloor: summary.p50Us / floor.p50Us,
    });
  }
  return { floor, cases: results };
}

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;

/** Wraps a store to count what the decision asks of it: reads by digest and `lastUsedAt` writes. */
export class CountingKeyStore implements KeyStore {
  reads = 0;
  touches = 0;
  constructor(private readonly inner: KeyStore) {}
  findByDigest(digest: string): Promise<KeyLookup | undefined> {
    this.reads += 1;
    return this.inner.findByDigest(digest);
  }
  touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    this.touches += 1;
    return this.inner.touchLastUsed(digest, now, minIntervalSeconds);
  }
  create: KeyStore['create'] = (...args) => this.inner.create(...args);
  list: KeyStore['list'] = (...args) => this.inner.list(...args);
  get: KeyStore['get'] = (...args) => this.inner.get(...args);
  rename: KeyStore['rename'] = (...args) => this.inner.rename(...args);
  delete: KeyStore['delete'] = (...args) => this.inner.delete(...args);
  setEnabled: KeyStore['setEnabled'] = (...args) => this.inner.setEnabled(...args);
  rotate: KeyStore['rotate'] = (...args) => this.inner.rotate(...args);
  reset(): void {
    this.reads = 0;
    this.touches = 0;
  }
}
