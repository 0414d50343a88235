import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ManagementHandler } from '../shared/catalog/catalog.js';
import type { AuthorizerEnv, ManagementEnv, NotifierEnv } from '../shared/config/env.js';
import type { KeygateConfig } from './config.js';
import { ExpiryNotificationSchedule } from './constructs/expiry-notification-schedule.js';
import { KeygateApi } from './constructs/keygate-api.js';
import { KeygateFunction, type KeygateFunctionName } from './constructs/keygate-function.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import type { RootAdminIdentity } from './constructs/root-admin-pool.js';
import { tableStatements } from './table-access.js';

export interface KeygateStatelessStackProps extends StackProps {
  readonly config: KeygateConfig;
  readonly table: dynamodb.ITable;
  readonly rootAdminIdentity: RootAdminIdentity;
}

/** An env schema's required variables, all as strings: forgetting one is a compile error. */
type RequiredEnv<T> = { [K in keyof T as undefined extends T[K] ? never : K]-?: string };

/** Memory and timeout per function: the authorizer is on every request's path, so it gets the CPU. */
const SIZING: Readonly<Record<KeygateFunctionName, { memorySize: number; timeout: Duration }>> = {
  authorizer: { memorySize: 1024, timeout: Duration.seconds(5) },
  'create-api-key': { memorySize: 512, timeout: Duration.seconds(10) },
  'list-api-keys': { memorySize: 512, timeout: Duration.seconds(10) },
  'get-api-key': { memorySize: 512, timeout: Duration.seconds(10) },
  'rename-api-key': { memorySize: 512, timeout: Duration.seconds(10) },
  'delete-api-key': { memorySize: 512, timeout: Duration.seconds(10) },
  'list-scopes': { memorySize: 256, timeout: Duration.seconds(5) },
  'get-notification-settings': { memorySize: 256, timeout: Duration.seconds(5) },
  'put-notification-settings': { memorySize: 256, timeout: Duration.seconds(5) },
  notifier: { memorySize: 512, timeout: Duration.minutes(5) },
  echo: { memorySize: 256, timeout: Duration.seconds(5) },
};

const MANAGEMENT_FUNCTIONS: Readonly<Record<ManagementHandler, string>> = {
  'create-api-key': 'Creates an API key (POST /v1/api-keys)',
  'list-api-keys': "Lists the company's API keys (GET /v1/api-keys)",
  'get-api-key': 'Gets one API key (GET /v1/api-keys/{id})',
  'rename-api-key': 'Renames an API key (PATCH /v1/api-keys/{id})',
  'delete-api-key': 'Deletes (revokes) an API key (DELETE /v1/api-keys/{id})',
  'list-scopes': 'Serves the scope catalog (GET /v1/scopes)',
  'get-notification-settings': 'Gets the expiry email recipients (GET /v1/settings/notifications)',
  'put-notification-settings': 'Sets the expiry email recipients (PUT /v1/settings/notifications)',
};

/**
 * Everything that can be destroyed and redeployed without losing data: the functions, the API, the
 * schedule, the alarms. Reads like the architecture: API Gateway → authorizer → DynamoDB; management
 * routes → CRUD functions; protected routes → configured backends; EventBridge → notifier → SES.
 */
export class KeygateStatelessStack extends Stack {
  readonly functions = new Map<KeygateFunctionName, KeygateFunction>();
  readonly api: KeygateApi;
  readonly schedule: ExpiryNotificationSchedule;
  readonly operations: OperationsAlarms;

  constructor(scope: Construct, id: string, props: KeygateStatelessStackProps) {
    super(scope, id, props);
    const { config, table, rootAdminIdentity: idp } = props;
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    const fn = (name: KeygateFunctionName, description: string, environment: Record<string, string>) => {
      const created = new KeygateFunction(this, toId(name), {
        name,
        description,
        environment,
        logRetention,
        ...SIZING[name],
      });
      for (const statement of tableStatements(name, table)) created.grant(statement);
      this.functions.set(name, created);
      return created;
    };

    const store = { TABLE_NAME: table.tableName };
    const authorizerEnv: RequiredEnv<AuthorizerEnv> & Pick<AuthorizerEnv, 'OIDC_EXPECTED_USE'> = {
      ...store,
      KEY_PREFIX: config.keyPrefix,
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: idp.audience,
      OIDC_JWKS_URI: idp.jwksUri,
      OIDC_COMPANY_CLAIM: idp.companyClaim,
      OIDC_GROUPS_CLAIM: idp.groupsClaim,
      OIDC_ROOT_ADMIN_GROUP: idp.rootAdminGroup,
      ...(idp.tokenUse === undefined ? {} : { OIDC_EXPECTED_USE: idp.tokenUse }),
      LAST_USED_INTERVAL_SECONDS: String(config.lastUsedIntervalSeconds),
      AUTHORIZER_CACHE_TTL_SECONDS: String(config.authorizerCacheTtlSeconds),
    };
    const managementEnv: RequiredEnv<ManagementEnv> = {
      ...store,
      KEY_PREFIX: config.keyPrefix,
      RETENTION_DAYS: String(config.retentionDays),
    };
    // Each function gets what its handler loads: the key functions the whole management schema, the
    // notification settings functions only the table (they load `storeEnvSchema`),
    // list-scopes nothing (it serves the bundled catalog).
    const managementEnvOf = (name: ManagementHandler): Record<string, string> =>
      name === 'list-scopes'
        ? {}
        : name === 'get-notification-settings' || name === 'put-notification-settings'
          ? store
          : managementEnv;
    const notifierEnv: RequiredEnv<NotifierEnv> = {
      ...store,
      SES_SENDER: config.senderAddress,
      CONSOLE_URL: config.consoleUrl,
    };

    const authorizer = fn('authorizer', 'Decides every request: API key or root admin JWT', authorizerEnv);
    const management = Object.fromEntries(
      (Object.entries(MANAGEMENT_FUNCTIONS) as [ManagementHandler, string][]).map(([name, description]) => [
        name,
        fn(name, description, managementEnvOf(name)).function,
      ]),
    ) as Record<ManagementHandler, KeygateFunction['function']>;
    let echo: KeygateFunction | undefined;

    this.api = new KeygateApi(this, 'Api', {
      config,
      logRetention,
      authorizer: authorizer.function,
      management,
      echo: () => {
        echo ??= fn('echo', 'Default backend of protected routes: answers with the caller', {});
        return echo.function;
      },
    });

    const notifier = fn('notifier', 'Daily 11:00 UTC expiry email per company', notifierEnv);
    this.schedule = new ExpiryNotificationSchedule(this, 'ExpiryNotifications', {
      notifier,
      senderAddress: config.senderAddress,
    });

    this.operations = new OperationsAlarms(this, 'Operations', {
      api: this.api.api,
      authorizer: authorizer.function,
      notifier: notifier.function,
      deadLetterQueue: this.schedule.deadLetterQueue,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'keygate API base URL' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.topic.topicArn });
    new CfnOutput(this, 'NotifierFunctionName', {
      value: notifier.function.functionName,
      description: 'Run the expiry email by hand or replay a dead-lettered event',
    });
    new CfnOutput(this, 'NotifierDeadLetterQueueUrl', { value: this.schedule.deadLetterQueue.queueUrl });
  }
}

/** `create-api-key` → `CreateApiKey`: readable logical ids. */
function toId(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
