import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  readonly api: apigw.RestApi;
  readonly authorizer: lambda.IFunction;
  readonly notifier: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the event publisher's stream mapping puts the records it gave up on. */
  readonly eventsDeadLetterQueue: sqs.IQueue;
  readonly alarmEmail?: string;
}

/** Share of requests answered 5xx over a 5-minute window that pages the operator. */
export const API_5XX_RATE_THRESHOLD = 0.01;

/**
 * The alarms an operator needs, to one encrypted SNS topic: the authorizer failing (every request
 * would get 500), the API answering 5xx, the daily notifier failing, undelivered notifier events, and
 * lifecycle events the publisher gave up on.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    // A customer-managed key: the AWS-managed SNS key's policy cannot admit CloudWatch, which must
    // encrypt the alarm messages it publishes. CDK also writes the default key policy statement giving
    // the account root `kms:*` on `*` ("this key"): it grants nothing by itself, but lets IAM policies
    // in the account grant use of the key; without it the key could become unmanageable.
    // Removed with the stack like everything else stateless (CDK retains keys by default): it encrypts
    // only the alarm messages SNS holds while it delivers them, so nothing outlives the topic that needs
    // it. KMS deletes it after the shortest pending window, during which a mistaken deletion can still
    // be cancelled (`aws kms cancel-key-deletion`).
    const key = new kms.Key(this, 'TopicKey', {
      description: 'keygate alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" means this key.
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'keygate alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL writes a topic policy, and a topic policy replaces SNS's default one, whose
    // account-wide Allow is what lets CloudWatch publish: without this statement no alarm would
    // ever reach the topic. Only this account's alarms may (the confused-deputy conditions AWS's
    // knowledge center shows for it).
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const fiveMinutes = Duration.minutes(5);
    // No data is healthy for every one of them: no invocations, no requests, an empty queue.
    const alarm = (alarmId: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>) =>
      new cloudwatch.Alarm(this, alarmId, {
        ...props,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    /** Any error of `fn` within five minutes. */
    const anyError = (alarmId: string, alarmDescription: string, fn: lambda.IFunction) =>
      alarm(alarmId, {
        alarmDescription,
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    /** Any message in the dead-letter queue `queue`. */
    const anyDeadLetter = (alarmId: string, alarmDescription: string, queue: sqs.IQueue) =>
      alarm(alarmId, {
        alarmDescription,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    this.alarms = [
      anyError(
        'AuthorizerErrors',
        'The keygate authorizer failed: callers get 500 (it fails closed).',
        props.authorizer,
      ),
      alarm('Api5xxRate', {
        alarmDescription: `More than ${API_5XX_RATE_THRESHOLD * 100}% of API requests answered 5xx.`,
        // The average of the 0/1 5XXError metric is the 5xx rate.
        metric: props.api.metricServerError({ period: fiveMinutes, statistic: 'Average' }),
        threshold: API_5XX_RATE_THRESHOLD,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      anyError(
        'NotifierErrors',
        'The daily expiry email run failed (it is retried; see the notifier logs).',
        props.notifier,
      ),
      anyDeadLetter(
        'NotifierDeadLetters',
        'A daily expiry email run was given up: its event is in the dead-letter queue.',
        props.deadLetterQueue,
      ),
      anyDeadLetter(
        'EventPublisherDeadLetters',
        'Lifecycle events were not published to EventBridge after retries: the dead-letter queue says which stream records.',
        props.eventsDeadLetterQueue,
      ),
    ];
    const notify = new actions.SnsAction(this.topic);
    for (const alarm of this.alarms) alarm.addAlarmAction(notify);
  }
}
