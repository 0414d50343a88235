import type { TestProject } from 'vitest/node';
import { type RunningService, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startSesLocal } from '../../local/ses-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

interface SharedServices {
  users: number;
  started: Promise<{ dynamo: RunningService; ses: RunningService }>;
}

/**
 * Vitest runs a project's global setup once per project, and every project that needs the services
 * (integration, e2e, budgets) names this file. They share one DynamoDB Local and one SES emulator per
 * run — not one per project — through this process-wide slot: the setups run in Vitest's main process
 * (one realm), though each project evaluates this module afresh.
 */
const SLOT = Symbol.for('keygate.test.shared-services');
type WithSlot = typeof globalThis & { [SLOT]?: SharedServices };

/**
 * Starts DynamoDB Local (in memory, ~2–7 s) and the SES emulator for the projects that need them;
 * the unit project never names this file, so `npm run test:unit` needs no Java.
 * Every test file makes its own table (see `test/support/dynamo.ts`), so files stay independent.
 */
export default async function setup(project: TestProject) {
  const global = globalThis as WithSlot;
  global[SLOT] ??= {
    users: 0,
    started: Promise.all([startDynamoDbLocal(), startSesLocal()]).then(([dynamo, ses]) => ({ dynamo, ses })),
  };
  const shared = global[SLOT];
  shared.users += 1;
  const { dynamo, ses } = await shared.started;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    global[SLOT] = undefined;
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}
