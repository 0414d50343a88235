import type { ZodMiniObject } from 'zod/mini';
import {
  type AuditEnv,
  type AuthorizerEnv,
  auditEnvSchema,
  authorizerEnvSchema,
  type ManagementEnv,
  managementEnvSchema,
  type NotifierEnv,
  notifierEnvSchema,
  type PublisherEnv,
  publisherEnvSchema,
  type StoreEnv,
  storeEnvSchema,
} from '../shared/adapters/config/env.js';
import { itemKeys } from '../shared/adapters/dynamodb/table-design.js';
import type { AdminTokenSettings } from '../shared/adapters/jwt/admin-token-verifier.js';
import type { ManagementHandler } from '../shared/domain/catalog/catalog-types.js';

/**
 * Every Lambda keygate deploys, in one place: its folder, what it is for, the environment schema it
 * validates at cold start, its sizing and what it may do to the table. The CDK stack, local mode and
 * the tests derive from this table, so adding a function is one entry here and one folder
 * `functions/<name>/` (`handler.ts` exporting `handler`, and `<name>.ts` exporting `handlerFromEnv`).
 * It holds data only: no handler imports it, so it costs no function any bundle bytes.
 */

/** DynamoDB actions keygate uses. `TransactWriteItems` has no IAM action of its own: each item in a
 * transaction is authorized as its PutItem, UpdateItem, DeleteItem or ConditionCheckItem. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

export interface TableAccess {
  /** Actions on the table itself. */
  readonly table: readonly TableAction[];
  /** Actions on the expiry index. */
  readonly expiryIndex?: readonly TableAction[];
  /** Partition-key prefixes the function may touch (`dynamodb:LeadingKeys`). */
  readonly leadingKeyPrefixes?: readonly string[];
  /**
   * The only attributes its UpdateItem may name (set, remove, add or test in a condition), beside the
   * table's keys (`dynamodb:Attributes`), and it returns none but these (`dynamodb:ReturnValues`).
   * Without it, UpdateItem may write any attribute of an item in its partitions.
   */
  readonly updatedAttributes?: readonly string[];
  /** Why these and no more: the store calls the function makes. */
  readonly why: string;
}

/** Which environment a function reads: one schema per group (`shared/adapters/config/env.ts`). */
export type EnvGroup = 'authorizer' | 'management' | 'audit' | 'store' | 'notifier' | 'publisher' | 'none';

export interface FunctionSpec {
  readonly description: string;
  readonly env: EnvGroup;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly tableAccess: TableAccess;
}

const DIGEST_PREFIX = itemKeys.lookup('').pk;
const COMPANY_PREFIX = itemKeys.companyPartition('');

/** What a refused write of a named key costs (`refusal-audit.ts`), the same for each such function. */
const REFUSAL_RECORD =
  "a refusal: one GetItem of the named key's company item (none when the refused use case had read it) and one conditional PutItem of its access.denied event";

/**
 * A management function of keys: the management environment, 512 MB and 10 s, and the partitions of
 * lookup items and of the company (its key items, settings and audit events) unless `tableAccess`
 * says fewer. An entry is then what is its own: what it is for, its actions and why.
 */
function managementFunction(
  description: string,
  tableAccess: Pick<TableAccess, 'table' | 'why'> & Partial<Pick<TableAccess, 'leadingKeyPrefixes'>>,
): FunctionSpec {
  return {
    description,
    env: 'management',
    memorySize: 512,
    timeoutSeconds: 10,
    tableAccess: { leadingKeyPrefixes: [DIGEST_PREFIX, COMPANY_PREFIX], ...tableAccess },
  };
}

