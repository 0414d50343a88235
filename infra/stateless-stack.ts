import { CfnOutput, Duration, Lazy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  type DeploymentSettings,
  FUNCTIONS,
  functionEnvironment,
  type KeygateFunctionName,
  MANAGEMENT_FUNCTION_NAMES,
  readsCatalog,
} from '../functions/registry.js';
import { lambdaBackendProblems } from '../shared/adapters/config/backends.js';
import { DEFAULT_EVENT_BUS, InvalidKeygateConfigError } from '../shared/adapters/config/keygate-config.js';
import type { KeygateDeployment } from '../shared/adapters/config/keygate-deployment.js';
import type { ManagementHandler } from '../shared/domain/catalog/route-catalog.js';
import { writeCatalogAsset } from './catalog-asset.js';
import { AuditEventPublishing } from './constructs/audit-event-publishing.js';
import { ExpiryNotificationSchedule } from './constructs/expiry-notification-schedule.js';
import { KeygateApi } from './constructs/keygate-api.js';
import { KeygateConsole } from './constructs/keygate-console.js';
import { KeygateFunction } from './constructs/keygate-function.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import type { RootAdminSignIn } from './constructs/root-admin-login.js';
import type { RootAdminIdentity } from './constructs/root-admin-pool.js';
import { tableStatements } from './table-access.js';

export interface KeygateStatelessStackProps extends StackProps {
  /** The loaded config and catalog: the API is built from it, the functions are given it. */
  readonly deployment: KeygateDeployment;
  /** The keys table's ARN as this stack may read it (`stack-links.ts`). */
  readonly table: (scope: Construct) => { tableArn: string; tableStreamArn: string };
  /** The root admins' identity settings as this stack may read them. */
  readonly rootAdminIdentity: (scope: Construct) => RootAdminIdentity;
  /** With Cognito: the user pool and its managed login as this stack may read them (the console's client goes there). */
  readonly rootAdminLogin?: (scope: Construct) => RootAdminSignIn;
  /** The built web console, deployed to S3 behind CloudFront. */
  readonly consoleDist: string;
}

/**
 * Everything that can be destroyed and redeployed without losing data: the functions, the API, the
 * schedule, the alarms. Reads like the architecture: API Gateway → authorizer → DynamoDB; management
 * routes → CRUD functions; protected routes → configured backends; EventBridge → notifier → SES.
 */
export class KeygateStatelessStack extends Stack {
  readonly functions = new Map<KeygateFunctionName, KeygateFunction>();
  readonly api: KeygateApi;
  readonly schedule: ExpiryNotificationSchedule;
  readonly console: KeygateConsole;
  readonly operations: OperationsAlarms;
  readonly events: AuditEventPublishing;

  constructor(scope: Construct, id: string, props: KeygateStatelessStackProps) {
    super(scope, id, props);
    const { deployment } = props;
    // Loading checked the backends against the catalog; only the stack knows where it deploys.
    const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
    const elsewhere = lambdaBackendProblems(deployment.config, {
      account: known(this.account),
      region: known(this.region),
    });
    if (elsewhere.length > 0) throw new InvalidKeygateConfigError(deployment.source, elsewhere);
    const table = dynamodb.Table.fromTableAttributes(this, 'Keys', props.table(this));
    const idp = props.rootAdminIdentity(this);
    const { config } = deployment;
    const catalogFile = writeCatalogAsset(deployment.catalogDocument);
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    // The console's client id (an audience of admin tokens) and URL exist only once the API does
    // (the console's origin forwards to it), after the authorizer: read when the template is made.
    const late = (read: (built: KeygateConsole) => string) =>
      Lazy.string({ produce: () => read(this.console) });
    // Every function's environment from the same settings and builder as local mode's (the registry).
    const settings: DeploymentSettings = {
      tableName: table.tableName,
      keyPrefix: config.keyPrefix,
      retentionDays: config.retentionDays,
      auditRetentionDays: config.auditRetentionDays,
      lastUsedIntervalSeconds: config.lastUsedIntervalSeconds,
      authorizerCacheTtlSeconds: config.authorizerCacheTtlSeconds,
      identity: { ...idp, audience: late((built) => built.audiences.join(',')) },
      senderAddress: config.senderAddress,
      consoleUrl: config.consoleUrl ?? late((built) => built.site.consoleUrl),
      eventBusName: config.eventBusName ?? DEFAULT_EVENT_BUS,
    };
    const fn = (name: KeygateFunctionName) => {
      const spec = FUNCTIONS[name];
      const created = new KeygateFunction(this, toId(name), {
        name,
        description: spec.description,
        environment: functionEnvironment(name, settings),
        logRetention,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(spec.timeoutSeconds),
        ...(readsCatalog(name) ? { catalogFile } : {}),
      });
      for (const statement of tableStatements(spec.tableAccess, table)) created.grant(statement);
      this.functions.set(name, created);
      return created;
    };

    const authorizer = fn('authorizer');
    const management = Object.fromEntries(
      MANAGEMENT_FUNCTION_NAMES.map((name) => [name, fn(name).function]),
    ) as Record<ManagementHandler, KeygateFunction['function']>;
    let echo: KeygateFunction | undefined;

    this.api = new KeygateApi(this, 'Api', {
      config,
      catalog: deployment.catalog,
      backendOf: (route) => deployment.backendOf(route),
      logRetention,
      authorizer: authorizer.function,
      management,
      echo: () => {
        echo ??= fn('echo');
        return echo.function;
      },
    });

    this.console = new KeygateConsole(this, 'Console', {
      config,
      api: this.api.api,
      catalog: deployment.catalog,
      consoleDist: props.consoleDist,
      logRetention,
      identity: idp,
      ...(props.rootAdminLogin ? { rootAdminLogin: props.rootAdminLogin(this) } : {}),
    });

    const notifier = fn('notifier');
    this.schedule = new ExpiryNotificationSchedule(this, 'ExpiryNotifications', {
      notifier,
      senderAddress: config.senderAddress,
    });

    const publisher = fn('publish-audit-events');
    this.events = new AuditEventPublishing(this, 'Events', {
      table,
      publisher,
      eventSenders: [publisher, notifier],
      eventBusName: settings.eventBusName,
    });

    this.operations = new OperationsAlarms(this, 'Operations', {
      api: this.api.api,
      authorizer: authorizer.function,
      notifier: notifier.function,
      deadLetterQueue: this.schedule.deadLetterQueue,
      eventsDeadLetterQueue: this.events.deadLetterQueue,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'keygate API base URL' });
    new CfnOutput(this, 'ConsoleUrl', {
      value: this.console.site.consoleUrl,
      description: 'The web console (root admins sign in here)',
    });
    new CfnOutput(this, 'KeygateUrl', {
      value: this.console.site.origin,
      description:
        'KEYGATE_URL for the keygate CLI (keygate login --url <this>): console, docs and management API',
    });
    new CfnOutput(this, 'DocsUrl', {
      value: `${this.console.site.origin}/docs`,
      description: 'Management API reference; the OpenAPI document is at /v1/openapi.json',
    });
    if (this.api.clientCertificate) {
      new CfnOutput(this, 'BackendClientCertificateId', {
        value: this.api.clientCertificate.ref,
        description:
          'HTTP backends: trust only requests presenting this certificate (aws apigateway get-client-certificate)',
      });
    }
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
