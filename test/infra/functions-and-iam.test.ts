import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodMiniObject, ZodMiniType } from 'zod/mini';
import {
  ENV_SCHEMAS,
  FUNCTION_NAMES,
  FUNCTIONS,
  type KeygateFunctionName,
  type TableAccess,
} from '../../functions/registry.js';
import {
  type CfnJson,
  isDeploymentHandler,
  resourcesOf,
  type SynthesizedKeygate,
  stringsIn,
  synthKeygate,
} from './synth-keygate.js';

/** Every function the registry lists, with the schema it validates its environment with (none: reads none). */
const ALL_FUNCTIONS = FUNCTION_NAMES;
const ENV_SCHEMA = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, ENV_SCHEMAS[FUNCTIONS[name].env]]),
) as Record<KeygateFunctionName, ZodMiniObject | undefined>;

/** Set on every function by the construct, beside the schema's variables. */
const CONSTRUCT_ENV = ['NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];

/** The only actions AWS accepts on no narrower resource than "*", each justified where it is granted. */
const STAR_RESOURCE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  // Granted with the event publisher's stream read (its event source mapping); it lists stream ARNs only.
  'dynamodb:ListStreams',
]);

/** The table stream's read actions: the event source mapping's, on the stream's ARN. */
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const isStreamStatement = (statement: Statement) =>
  JSON.stringify(statement.Resource).includes('tablestreamarn') ||
  asList(statement.Action).includes('dynamodb:ListStreams');