/** The management functions serve the catalog's management routes (`route.handler`). */
const MANAGEMENT_FUNCTIONS = {
  'create-api-key': managementFunction('Creates an API key (POST /v1/api-keys)', {
    table: ['PutItem'],
    why: 'create: TransactWriteItems with three conditional Puts (lookup item, company key item, audit event); a refused create: one conditional PutItem of its access.denied event',
  }),
  'list-api-keys': managementFunction("Lists the company's API keys (GET /v1/api-keys)", {
    table: ['Query', 'BatchGetItem'],
    why: "list: Query of the company partition, then one BatchGetItem of the page's lookup items for lastUsedAt",
  }),
  'get-api-key': managementFunction('Gets one API key (GET /v1/api-keys/{id})', {
    table: ['GetItem'],
    why: 'get: GetItem of the company key item, then GetItem of its lookup item for lastUsedAt',
  }),
  'rename-api-key': managementFunction('Renames an API key (PATCH /v1/api-keys/{id})', {
    table: ['GetItem', 'UpdateItem', 'PutItem'],
    why: `rename: GetItem of the company key item (for its digest), then TransactWriteItems updating both items and putting the audit event; ${REFUSAL_RECORD}`,
  }),
  'delete-api-key': managementFunction('Deletes (revokes) an API key (DELETE /v1/api-keys/{id})', {
    table: ['GetItem', 'DeleteItem', 'PutItem'],
    why: `delete: GetItem of the company key item (for its digest), then TransactWriteItems deleting both items and putting the audit event; ${REFUSAL_RECORD}`,
  }),
  'rotate-api-key': managementFunction('Rotates an API key (POST /v1/api-keys/{id}/rotate)', {
    table: ['GetItem', 'PutItem', 'UpdateItem'],
    why: `rotate: GetItem of the company key item and of its lookup item, then TransactWriteItems with two conditional Puts (the successor's items) and two conditional Updates (the old key's expiry and rotatedTo), and a Put of the audit event; ${REFUSAL_RECORD}`,
  }),
  'disable-api-key': managementFunction('Disables an API key (POST /v1/api-keys/{id}/disable)', {
    table: ['GetItem', 'UpdateItem', 'PutItem'],
    why: `disable: GetItem of the company key item and of its lookup item, then TransactWriteItems updating enabled on both and putting the audit event; ${REFUSAL_RECORD}`,
  }),
  'enable-api-key': managementFunction('Enables an API key again (POST /v1/api-keys/{id}/enable)', {
    table: ['GetItem', 'UpdateItem', 'PutItem'],
    why: `enable: GetItem of the company key item and of its lookup item, then TransactWriteItems updating enabled on both and putting the audit event; ${REFUSAL_RECORD}`,
  }),
  'list-audit-events': {
    description: "Lists the company's audit events (GET /v1/audit-events)",
    env: 'store',
    memorySize: 512,
    timeoutSeconds: 10,
    tableAccess: {
      table: ['Query'],
      leadingKeyPrefixes: [COMPANY_PREFIX],
      why: "list: reverse Query of the company partition's AUDIT# items (filtered in code, within a read budget); never writes",
    },
  },
  'list-scopes': {
    description: 'Serves the scope catalog (GET /v1/scopes)',
    // It serves the catalog bundled with it.
    env: 'none',
    memorySize: 256,
    timeoutSeconds: 5,
    tableAccess: { table: [], why: 'serves the route catalog bundled with it; never reads the table' },
  },
  'get-notification-settings': {
    description: 'Gets the expiry email recipients (GET /v1/settings/notifications)',
    env: 'store',
    memorySize: 256,
    timeoutSeconds: 5,
    tableAccess: {
      table: ['GetItem'],
      leadingKeyPrefixes: [COMPANY_PREFIX],
      why: 'GetItem of the recipients item',
    },
  },
  'put-notification-settings': {
    description: 'Sets the expiry email recipients (PUT /v1/settings/notifications)',
    env: 'audit',
    memorySize: 256,
    timeoutSeconds: 5,
    tableAccess: {
      table: ['GetItem', 'PutItem'],
      leadingKeyPrefixes: [COMPANY_PREFIX],
      why: 'GetItem of the recipients item (the old list, for the audit event), then TransactWriteItems with a conditional Put of the recipients item and a Put of the audit event; a refusal: one conditional PutItem of its access.denied event',
    },
  },
} as const satisfies Record<ManagementHandler, FunctionSpec>;

