import type { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_NOTIFICATION_SCHEDULE } from '../../infra/constructs/expiry-notification-schedule.js';
import { TABLE_KEYS } from '../../shared/adapters/dynamodb/table-design.js';
import {
  type CfnJson,
  isDeploymentHandler,
  resourcesOf,
  type SynthesizedKeygate,
  stringsIn,
  synthKeygate,
} from './synth-keygate.js';

/** CloudFormation's limit of resources per stack. */
const MAX_RESOURCES_PER_STACK = 500;

describe('the stateful stack (default config: Cognito)', () => {
  let synth: SynthesizedKeygate;
  beforeAll(() => {
    synth = synthKeygate({ alarmEmail: 'ops@acme.example' });
  });
  /** The notifier's dead-letter queue (the event publisher has its own). */
  const notifierQueueId = () => {
    const id = Object.keys(resourcesOf(synth.appTemplate, 'AWS::SQS::Queue')).find((queue) =>
      queue.startsWith('ExpiryNotificationsDeadLetters'),
    );
    if (id === undefined) throw new Error('no notifier dead-letter queue');
    return id;
  };

  it('keeps the keys table: retained, deletion-protected, PITR, encrypted, on demand, TTL on `ttl`', () => {
    const tables = Object.values(resourcesOf(synth.dataTemplate, 'AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(1);
    const [table] = tables;
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
    expect(table?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE_KEYS.expiryIndex.name,
          KeySchema: [
            { AttributeName: TABLE_KEYS.expiryIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.expiryIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: ['companyId', 'keyId', 'name', 'keyPrefix', 'scopes', 'expiresAt'],
          },
        },
      ],
    });
  });

  it('keeps the root admins: a retained, MFA-required Plus user pool with root-admins and an immutable companyId', () => {
    const [pool] = Object.values(resourcesOf(synth.dataTemplate, 'AWS::Cognito::UserPool'));
    expect(pool?.DeletionPolicy).toBe('Retain');
    expect(pool?.Properties).toMatchObject({
      DeletionProtection: 'ACTIVE',
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: expect.arrayContaining([
        expect.objectContaining({ Name: 'companyId', Mutable: false, AttributeDataType: 'String' }),
      ]),
    });
    synth.dataTemplate.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'root-admins' });
    // The pool's API client (the other one is keygate login's, test/infra/cli-sign-in.test.ts).
    const client = resourcesOf(synth.dataTemplate, 'AWS::Cognito::UserPoolClient')[
      synth.stacks.stateful.getLogicalId(
        synth.stacks.stateful.rootAdminLogin?.pool.client.node.defaultChild as CfnResource,
      )
    ];
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect([...((client?.Properties?.ExplicitAuthFlows as string[] | undefined) ?? [])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    // No OAuth redirect flows: with this client admins sign in through the Cognito API only.
    expect(client?.Properties).not.toHaveProperty('AllowedOAuthFlows');
    expect(client?.Properties).not.toHaveProperty('CallbackURLs');
  });

  it('outputs the table name, user pool id and client id; the app stack outputs the API URL', () => {
    for (const name of ['TableName', 'UserPoolId', 'UserPoolClientId', 'CliClientId'])
      synth.dataTemplate.hasOutput(name, {});
    for (const name of [
      'ApiUrl',
      'KeygateUrl',
      'AlarmTopicArn',
      'NotifierFunctionName',
      'NotifierDeadLetterQueueUrl',
    ]) {
      synth.appTemplate.hasOutput(name, {});
    }
  });

  it('removes everything of the app stack with it but the account-wide API Gateway logging role', () => {
    const retained = Object.entries(resourcesOf(synth.appTemplate))
      .filter(
        ([, resource]) => resource.DeletionPolicy === 'Retain' || resource.UpdateReplacePolicy === 'Retain',
      )
      .map(([, resource]) => resource.Type);
    // The role other APIs of the account may rely on, and the account setting that names it.
    expect(retained.sort()).toEqual(['AWS::ApiGateway::Account', 'AWS::IAM::Role']);
    // The alarm topic's key too, after KMS's shortest pending window (cancellable until then).
    const [key] = Object.values(resourcesOf(synth.appTemplate, 'AWS::KMS::Key'));
    expect(key?.DeletionPolicy).toBe('Delete');
    expect(key?.Properties?.PendingWindowInDays).toBe(7);
  });

  it('stays well inside CloudFormation limits', () => {
    expect(Object.keys(resourcesOf(synth.appTemplate)).length).toBeLessThan(MAX_RESOURCES_PER_STACK);
    expect(Object.keys(resourcesOf(synth.dataTemplate)).length).toBeLessThan(MAX_RESOURCES_PER_STACK);
  });

  it('runs the notifier every day at 11:00 UTC with retries and a dead-letter queue', () => {
    const rules = Object.values(resourcesOf(synth.appTemplate, 'AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    expect(EXPIRY_NOTIFICATION_SCHEDULE).toBe('cron(0 11 * * ? *)');
    const props = rules[0]?.Properties as CfnJson;
    expect(props.ScheduleExpression).toBe('cron(0 11 * * ? *)');
    expect(props.State).toBe('ENABLED');
    expect(props.Targets).toHaveLength(1);
    const [target] = props.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [synth.functionId('notifier'), 'Arn'] });
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThan(0);
    const queueId = notifierQueueId();
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    // Failed runs (after Lambda's own retries) go to the same queue.
    synth.appTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: synth.functionId('notifier') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('encrypts the dead-letter queues and refuses non-TLS access to them', () => {
    const queues = Object.values(resourcesOf(synth.appTemplate, 'AWS::SQS::Queue'));
    expect(queues).toHaveLength(2);
    for (const queue of queues) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    synth.appTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('alarms on authorizer errors, API 5xx rate, notifier errors and both dead-letter queues, to an encrypted topic', () => {
    const [topicId] = Object.keys(resourcesOf(synth.appTemplate, 'AWS::SNS::Topic'));
    const alarms = Object.values(resourcesOf(synth.appTemplate, 'AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties as CfnJson,
    );
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    const find = (metric: string) => alarms.filter((alarm) => alarm.MetricName === metric);
    const errors = find('Errors').map((alarm) => JSON.stringify(alarm.Dimensions));
    expect(errors.sort()).toEqual(
      [synth.functionId('authorizer'), synth.functionId('notifier')]
        .map((id) => JSON.stringify([{ Name: 'FunctionName', Value: { Ref: id } }]))
        .sort(),
    );
    expect(find('5XXError')).toEqual([
      expect.objectContaining({ Namespace: 'AWS/ApiGateway', Statistic: 'Average', Threshold: 0.01 }),
    ]);
    const queueId = notifierQueueId();
    const eventsQueueId = Object.keys(resourcesOf(synth.appTemplate, 'AWS::SQS::Queue')).find((id) =>
      id.startsWith('EventsDeadLetters'),
    );
    expect(find('ApproximateNumberOfMessagesVisible')).toEqual(
      [queueId, eventsQueueId].map((id) =>
        expect.objectContaining({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        }),
      ),
    );
    const [keyId] = Object.keys(resourcesOf(synth.appTemplate, 'AWS::KMS::Key'));
    synth.appTemplate.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    synth.appTemplate.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    synth.appTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          // The topic policy replaces SNS's default one: CloudWatch may publish only because of this.
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }),
          }),
        ]),
      },
    });
    synth.appTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@acme.example',
    });
  });

  it('reads the table and the identity settings from SSM parameters the data stack writes, never from exports', () => {
    const appJson = synth.appTemplate.toJSON() as CfnJson;
    expect(stringsIn(appJson).filter((value) => value.startsWith('keygate-prod-data:'))).toEqual([]);
    expect(JSON.stringify(appJson)).not.toContain('Fn::ImportValue');
    expect(Object.keys(resourcesOf(synth.appTemplate, 'AWS::DynamoDB::Table'))).toEqual([]);
    const published = Object.values(resourcesOf(synth.dataTemplate, 'AWS::SSM::Parameter')).map(
      (parameter) => parameter.Properties?.Name,
    );
    expect(published.sort()).toEqual([
      '/keygate/prod/cli-client-id',
      '/keygate/prod/managed-login-url',
      '/keygate/prod/oidc-audience',
      '/keygate/prod/oidc-issuer',
      '/keygate/prod/oidc-jwks-uri',
      '/keygate/prod/table-arn',
      '/keygate/prod/table-stream-arn',
      '/keygate/prod/user-pool-id',
    ]);
    const read = Object.values(appJson.Parameters as Record<string, { Type: string; Default?: string }>)
      .filter((parameter) => parameter.Type === 'AWS::SSM::Parameter::Value<String>')
      .map((parameter) => parameter.Default)
      .filter((name) => name?.startsWith('/keygate/'))
      .sort();
    expect(read).toEqual(published.sort());
    synth.dataTemplate.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/keygate/prod/oidc-jwks-uri',
      Value: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/.well-known/jwks.json'])]) }),
    });
    // Deployed after the data stack, which writes the parameters it reads.
    expect(synth.stacks.stateless.dependencies).toContain(synth.stacks.stateful);
  });
});

