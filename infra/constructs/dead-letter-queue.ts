import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue as keygate keeps them: encrypted, TLS only, messages kept 14 days (SQS's
 * longest) so that an operator back from a weekend still finds what failed. Created as
 * `DeadLetters` in `scope`. cdk-nag only recognises DLQs of SQS queues and Lambda functions, so
 * `deadLetterOf` says whose dead letters it holds, for the acknowledgement of its rule SQS3.
 */
export function deadLetterQueue(scope: Construct, deadLetterOf: string): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadLetters', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue IS the dead-letter queue (${deadLetterOf}); cdk-nag only recognises DLQs of SQS queues and Lambda functions.`,
  });
  return queue;
}
