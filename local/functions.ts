import type { Context } from 'aws-lambda';
import {
  type DeploymentSettings,
  FUNCTIONS,
  functionEnvironment,
  type KeygateFunctionName,
} from '../functions/registry.js';
import type { RouteCatalog } from '../shared/domain/catalog/route-catalog.js';
import type { EventPublisher } from '../shared/domain/events/ports.js';
import type { ExpiryNotificationSummary } from '../shared/domain/notify/run-expiry-notifications.js';

/**
 * Local mode's functions: the very composition roots the Lambdas run (`handlerFromEnv` of
 * `functions/<name>/<name>.ts`), each given the environment the stack gives it — built by the
 * registry's `functionEnvironment` from the local settings, and validated by the function's own
 * schema as it starts — on top of the process's (as Lambda adds its runtime's variables).
 */

/** A Lambda handler as the Node.js runtime calls it (promise style, as middy handlers are). */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Creates the handler of a function (`authorizer`, `echo`, or a management function). */
export type HandlerLoader = (name: string) => Promise<LambdaHandler>;

const isFunctionName = (name: string): name is KeygateFunctionName => Object.hasOwn(FUNCTIONS, name);

/** The environment a function gets locally: the process's, then exactly what the stack sets. */
export function localFunctionEnv(name: KeygateFunctionName, settings: DeploymentSettings): NodeJS.ProcessEnv {
  return { ...process.env, ...functionEnvironment(name, settings) };
}

/** Builds each function's handler on first use from `settings` and `catalog`. */
export function functionLoader(settings: DeploymentSettings, catalog: RouteCatalog): HandlerLoader {
  return async (name) => {
    if (!isFunctionName(name)) throw new Error(`no function ${name} in functions/registry.ts`);
    const module = (await import(new URL(`../functions/${name}/${name}.ts`, import.meta.url).href)) as {
      handlerFromEnv?: (env: NodeJS.ProcessEnv, catalog: RouteCatalog) => unknown;
    };
    if (typeof module.handlerFromEnv !== 'function') {
      throw new Error(`functions/${name}/${name}.ts exports no handlerFromEnv`);
    }
    return module.handlerFromEnv(localFunctionEnv(name, settings), catalog) as LambdaHandler;
  };
}

/**
 * The notifier Lambda's code run in this process, as EventBridge invokes it, its events going to
 * `events` (local mode's sink) instead of a bus; its modules load now, not
 * at the first run or at stop (on Ctrl-C tsx's transform worker is already gone, so a first import
 * then fails). `close` ends the SES client's connections.
 */
export function localNotifier(
  settings: DeploymentSettings,
  events: EventPublisher,
): {
  run(time: Date): Promise<ExpiryNotificationSummary>;
  close(): Promise<void>;
} {
  const modules = Promise.all([
    import('../functions/notifier/notifier.js'),
    import('../shared/adapters/ses/ses-client.js'),
  ]);
  let notifier: ((event: { time: string }) => Promise<ExpiryNotificationSummary>) | undefined;
  return {
    async run(time) {
      const [{ makeNotifier, notifierDepsFromEnv, ExpiryDigestIncompleteError }] = await modules;
      notifier ??= makeNotifier({ ...notifierDepsFromEnv(localFunctionEnv('notifier', settings)), events });
      try {
        return await notifier({ time: time.toISOString() });
      } catch (error) {
        // The summary still says what was sent; the failed companies are retried by the next run.
        if (error instanceof ExpiryDigestIncompleteError) return error.summary;
        throw error;
      }
    },
    async close() {
      const [, { closeSesClient }] = await modules;
      closeSesClient();
    },
  };
}
