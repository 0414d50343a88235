import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import type { Clock } from '../../shared/domain/clock.js';
import {
  benchDependencies,
  CountingKeyStore,
  type DecisionCase,
  decideOnce,
  prepareCases,
} from '../bench/decisions.js';
import { countDynamoCalls, type DynamoCallCounter } from '../bench/dynamo-call-counter.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { InMemoryKeyStore } from '../support/in-memory-key-store.js';

/**
 * Issue 5's storage budget for the authorizer: no read for a malformed key, exactly one read for a
 * well-formed one, and no write on a decision except `lastUsedAt`, at most once per key per interval
 * (60 s here). Counted twice: on the store port (the decision's logic) and on the wire against
 * DynamoDB Local (what the real adapter sends).
 */

class SteppedClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

const byName = (cases: DecisionCase[], name: string) => {
  const found = cases.find((decisionCase) => decisionCase.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
};
const first = (decisionCase: DecisionCase) => decisionCase.events[0] as APIGatewayRequestAuthorizerEvent;

describe('authorizer store calls, counted on the store port', () => {
  const clock = new SteppedClock();
  const store = new CountingKeyStore(new InMemoryKeyStore());
  const deps = benchDependencies(store, clock);
  let cases: DecisionCase[];

  beforeAll(async () => {
    cases = await prepareCases(store, clock.now(), 2);
  });

  it.each(['malformed key', 'bad checksum'])('reads nothing for a %s', async (name) => {
    store.reset();
    expect(await decideOnce(first(byName(cases, name)), deps)).toBe('401');
    expect({ reads: store.reads, writes: store.touches }).toEqual({ reads: 0, writes: 0 });
  });

  it.each([
    ['unknown key', '401'],
    ['key lacking scope', '403'],
  ])('reads once and writes nothing for a %s', async (name, outcome) => {
    store.reset();
    expect(await decideOnce(first(byName(cases, name)), deps)).toBe(outcome);
    expect({ reads: store.reads, writes: store.touches }).toEqual({ reads: 1, writes: 0 });
  });

  it('reads once per allowed request and writes lastUsedAt once per key per interval', async () => {
    const event = first(byName(cases, 'valid key'));
    store.reset();
    for (let second = 0; second < 180; second++) {
      expect(await decideOnce(event, deps)).toBe('allow');
      clock.advance(1000);
    }
    // 180 requests over 3 minutes: written at 0 s, 61 s and 122 s (strictly older than 60 s).
    expect({ reads: store.reads, writes: store.touches }).toEqual({ reads: 180, writes: 3 });
  });
});

describe('authorizer DynamoDB calls, counted on the wire (DynamoDB Local)', () => {
  let table: TestTable;
  let counter: DynamoCallCounter;
  let cases: DecisionCase[];
  const clock = new SteppedClock();
  let deps: ReturnType<typeof benchDependencies>;
  let destroy: () => void;

  beforeAll(async () => {
    table = await createTestTable();
    const doc = createDocumentClient({ endpoint: table.endpoint });
    destroy = () => doc.destroy();
    const store = new DynamoKeyStore(doc, table.tableName);
    cases = await prepareCases(store, clock.now(), 1);
    deps = benchDependencies(store, clock);
    counter = countDynamoCalls(doc);
  });

  afterAll(async () => {
    destroy();
    await table.drop();
  });

  it.each(['malformed key', 'bad checksum'])('sends nothing for a %s', async (name) => {
    counter.reset();
    expect(await decideOnce(first(byName(cases, name)), deps)).toBe('401');
    expect(counter.calls).toEqual([]);
  });

  it.each([
    ['unknown key', '401'],
    ['key lacking scope', '403'],
  ])('sends one strongly consistent GetItem for a %s', async (name, outcome) => {
    counter.reset();
    expect(await decideOnce(first(byName(cases, name)), deps)).toBe(outcome);
    expect(counter.byKind()).toEqual({ 'GetItem (consistent)': 1 });
  });

  it('sends one consistent GetItem per allowed request and one UpdateItem per key per interval', async () => {
    const event = first(byName(cases, 'valid key'));
    counter.reset();
    for (let i = 0; i < 12; i++) {
      expect(await decideOnce(event, deps)).toBe('allow');
      clock.advance(10_000);
    }
    // 12 requests, 10 s apart (110 s): written at 0 s and 70 s.
    expect(counter.byKind()).toEqual({ 'GetItem (consistent)': 12, UpdateItem: 2 });
  });
});
