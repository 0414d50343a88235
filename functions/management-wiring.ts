import { loadEnv, managementEnvSchema } from '../shared/adapters/config/env.js';
import { sharedDocumentClient } from '../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../shared/adapters/dynamodb/dynamo-key-store.js';
import { systemClock } from '../shared/domain/clock.js';
import type { ManagementDeps } from '../shared/domain/management/management-deps.js';

/**
 * Builds the key use cases' dependencies from the environment; handler modules call it once, at cold
 * start, so a function deployed with a bad environment fails at once, naming what is wrong.
 */
export function managementDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ManagementDeps {
  const config = loadEnv(managementEnvSchema, env);
  const doc = sharedDocumentClient(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {});
  return {
    store: new DynamoKeyStore(doc, config.TABLE_NAME),
    clock: systemClock,
    keyPrefix: config.KEY_PREFIX,
    retentionDays: config.RETENTION_DAYS,
  };
}