const requiredKeys = (schema: ZodMiniObject) =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as ZodMiniType).safeParse(undefined).success)
    .map(([name]) => name);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('keygate functions and their permissions', () => {
  let synth: SynthesizedKeygate;
  let functions: Record<string, CfnJson>;
  let policies: Record<string, { roles: string[]; statements: Statement[] }>;
  /** The statements of CDK's BucketDeployment handler's role (the console and docs upload). */
  let deploymentStatements: Statement[];

  beforeAll(() => {
    synth = synthKeygate();
    functions = Object.fromEntries(
      Object.entries(resourcesOf(synth.appTemplate, 'AWS::Lambda::Function'))
        .filter(([id]) => !isDeploymentHandler(id))
        .map(([id, fn]) => [id, fn.Properties as CfnJson]),
    );
    const allPolicies = Object.entries(resourcesOf(synth.appTemplate, 'AWS::IAM::Policy'));
    deploymentStatements = allPolicies
      .filter(([id]) => isDeploymentHandler(id))
      .flatMap(([, policy]) => (policy.Properties as CfnJson).PolicyDocument.Statement as Statement[]);
    policies = Object.fromEntries(
      allPolicies
        .filter(([id]) => !isDeploymentHandler(id))
        .map(([id, policy]) => {
          const props = policy.Properties as CfnJson;
          return [
            id,
            {
              roles: (props.Roles as { Ref: string }[]).map((role) => role.Ref),
              statements: props.PolicyDocument.Statement as Statement[],
            },
          ];
        }),
    );
  });

  const statementsOf = (name: KeygateFunctionName) =>
    Object.values(policies)
      .filter((policy) => policy.roles.includes(synth.roleId(name)))
      .flatMap((policy) => policy.statements);

  it('deploys exactly the sixteen functions, each Node.js 22 on ARM64 with X-Ray and JSON logs in its own group', () => {
    expect(ALL_FUNCTIONS).toHaveLength(16);
    expect(Object.keys(functions).sort()).toEqual(ALL_FUNCTIONS.map((name) => synth.functionId(name)).sort());
    const logGroups = resourcesOf(synth.appTemplate, 'AWS::Logs::LogGroup');
    for (const name of ALL_FUNCTIONS) {
      const fn = functions[synth.functionId(name)] as CfnJson;
      expect(fn.Runtime, name).toBe('nodejs22.x');
      expect(fn.Architectures, name).toEqual(['arm64']);
      expect(fn.Handler, name).toBe('index.handler');
      expect(fn.TracingConfig, name).toEqual({ Mode: 'Active' });
      expect(fn.LoggingConfig.LogFormat, name).toBe('JSON');
      const logGroup = logGroups[fn.LoggingConfig.LogGroup.Ref as string];
      expect(logGroup?.Properties?.RetentionInDays, name).toBe(30);
      expect(fn.Role['Fn::GetAtt'][0], name).toBe(synth.roleId(name));
      expect(fn.Timeout, name).toBeLessThanOrEqual(300);
    }
    expect(functions[synth.functionId('notifier')]?.Timeout).toBe(300);
  });

  it('gives each function exactly the environment its schema requires, plus Powertools and source maps', () => {
    for (const name of ALL_FUNCTIONS) {
      const variables = (functions[synth.functionId(name)]?.Environment?.Variables ?? {}) as Record<
        string,
        unknown
      >;
      const schema = ENV_SCHEMA[name];
      // Optional variables the default (Cognito) config sets: Cognito ID tokens say `token_use: id`.
      const optional = name === 'authorizer' ? ['OIDC_EXPECTED_USE'] : [];
      const expected = [...(schema ? requiredKeys(schema) : []), ...optional, ...CONSTRUCT_ENV].sort();
      expect(Object.keys(variables).sort(), name).toEqual(expected);
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('keygate');
      if (schema === undefined) continue;
      // Deploy-time values (table name, pool id) are tokens here; the literal ones must already validate.
      const sample = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string'
            ? value
            : key.endsWith('_URI') || key.endsWith('ISSUER')
              ? 'https://x.example'
              : 'x',
        ]),
      );
      expect(schema.safeParse(sample).error?.issues ?? [], name).toEqual([]);
    }
    const authorizerEnv = functions[synth.functionId('authorizer')]?.Environment.Variables;
    expect(authorizerEnv).toMatchObject({
      KEY_PREFIX: 'wsk-v1-',
      OIDC_COMPANY_CLAIM: 'custom:companyId',
      OIDC_GROUPS_CLAIM: 'cognito:groups',
      OIDC_ROOT_ADMIN_GROUP: 'root-admins',
      LAST_USED_INTERVAL_SECONDS: '60',
      AUTHORIZER_CACHE_TTL_SECONDS: '0',
    });
    // The user pool's JWKS URI, published by the data stack to SSM (its value is checked there).
    expect(JSON.stringify(authorizerEnv.OIDC_JWKS_URI)).toContain('SsmParameterValuekeygateprodoidcjwksuri');
    expect(functions[synth.functionId('notifier')]?.Environment.Variables).toMatchObject({
      SES_SENDER: 'keys@acme.example',
      CONSOLE_URL: 'https://console.acme.example/api-keys',
    });
  });

  it('puts no secret in any environment variable', () => {
    for (const [id, fn] of Object.entries(functions)) {
      const variables = (fn.Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const name of Object.keys(variables)) {
        expect(name, id).not.toMatch(/SECRET|PASSWORD|PRIVATE|TOKEN|CREDENTIAL|ACCESS_KEY/i);
      }
      for (const value of stringsIn(variables)) {
        expect(value, id).not.toMatch(/[a-z][a-z0-9]*(-[a-z0-9]+)*-[A-Za-z0-9]{40,}/); // an API key: prefix + secret
        expect(value, id).not.toMatch(/-----BEGIN|AKIA[0-9A-Z]{16}|"d"\s*:|eyJ[A-Za-z0-9_-]{10,}\./);
      }
    }
  });

  it('scopes every IAM statement: no "*" action anywhere, "*" resource only for X-Ray', () => {
    const all = Object.values(policies).flatMap((policy) => policy.statements);
    expect(all.length).toBeGreaterThan(0);
    for (const statement of all) {
      expect(statement.Effect).toBe('Allow');
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
      const resources = asList(statement.Resource);
      if (resources.includes('*')) {
        expect(resources).toEqual(['*']);
        for (const action of asList(statement.Action))
          expect(STAR_RESOURCE_ACTIONS.has(action), action).toBe(true);
      }
      for (const resource of stringsIn(resources)) {
        if (resource !== '*') expect(resource).not.toMatch(/(^|[:/])\*$/);
      }
    }
    // Inline role policies would escape the walk above.
    for (const role of Object.values(resourcesOf(synth.appTemplate, 'AWS::IAM::Role'))) {
      expect(role.Properties).not.toHaveProperty('Policies');
    }
  });

  it('lets CDK’s console upload read the CDK assets, write the console bucket and invalidate, nothing else', () => {
    const [bucketId] = Object.keys(resourcesOf(synth.appTemplate, 'AWS::S3::Bucket'));
    expect(deploymentStatements.length).toBeGreaterThan(0);
    for (const statement of deploymentStatements) {
      expect(statement.Effect).toBe('Allow');
      const actions = asList(statement.Action);
      const resources = stringsIn(statement.Resource);
      if (actions.every((action) => action.startsWith('cloudfront:'))) {
        expect(actions.sort()).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
        continue;
      }
      for (const action of actions) expect(action).toMatch(/^s3:/);
      const touchesBucket = JSON.stringify(statement.Resource).includes(`"${bucketId}"`);
      const readsAssets = resources.some((resource) => resource.includes('cdk-hnb659fds-assets-'));
      expect(touchesBucket || readsAssets, JSON.stringify(statement)).toBe(true);
      if (readsAssets) expect(actions.every((action) => /^s3:(Get|List)/.test(action))).toBe(true);
    }
  });

  it('attaches no AWS managed policy except the one AWS made for the API Gateway logging role', () => {
    const managed = Object.entries(resourcesOf(synth.appTemplate, 'AWS::IAM::Role'))
      .filter(([id]) => !isDeploymentHandler(id))
      .flatMap(([, role]) => stringsIn(role.Properties?.ManagedPolicyArns ?? []));
    expect(managed.filter((arn) => arn.includes(':iam::aws:policy/'))).toEqual([
      ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    ]);
  });

  it('gives each function exactly its registry table access (actions and LeadingKeys) and, for the notifier, the expiry index', () => {
    for (const name of ALL_FUNCTIONS) {
      const dynamo = statementsOf(name).filter(
        (statement) =>
          asList(statement.Action).some((action) => action.startsWith('dynamodb:')) &&
          !isStreamStatement(statement),
      );
      const onIndex = dynamo.filter((statement) => JSON.stringify(statement.Resource).includes('/index/'));
      const onTable = dynamo.filter((statement) => !onIndex.includes(statement));
      const actions = (statements: Statement[]) =>
        statements.flatMap((statement) => asList(statement.Action)).sort();
      const access: TableAccess = FUNCTIONS[name].tableAccess;
      expect(actions(onTable), name).toEqual(access.table.map((action) => `dynamodb:${action}`).sort());
      expect(actions(onIndex), name).toEqual(
        (access.expiryIndex ?? []).map((action) => `dynamodb:${action}`).sort(),
      );
      const partitions =
        access.leadingKeyPrefixes === undefined
          ? undefined
          : {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': access.leadingKeyPrefixes.map((prefix) => `${prefix}*`),
              },
            };
      for (const statement of onTable) {
        // Least privilege on partitions too: the registry's LeadingKeys prefixes, exactly; and where the
        // registry limits what UpdateItem writes, UpdateItem alone in a statement limited to those.
        const limitsUpdate =
          access.updatedAttributes !== undefined && asList(statement.Action).includes('dynamodb:UpdateItem');
        if (limitsUpdate) expect(asList(statement.Action), name).toEqual(['dynamodb:UpdateItem']);
        expect(statement.Condition, name).toEqual(
          limitsUpdate
            ? {
                ...partitions,
                'ForAllValues:StringEquals': {
                  'dynamodb:Attributes': ['pk', 'sk', ...(access.updatedAttributes ?? [])],
                },
                StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
              }
            : partitions,
        );
        // The table's ARN as the data stack publishes it to SSM (a weak reference: stack-links.ts).
        expect(JSON.stringify(statement.Resource), name).toMatch(
          /^\{"Ref":"SsmParameterValuekeygateprodtablearn/,
        );
      }
      for (const statement of onIndex)
        expect(JSON.stringify(statement.Resource)).toContain('/index/expiry-index');
    }
  });

  it('lets the authorizer read and touch lookup items only: GetItem on DIGEST# partitions, and UpdateItem of lastUsedAt alone', () => {
    const statements = statementsOf('authorizer');
    const actions = statements.flatMap((statement) => asList(statement.Action)).sort();
    expect(actions).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const read = statements.find((statement) => asList(statement.Action).includes('dynamodb:GetItem'));
    expect(read?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIGEST#*'] },
    });
    // A compromised authorizer cannot enable a key or widen its scopes: its one write is lastUsedAt.
    const touch = statements.find((statement) => asList(statement.Action).includes('dynamodb:UpdateItem'));
    expect(touch?.Action).toEqual('dynamodb:UpdateItem');
    expect(touch?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIGEST#*'] },
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
    });
  });

  it('lets the notifier send email only from the configured sender identity (address or its domain)', () => {
    const ses = statementsOf('notifier').filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('ses:')),
    );
    expect(ses).toHaveLength(1);
    expect(asList(ses[0]?.Action)).toEqual(['ses:SendEmail']);
    const resources = asList(ses[0]?.Resource).map((resource) => stringsIn(resource).join(''));
    expect(resources.map((arn) => arn.replace(/^.*:identity\//, '')).sort()).toEqual([
      'acme.example',
      'keys@acme.example',
    ]);
    for (const arn of resources)
      expect(arn).toMatch(/^arn:AWS::Partition:ses:AWS::Region:AWS::AccountId:identity\//);
    for (const name of ALL_FUNCTIONS.filter((fn) => fn !== 'notifier')) {
      expect(JSON.stringify(statementsOf(name)), name).not.toContain('ses:');
    }
  });

  it('lets only the notifier and the event publisher write to a dead-letter queue, each to its own', () => {
    for (const name of ALL_FUNCTIONS) {
      const sqs = statementsOf(name).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('sqs:')),
      );
      if (name === 'notifier') {
        expect(sqs).toHaveLength(1);
        expect(JSON.stringify(sqs[0]?.Resource)).toMatch(/ExpiryNotificationsDeadLetters/);
      } else if (name === 'publish-audit-events') {
        expect(sqs).toHaveLength(1);
        expect(JSON.stringify(sqs[0]?.Resource)).toMatch(/EventsDeadLetters/);
      } else expect(sqs, name).toEqual([]);
    }
  });

  it('lets only the event publisher read the table stream: the stream read actions on its ARN from SSM', () => {
    const stream = statementsOf('publish-audit-events').filter(isStreamStatement);
    const onStream = stream.filter((statement) => !asList(statement.Action).includes('dynamodb:ListStreams'));
    expect(onStream.flatMap((statement) => asList(statement.Action)).sort()).toEqual(STREAM_READ_ACTIONS);
    for (const statement of onStream)
      expect(JSON.stringify(statement.Resource)).toMatch(
        /^\{"Ref":"SsmParameterValuekeygateprodtablestreamarn/,
      );
    for (const name of ALL_FUNCTIONS.filter((fn) => fn !== 'publish-audit-events')) {
      const actions = statementsOf(name).flatMap((statement) => asList(statement.Action));
      for (const action of [...STREAM_READ_ACTIONS, 'dynamodb:ListStreams'])
        expect(actions, name).not.toContain(action);
    }
  });

  it('lets only the event publisher and the notifier put events, on the one bus (the default bus unless configured)', () => {
    const busArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':events:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':event-bus/default',
        ],
      ],
    };
    for (const name of ALL_FUNCTIONS) {
      const events = statementsOf(name).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('events:')),
      );
      if (name === 'notifier' || name === 'publish-audit-events') {
        expect(events, name).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
      } else expect(events, name).toEqual([]);
    }
    for (const name of ['notifier', 'publish-audit-events'] as const) {
      expect(functions[synth.functionId(name)]?.Environment.Variables.EVENT_BUS_NAME, name).toBe('default');
    }
  });
});
