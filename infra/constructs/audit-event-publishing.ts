import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { itemKeys, TABLE_KEYS } from '../../shared/adapters/dynamodb/table-design.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import type { KeygateFunction } from './keygate-function.js';

export interface AuditEventPublishingProps {
  /** The keys table, with its stream (`NEW_IMAGE`). */
  readonly table: dynamodb.ITable;
  readonly publisher: KeygateFunction;
  /** Every function that puts events on the bus (the publisher, the notifier). */
  readonly eventSenders: readonly KeygateFunction[];
  /** The bus's name (`default`: the account's default bus). */
  readonly eventBusName: string;
}

/**
 * Lifecycle events, as a transactional outbox: every change writes its audit item in its own
 * transaction; the table's stream carries each audit item's INSERT to the publisher, which puts one
 * event per item on the bus. The mapping's filter lets only those records invoke it (others cost no
 * invocation), Lambda retries a failed record (bisecting the batch) and, once its retries are spent,
 * sends where the failed records are to the dead-letter queue, which raises an alarm.
 */
export class AuditEventPublishing extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly eventBusArn: string;

  constructor(scope: Construct, id: string, props: AuditEventPublishingProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(
      this,
      "the on-failure destination of the publisher's stream mapping",
    );

    props.publisher.function.addEventSource(
      new sources.DynamoEventSource(props.table, {
        // The stream is created with the data stack, before this mapping: start at its oldest record
        // so that no change made in between goes unpublished.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 10,
        // A stream keeps records 24 hours: older ones are gone anyway; say so in the DLQ instead.
        maxRecordAge: Duration.hours(12),
        reportBatchItemFailures: true,
        // One batch per shard at a time: a key's events stay in the order of its changes.
        parallelizationFactor: 1,
        onFailure: new sources.SqsDlq(this.deadLetterQueue),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: {
              Keys: { [TABLE_KEYS.sortKey]: { S: lambda.FilterRule.beginsWith(itemKeys.auditEventPrefix) } },
            },
          }),
        ],
      }),
    );
    // The mapping's stream read grant includes dynamodb:ListStreams, which has no resource-level permissions.
    Validations.of(props.publisher.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams (granted with the stream read of the event source mapping) and the X-Ray actions support no resource-level permissions.',
    });

    // The one bus, in this account and region: nothing else may be put to.
    this.eventBusArn = events.EventBus.fromEventBusName(this, 'Bus', props.eventBusName).eventBusArn;
    for (const sender of props.eventSenders) {
      sender.grant(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBusArn] }));
    }
  }
}