export const FUNCTIONS = {
  authorizer: {
    description: 'Decides every request: API key or root admin JWT',
    env: 'authorizer',
    // On every request's path, so it gets the CPU.
    memorySize: 1024,
    timeoutSeconds: 5,
    tableAccess: {
      table: ['GetItem', 'UpdateItem'],
      leadingKeyPrefixes: [DIGEST_PREFIX],
      // The one function that reads untrusted input on every request may not change what a key may
      // do (enabled, scopes, expiresAt, allowedIps): only when it was last used.
      updatedAttributes: ['lastUsedAt'],
      why: 'findByDigest: one strongly consistent GetItem of the lookup item; touchLastUsed: a conditional UpdateItem of lastUsedAt on it',
    },
  },
  ...MANAGEMENT_FUNCTIONS,
  notifier: {
    description: 'Daily 11:00 UTC expiry email per company',
    env: 'notifier',
    memorySize: 512,
    timeoutSeconds: 300,
    tableAccess: {
      table: ['GetItem', 'BatchGetItem', 'UpdateItem'],
      expiryIndex: ['Query'],
      leadingKeyPrefixes: [COMPANY_PREFIX],
      // A delivery marker's own attributes: never a key item's enabled, scopes or expiry.
      updatedAttributes: [
        'status',
        'claimedAt',
        'leaseUntil',
        'claimToken',
        'companyId',
        'day',
        'recipient',
        'ttl',
        'attempts',
        'messageId',
        'sentAt',
        'lastError',
        'failedAt',
      ],
      why: "Query of the expiry index by day; BatchGetItem of the due keys' own items (their current state); GetItem of each company's recipients; conditional UpdateItem to claim, mark sent or mark failed each recipient's delivery marker for the day",
    },
  },
  'publish-audit-events': {
    description: 'Publishes each audit event from the table stream to EventBridge',
    env: 'publisher',
    memorySize: 256,
    timeoutSeconds: 30,
    tableAccess: {
      table: [],
      why: 'reads no table: its event source mapping hands it the stream records (stream read access comes with the mapping)',
    },
  },
  echo: {
    description: 'Default backend of protected routes: answers with the caller',
    env: 'none',
    memorySize: 256,
    timeoutSeconds: 5,
    tableAccess: { table: [], why: 'answers with the authorizer context; no storage' },
  },
} as const satisfies Record<string, FunctionSpec>;

/** Every Lambda keygate deploys: one folder under `functions/`, each exporting `handler`. */
export type KeygateFunctionName = keyof typeof FUNCTIONS;

/** Every function name, in the registry's order. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as KeygateFunctionName[];

/** The management functions' names (those a catalog route may name as its `handler`). */
export const MANAGEMENT_FUNCTION_NAMES = Object.keys(MANAGEMENT_FUNCTIONS) as ManagementHandler[];

/**
 * Whether a function is given the catalog (`handlerFromEnv(env, catalog)`; deployed with
 * `catalog.json` beside its bundle): every function but the notifier and the event publisher, which never route.
 */
export const readsCatalog = (name: KeygateFunctionName): boolean =>
  name !== 'notifier' && name !== 'publish-audit-events';

/** The schema a group's functions validate their environment with at cold start (none: they read none). */
export const ENV_SCHEMAS: Readonly<Record<EnvGroup, ZodMiniObject | undefined>> = {
  authorizer: authorizerEnvSchema,
  management: managementEnvSchema,
  audit: auditEnvSchema,
  store: storeEnvSchema,
  notifier: notifierEnvSchema,
  publisher: publisherEnvSchema,
  none: undefined,
};

/**
 * What every function's environment is made from. The stack fills it with its resources (tokens) and
 * the deployment config; local mode with the emulators' endpoints and local settings.
 */
