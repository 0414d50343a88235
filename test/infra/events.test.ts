import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnJson, resourcesOf, type SynthesizedKeygate, synthKeygate } from './synth-keygate.js';

/**
 * Lifecycle events in the template: the table's stream (NEW_IMAGE) is the audit items' outbox, the
 * publisher's event source mapping lets only audit INSERTs invoke it and retries with a dead-letter
 * queue, and PutEvents is allowed on one bus only: the account's default, or the configured one.
 */

describe('lifecycle events (default config)', () => {
  let synth: SynthesizedKeygate;
  beforeAll(() => {
    synth = synthKeygate();
  });

  it('turns on the table stream with each new item image', () => {
    synth.dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('invokes the publisher only for INSERTs of audit items, in batches, with retries, bisection, partial failures and a DLQ', () => {
    const mappings = Object.values(resourcesOf(synth.appTemplate, 'AWS::Lambda::EventSourceMapping')).map(
      (mapping) => mapping.Properties as CfnJson,
    );
    expect(mappings).toHaveLength(1);
    const [mapping] = mappings;
    expect(mapping.FunctionName).toEqual({ Ref: synth.functionId('publish-audit-events') });
    expect(JSON.stringify(mapping.EventSourceArn)).toMatch(
      /^\{"Ref":"SsmParameterValuekeygateprodtablestreamarn/,
    );
    expect(
      mapping.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern)),
    ).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'AUDIT#' }] } } } }]);
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
    });
    const queueId = Object.keys(resourcesOf(synth.appTemplate, 'AWS::SQS::Queue')).find((id) =>
      id.startsWith('EventsDeadLetters'),
    );
    expect(mapping.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });
});

describe('lifecycle events on a configured bus', () => {
  let synth: SynthesizedKeygate;
  beforeAll(() => {
    synth = synthKeygate({ eventBusName: 'acme-security' });
  });

  it('gives the notifier and the publisher that bus, and PutEvents on it alone', () => {
    for (const name of ['notifier', 'publish-audit-events'] as const) {
      synth.appTemplate.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: 'acme-security' }) },
        Role: { 'Fn::GetAtt': [synth.roleId(name), 'Arn'] },
      });
    }
    const statements = Object.values(resourcesOf(synth.appTemplate, 'AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties as CfnJson).PolicyDocument.Statement as CfnJson[],
    );
    const putEvents = statements.filter((statement) => JSON.stringify(statement.Action).includes('events:'));
    expect(putEvents).toHaveLength(2);
    for (const statement of putEvents) {
      expect(statement.Action).toBe('events:PutEvents');
      expect(JSON.stringify(statement.Resource)).toMatch(/:event-bus\/acme-security"\]\]\}$/);
    }
  });
});
