import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { loadEnv, notifierEnvSchema } from '../../shared/adapters/config/env.js';
import { sharedDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { eventBridgeClient } from '../../shared/adapters/eventbridge/eventbridge-client.js';
import { EventBridgePublisher } from '../../shared/adapters/eventbridge/eventbridge-publisher.js';
import { createLogger } from '../../shared/adapters/log/logger.js';
import { sesClient } from '../../shared/adapters/ses/ses-client.js';
import { SesMailer } from '../../shared/adapters/ses/ses-mailer.js';
import { type Clock, systemClock } from '../../shared/domain/clock.js';
import {
  type ExpiryNotificationDeps,
  type ExpiryNotificationSummary,
  runExpiryNotifications,
} from '../../shared/domain/notify/run-expiry-notifications.js';

/** Where the run's counts go (Powertools Metrics: EMF in CloudWatch). */
export interface MetricsSink {
  addMetric(name: string, unit: typeof MetricUnit.Count, value: number): void;
}

export type NotifierDeps = Omit<ExpiryNotificationDeps, 'asOf' | 'remainingTimeMs'> & {
  metrics: MetricsSink;
};

/**
 * Some companies' digests did not reach every recipient: a send failed, or a recipient is still
 * claimed by another run (which may have died holding the claim). Thrown after all companies were tried, so the platform
 * retries and, once its retries are spent, the event lands in the dead-letter queue and alarms:
 * a digest is never dropped by a run that reports success.
 */
export class ExpiryDigestIncompleteError extends Error {
  readonly failedCompanyIds: string[];
  constructor(readonly summary: ExpiryNotificationSummary) {
    const failed = `${summary.failed.length} of ${summary.companiesScanned} companies failed${summary.failed.length > 0 ? `: ${summary.failed.join(', ')}` : ''}`;
    const inProgress =
      summary.inProgress > 0
        ? `; ${summary.inProgress} ${summary.inProgress === 1 ? 'recipient' : 'recipients'} still claimed by another run, not confirmed sent`
        : '';
    super(`expiry digest incomplete: ${failed}${inProgress}`);
    this.name = 'ExpiryDigestIncompleteError';
    this.failedCompanyIds = summary.failed;
  }
}

/**
 * The notifier as a function of its ports: runs the daily digest as of the scheduled event's time
 * (see `scheduledTime`), records metrics, and throws if any recipient's copy failed or is still claimed
 * by another run. `EmailsSent` counts messages (one per recipient); `AlreadySent` and `InProgress`
 * count recipients; `Failed` counts companies, `FailedRecipients` their recipients not sent.
 */
export function makeNotifier(deps: NotifierDeps) {
  return async (
    event: Pick<ScheduledEvent, 'time'>,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<ExpiryNotificationSummary> => {
    const summary = await runExpiryNotifications({
      ...deps,
      asOf: scheduledTime(event, deps.clock),
      // Stop starting companies before Lambda's timeout kills the run mid-send (see DEADLINE_MARGIN_MS).
      ...(context ? { remainingTimeMs: () => context.getRemainingTimeInMillis() } : {}),
    });
    deps.metrics.addMetric('CompaniesScanned', MetricUnit.Count, summary.companiesScanned);
    deps.metrics.addMetric('EmailsSent', MetricUnit.Count, summary.emailsSent);
    deps.metrics.addMetric('Skipped', MetricUnit.Count, summary.skippedNoRecipients);
    deps.metrics.addMetric('AlreadySent', MetricUnit.Count, summary.alreadySent);
    deps.metrics.addMetric('Failed', MetricUnit.Count, summary.failed.length);
    deps.metrics.addMetric('FailedRecipients', MetricUnit.Count, summary.failedRecipients);
    deps.metrics.addMetric('InProgress', MetricUnit.Count, summary.inProgress);
    deps.metrics.addMetric('ExpiryIndexItemsRead', MetricUnit.Count, summary.itemsRead);
    deps.metrics.addMetric('EventsPublished', MetricUnit.Count, summary.eventsPublished);
    // A recipient claimed by another run is not known to be sent: if that run died, a success here
    // would drop that recipient's digest for the day. Fail, so the retry (or the dead-letter replay) sends it.
    if (summary.failed.length > 0 || summary.inProgress > 0) throw new ExpiryDigestIncompleteError(summary);
    return summary;
  };
}

/**
 * The digest's "as of" time: the event's `time` — the minute EventBridge scheduled it — so a retry
 * (Lambda retries a failed async invocation for up to hours) computes the same windows and the same
 * UTC day, and its per-recipient delivery markers match the first attempt's. A manual invocation without a
 * time runs as of now; a time that does not parse is a fault.
 */
export function scheduledTime(event: Pick<ScheduledEvent, 'time'>, clock: Clock): Date {
  if (event.time === undefined || event.time === '') return clock.now();
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime()))
    throw new Error(`scheduled event time ${JSON.stringify(event.time)} is not a time`);
  return time;
}

/** The notifier's ports from `env` (read and validated once): DynamoDB, SES, EventBridge, Powertools. */
export function notifierDepsFromEnv(
  env: NodeJS.ProcessEnv,
): NotifierDeps & { logger: Logger; metrics: Metrics } {
  const config = loadEnv(notifierEnvSchema, env);
  const logger = createLogger('keygate-notifier', { env });
  const metrics = new Metrics({ namespace: 'keygate', serviceName: 'notifier' });
  const store = new DynamoNotificationStore(
    sharedDocumentClient(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    config.TABLE_NAME,
  );
  return {
    clock: systemClock,
    expiryIndex: store,
    keyStates: store,
    recipients: store,
    ledger: store,
    mailer: new SesMailer(sesClient({ endpoint: config.SES_ENDPOINT }), config.SES_SENDER),
    events: new EventBridgePublisher(
      eventBridgeClient({ endpoint: config.EVENTBRIDGE_ENDPOINT }),
      config.EVENT_BUS_NAME,
    ),
    logger,
    metrics,
    consoleUrl: config.CONSOLE_URL,
  };
}

/** The notifier wired from `env`, with Powertools' context and metrics middlewares. */
export function handlerFromEnv(env: NodeJS.ProcessEnv) {
  const deps = notifierDepsFromEnv(env);
  return middy<ScheduledEvent, ExpiryNotificationSummary>(makeNotifier(deps))
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics));
}
