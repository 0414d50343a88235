/**
 * keygate's performance budgets (issue 5), in one place: `npm test` enforces the deterministic ones
 * (test/budgets/), `npm run bench` reports every one beside the measured figure. KB here is KiB.
 */
export const BUDGETS = {
  /**
   * The authorizer bundle may exceed the floor bundle by this many bytes. It was 60 KiB while the
   * authorizer kept hand-written twins of four rules (env, IP, item decoding, log) to stay out of zod,
   * ipaddr.js, lib-dynamodb and Powertools Logger; one implementation per rule (issue 9) costs about
   * 70 KiB and a few ms of import (docs/performance.md, "Cold start"), which this budget now admits.
   */
  authorizerOverFloorBytes: 125 * 1024,
  /** Every other function's bundle may exceed the floor by this many bytes. */
  functionOverFloorBytes: 150 * 1024,
  /** In-process decision p50 over the floor's p50 (reported: times are not deterministic). */
  decisionP50OverFloor: 20,
  /** Expiry-index items the notifier may read per key due. */
  notifierIndexItemsPerDueKey: 1.5,
  /**
   * The notifier's requests for one recipient's message (deterministic, counted on the wire): on the
   * run that sends it, one SES call and two DynamoDB writes (the claim, the `sent` mark); on a rerun
   * after it was sent, one refused claim and no SES call. Plus one GetItem per company (its recipients).
   */
  notifierPerRecipient: {
    firstRun: { dynamoWrites: 2, sesCalls: 1 },
    rerun: { dynamoWrites: 1, sesCalls: 0 },
  },
  notifierReadsPerCompany: 1,
  /**
   * After the index, the due keys' own items (their current state: enabled, rotatedTo, name, expiry):
   * one strongly consistent BatchGetItem per 100 keys due, reading each due key's item once (one
   * more BatchGetItem only when a due key was rotated to a key not due itself).
   */
  notifierStateReads: { keysPerBatchGet: 100, itemsPerDueKey: 1 },
  /** `lastUsedAt` writes per key per minute. */
  lastUsedWritesPerKeyMinute: 1,
  /**
   * Requests per second through the local gateway over the same GetItem sent straight to DynamoDB
   * Local, 8 in flight (issue 10; reported: throughput is not deterministic on a shared machine).
   */
  gatewayOverheadRatio: 0.8,
  /** `keygate --help` start-up over a bare `node -e ''` (issue 12; reported: times are not deterministic). */
  cliHelpOverNode: 3,
  /** `keygate keys list` (one request to a stub) start-up over a bare `node -e ''` (issue 12; reported). */
  cliKeysListOverNode: 3,
} as const;

/** The bundle budget of a function, in bytes over the floor. */
export function bundleBudgetOverFloor(functionName: string): number {
  return functionName === 'authorizer' ? BUDGETS.authorizerOverFloorBytes : BUDGETS.functionOverFloorBytes;
}
