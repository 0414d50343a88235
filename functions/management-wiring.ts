import { loadEnv, managementEnvSchema, storeEnvSchema } from '../shared/adapters/config/env.js';
import { sharedDocumentClient } from '../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../shared/adapters/dynamodb/dynamo-notification-store.js';
import type { RouteCatalog } from '../shared/domain/catalog/route-catalog.js';
import { type Clock, systemClock } from '../shared/domain/clock.js';
import type { ManagementDeps } from '../shared/domain/management/management-deps.js';
import type { NotificationSettingsStore } from '../shared/domain/notify/notification-settings.js';

/**
 * The management functions' composition, shared by their `handlerFromEnv`s: the environment is read
 * and validated once, at cold start, so a function deployed with a bad environment fails at once,
 * naming what is wrong.
 */

/** The key use cases' dependencies, from `env`. */
export function managementDepsFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog): ManagementDeps {
  const config = loadEnv(managementEnvSchema, env);
  const doc = sharedDocumentClient(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {});
  return {
    store: new DynamoKeyStore(doc, config.TABLE_NAME, config.AUDIT_RETENTION_DAYS),
    catalog,
    clock: systemClock,
    keyPrefix: config.KEY_PREFIX,
    retentionDays: config.RETENTION_DAYS,
  };
}

/** What the notification settings endpoints work with. */
export interface NotificationSettingsDeps {
  store: NotificationSettingsStore;
  catalog: RouteCatalog;
  clock: Clock;
}

/** The notification settings endpoints' dependencies, from `env` (only the table). */
export function notificationSettingsDepsFromEnv(
  env: NodeJS.ProcessEnv,
  catalog: RouteCatalog,
): NotificationSettingsDeps {
  const config = loadEnv(storeEnvSchema, env);
  const doc = sharedDocumentClient(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {});
  return { store: new DynamoNotificationStore(doc, config.TABLE_NAME), catalog, clock: systemClock };
}