describe('the stateful stack with an external OIDC issuer', () => {
  const oidc = {
    type: 'oidc',
    issuer: 'https://login.acme.example',
    audience: 'keygate-admin',
    jwksUri: 'https://login.acme.example/.well-known/jwks.json',
    companyClaim: 'https://acme.example/company',
    groupsClaim: 'roles',
    rootAdminGroup: 'keygate-root',
  } as const;
  let synth: SynthesizedKeygate;
  beforeAll(() => {
    synth = synthKeygate({ identityProvider: oidc });
  });

  it('creates no user pool and gives the authorizer the configured issuer, audience and claims', () => {
    expect(resourcesOf(synth.dataTemplate, 'AWS::Cognito::UserPool')).toEqual({});
    synth.appTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          OIDC_ISSUER: oidc.issuer,
          OIDC_AUDIENCE: oidc.audience,
          OIDC_JWKS_URI: oidc.jwksUri,
          OIDC_COMPANY_CLAIM: oidc.companyClaim,
          OIDC_GROUPS_CLAIM: oidc.groupsClaim,
          OIDC_ROOT_ADMIN_GROUP: oidc.rootAdminGroup,
        }),
      },
    });
  });
});

describe('the app stack’s logs', () => {
  let synth: SynthesizedKeygate;
  beforeAll(() => {
    synth = synthKeygate({ logRetentionDays: 14 });
  });

  it('keeps every log group logRetentionDays and removes it with the stack: no group is left to AWS', () => {
    const groups = resourcesOf(synth.appTemplate, 'AWS::Logs::LogGroup');
    for (const [id, group] of Object.entries(groups)) {
      expect(group.Properties?.RetentionInDays, id).toBe(14);
      expect(group.DeletionPolicy, id).toBe('Delete');
    }
    // Every Lambda, CDK's BucketDeployment handler too, logs into one of them, not into a
    // `/aws/lambda/…` group that Lambda would create without retention.
    const functions = Object.entries(resourcesOf(synth.appTemplate, 'AWS::Lambda::Function'));
    expect(functions.some(([id]) => isDeploymentHandler(id))).toBe(true);
    for (const [id, fn] of functions) {
      const target = (fn.Properties?.LoggingConfig as CfnJson)?.LogGroup?.Ref;
      expect(Object.keys(groups), id).toContain(target);
    }
  });

  it('creates the group API Gateway writes execution logs to, under its exact name, before the stage', () => {
    const [apiId] = Object.keys(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::RestApi'));
    const groups = Object.entries(resourcesOf(synth.appTemplate, 'AWS::Logs::LogGroup')).filter(
      ([, group]) =>
        JSON.stringify(group.Properties?.LogGroupName) ===
        JSON.stringify({ 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/prod']] }),
    );
    expect(groups).toHaveLength(1);
    const [[groupId]] = groups as [[string, unknown]];
    // Otherwise API Gateway could create it first (no retention), and creating it here would fail.
    const [stage] = Object.values(synth.appTemplate.findResources('AWS::ApiGateway::Stage'));
    expect(stage?.DependsOn).toContain(groupId);
  });
});
