import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerOf } from '../shared/adapters/apigateway/authorizer-context.js';
import {
  auditEnvSchema,
  loadEnv,
  managementEnvSchema,
  storeEnvSchema,
} from '../shared/adapters/config/env.js';
import { DynamoAuditRecorder } from '../shared/adapters/dynamodb/dynamo-audit-log.js';
import { sharedDocumentClient } from '../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../shared/adapters/dynamodb/dynamo-key-store.js';
import { DynamoNotificationStore } from '../shared/adapters/dynamodb/dynamo-notification-store.js';
import {
  type ApiEvent,
  type HttpHandlerOptions,
  httpHandler,
  type JsonEvent,
} from '../shared/adapters/http/http-handler.js';
import { createLogger } from '../shared/adapters/log/logger.js';
import type { ManagementHandler } from '../shared/domain/catalog/catalog-types.js';
import type { RouteCatalog } from '../shared/domain/catalog/route-catalog.js';
import { type Clock, systemClock } from '../shared/domain/clock.js';
import { NotFoundError, NotPermittedError } from '../shared/domain/errors.js';
import type { ManagementDeps } from '../shared/domain/management/management-deps.js';
import {
  type RefusalAuditDeps,
  recordOutOfReach,
  recordRefusal,
} from '../shared/domain/management/refusal-audit.js';
import type { NotificationSettingsStore } from '../shared/domain/notify/notification-settings.js';

/**
 * The management functions' composition, shared by their `handlerFromEnv`s: the environment is read
 * and validated once, at cold start, so a function deployed with a bad environment fails at once,
 * naming what is wrong.
 */

/** The one document client of the process, for DynamoDB Local's URL when given. */
export const documentClient = (endpoint: string | undefined) =>
  sharedDocumentClient(endpoint ? { endpoint } : {});

/** The key use cases' dependencies, from `env`. */
export function managementDepsFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog): ManagementDeps {
  const config = loadEnv(managementEnvSchema, env);
  return {
    store: new DynamoKeyStore(
      documentClient(config.DYNAMODB_ENDPOINT),
      config.TABLE_NAME,
      config.AUDIT_RETENTION_DAYS,
    ),
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

/** The notification settings reader's dependencies, from `env` (only the table). */
export function notificationSettingsDepsFromEnv(
  env: NodeJS.ProcessEnv,
  catalog: RouteCatalog,
): NotificationSettingsDeps {
  const config = loadEnv(storeEnvSchema, env);
  return {
    store: new DynamoNotificationStore(documentClient(config.DYNAMODB_ENDPOINT), config.TABLE_NAME),
    catalog,
    clock: systemClock,
  };
}

/** The notification settings writer's dependencies, from `env`: the table and the audit retention. */
export function auditedSettingsDepsFromEnv(
  env: NodeJS.ProcessEnv,
  catalog: RouteCatalog,
): NotificationSettingsDeps {
  const config = loadEnv(auditEnvSchema, env);
  return {
    store: new DynamoNotificationStore(
      documentClient(config.DYNAMODB_ENDPOINT),
      config.TABLE_NAME,
      undefined,
      config.AUDIT_RETENTION_DAYS,
    ),
    catalog,
    clock: systemClock,
  };
}

/**
 * What recording a write function's refusals needs, from `env`. `keys`: the function's requests
 * name a key (`{id}`), which the record's target is then read from (its name and scopes).
 */
function refusalAuditFromEnv(
  env: NodeJS.ProcessEnv,
  catalog: RouteCatalog,
  handler: ManagementHandler,
  options: { keys: boolean },
): RefusalAuditDeps {
  const config = loadEnv(auditEnvSchema, env);
  const doc = documentClient(config.DYNAMODB_ENDPOINT);
  // Only functions whose requests name a key read one; the others build no key store.
  const store = options.keys
    ? new DynamoKeyStore(doc, config.TABLE_NAME, config.AUDIT_RETENTION_DAYS)
    : undefined;
  return {
    auditLog: new DynamoAuditRecorder(doc, config.TABLE_NAME, config.AUDIT_RETENTION_DAYS),
    // The record needs the key's name and scopes only: its company item, one GetItem.
    ...(store !== undefined
      ? { findKey: (companyId: string, keyId: string) => store.getSubject(companyId, keyId) }
      : {}),
    catalog,
    clock: systemClock,
    log: createLogger('keygate', { persistentKeys: { handler } }),
  };
}

/**
 * Wraps a write function's bare handler so that its refusals (a `NotPermittedError`: the 403; and a
 * key's 404 on a key of its company it does not manage) are recorded as `access.denied` before the
 * error goes on to the problem handler, unchanged. Read
 * functions are not wrapped: their only 403 is the defence-in-depth check behind the authorizer's,
 * and they keep read-only table access.
 */
function withRefusalsAudited<
  E extends Parameters<typeof callerOf>[0] & {
    pathParameters?: Record<string, string | undefined> | null;
  },
>(
  handler: ManagementHandler,
  deps: RefusalAuditDeps,
  handle: (event: E, context: Context) => Promise<APIGatewayProxyResult>,
) {
  return async (event: E, context: Context): Promise<APIGatewayProxyResult> => {
    try {
      return await handle(event, context);
    } catch (error) {
      if (error instanceof NotPermittedError) {
        await recordRefusal(deps, callerOf(event), handler, error, event.pathParameters?.id ?? undefined);
      } else if (error instanceof NotFoundError) {
        await recordOutOfReach(deps, callerOf(event), handler, event.pathParameters?.id ?? undefined);
      }
      throw error;
    }
  };
}

/**
 * A write function's handler: the bare handler `make` builds from `depsFromEnv`, its refusals
 * recorded (`withRefusalsAudited`, which reads the named key when `keys`), in the shared middy
 * stack, with the route's `body` rule (`HttpHandlerOptions.body`).
 */
export function auditedWriteHandler<E extends ApiEvent | JsonEvent, D>(
  handler: ManagementHandler,
  env: NodeJS.ProcessEnv,
  catalog: RouteCatalog,
  make: (deps: D) => (event: E, context: Context) => Promise<APIGatewayProxyResult>,
  depsFromEnv: (env: NodeJS.ProcessEnv, catalog: RouteCatalog) => D,
  options: { keys: boolean; body?: HttpHandlerOptions['body'] },
) {
  const refusals = refusalAuditFromEnv(env, catalog, handler, { keys: options.keys });
  return httpHandler(handler, withRefusalsAudited(handler, refusals, make(depsFromEnv(env, catalog))), {
    body: options.body,
  });
}