export interface DeploymentSettings {
  tableName: string;
  keyPrefix: string;
  retentionDays: number;
  /** Days an audit event is kept before DynamoDB TTL removes it. */
  auditRetentionDays: number;
  lastUsedIntervalSeconds: number;
  authorizerCacheTtlSeconds: number;
  /** The OIDC issuer of root admins' tokens, as the authorizer verifies them. */
  identity: AdminTokenSettings;

  senderAddress: string;
  consoleUrl: string;
  /** The EventBridge bus lifecycle events go to (`default`: the account's default bus). */
  eventBusName: string;
  /** Local mode and tests only: DynamoDB Local's URL. */
  dynamoEndpoint?: string;
  /** Local mode and tests only: the SES emulator's URL. */
  sesEndpoint?: string;
  /** Tests only: a PutEvents server's URL. */
  eventBridgeEndpoint?: string;
}

/** An env schema's required variables, all as strings: forgetting one is a compile error. */
type RequiredEnv<T> = { [K in keyof T as undefined extends T[K] ? never : K]-?: string };

/**
 * The environment of one function: exactly the variables its schema names (required ones checked at
 * compile time), built by the same code for the stack and for local mode.
 */
export function functionEnvironment(
  name: KeygateFunctionName,
  settings: DeploymentSettings,
): Record<string, string> {
  const group = FUNCTIONS[name].env;
  const local = (
    key: 'DYNAMODB_ENDPOINT' | 'SES_ENDPOINT' | 'EVENTBRIDGE_ENDPOINT',
    value: string | undefined,
  ) => (value === undefined ? {} : { [key]: value });
  const store: RequiredEnv<StoreEnv> = { TABLE_NAME: settings.tableName };
  const withDynamo = { ...store, ...local('DYNAMODB_ENDPOINT', settings.dynamoEndpoint) };
  const events: RequiredEnv<PublisherEnv> = { EVENT_BUS_NAME: settings.eventBusName };
  const withEvents = { ...events, ...local('EVENTBRIDGE_ENDPOINT', settings.eventBridgeEndpoint) };
  switch (group) {
    case 'none':
      return {};
    case 'store':
      return withDynamo;
    case 'audit': {
      const env: RequiredEnv<AuditEnv> = {
        ...store,
        AUDIT_RETENTION_DAYS: String(settings.auditRetentionDays),
      };
      return { ...env, ...withDynamo };
    }
    case 'management': {
      const env: RequiredEnv<ManagementEnv> = {
        ...store,
        KEY_PREFIX: settings.keyPrefix,
        RETENTION_DAYS: String(settings.retentionDays),
        AUDIT_RETENTION_DAYS: String(settings.auditRetentionDays),
      };
      return { ...env, ...withDynamo };
    }
    case 'authorizer': {
      const { identity } = settings;
      const env: RequiredEnv<AuthorizerEnv> = {
        ...store,
        KEY_PREFIX: settings.keyPrefix,
        OIDC_ISSUER: identity.issuer,
        OIDC_AUDIENCE: identity.audience,
        OIDC_JWKS_URI: identity.jwksUri,
        OIDC_COMPANY_CLAIM: identity.companyClaim,
        OIDC_GROUPS_CLAIM: identity.groupsClaim,
        OIDC_ROOT_ADMIN_GROUP: identity.rootAdminGroup,
        LAST_USED_INTERVAL_SECONDS: String(settings.lastUsedIntervalSeconds),
        AUTHORIZER_CACHE_TTL_SECONDS: String(settings.authorizerCacheTtlSeconds),
      };
      const tokenUse: Record<string, string> =
        identity.tokenUse === undefined ? {} : { OIDC_EXPECTED_USE: identity.tokenUse };
      return { ...env, ...tokenUse, ...withDynamo };
    }
    case 'publisher':
      return withEvents;
    case 'notifier': {
      const env: RequiredEnv<NotifierEnv> = {
        ...store,
        ...events,
        SES_SENDER: settings.senderAddress,
        CONSOLE_URL: settings.consoleUrl,
      };
      return { ...env, ...withDynamo, ...withEvents, ...local('SES_ENDPOINT', settings.sesEndpoint) };
    }
  }
}
