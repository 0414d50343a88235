import { loadEnv, managementEnvSchema } from '../../adapters/config/env.js';
import { sharedDocumentClient } from '../../adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../adapters/dynamodb/dynamo-key-store.js';
import { type Clock, systemClock } from '../clock.js';
import type { KeyStore } from '../ports.js';

/** What the management use cases work with: their ports and the deployment's settings. */
export interface ManagementDeps {
  store: KeyStore;
  clock: Clock;
  /** The deployment's key prefix, e.g. `wsk-v1-`. */
  keyPrefix: string;
  /** Days an expired key stays (listed, marked expired) before DynamoDB TTL removes it. */
  retentionDays: number;
}

/**
 * Builds the dependencies from the environment; handler modules call it once, at cold start, so a
 * function deployed with a bad environment fails at once, naming what is wrong.
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
