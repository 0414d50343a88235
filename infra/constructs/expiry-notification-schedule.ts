import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue.js';
import type { KeygateFunction } from './keygate-function.js';

/** Every day at 11:00 UTC (EventBridge cron is UTC). */
export const EXPIRY_NOTIFICATION_SCHEDULE = 'cron(0 11 * * ? *)';

export interface ExpiryNotificationScheduleProps {
  readonly notifier: KeygateFunction;
  /** The verified SES identity the email is sent from. */
  readonly senderAddress: string;
}

/**
 * Runs the notifier daily. Nothing is lost: EventBridge retries delivery, Lambda retries a failed run
 * (the notifier is idempotent per company and day), and an event that still fails lands in the
 * dead-letter queue, which raises an alarm.
 */
export class ExpiryNotificationSchedule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ExpiryNotificationScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(
      this,
      "of the EventBridge target and of the notifier's async invocations",
    );

    // EventBridge invokes Lambda asynchronously: its DLQ catches delivery failures, Lambda's on-failure
    // destination catches runs that failed after Lambda's own retries.
    props.notifier.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    this.rule = new events.Rule(this, 'Daily', {
      description: 'keygate expiry email, daily at 11:00 UTC',
      schedule: events.Schedule.expression(EXPIRY_NOTIFICATION_SCHEDULE),
      targets: [
        new targets.LambdaFunction(props.notifier.function, {
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    // SES authorizes SendEmail against the identity that verified the sender: the address itself or its
    // domain. Nothing else may be sent from.
    const stack = Stack.of(this);
    const domain = props.senderAddress.slice(props.senderAddress.lastIndexOf('@') + 1);
    props.notifier.grant(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [props.senderAddress, domain].map((identity) =>
          stack.formatArn({
            service: 'ses',
            resource: 'identity',
            resourceName: identity,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ),
      }),
    );
  }
}
