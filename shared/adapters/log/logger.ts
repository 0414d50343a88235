import { Logger } from '@aws-lambda-powertools/logger';

/**
 * keygate's one logger: Powertools Logger, JSON lines that Lambda's JSON log format and its
 * application log level read as they are. Every function builds its own with this (the authorizer,
 * the notifier, the management stack in `http-handler.ts`), and passes it to the domain as its `Log`
 * port. Events are never logged: they carry credentials (see the `injectLambdaContext` options).
 */

type LogLevel = NonNullable<ConstructorParameters<typeof Logger>[0]>['logLevel'];

/**
 * A logger for `serviceName`, its level from `env` when set there (`POWERTOOLS_LOG_LEVEL`: in a
 * Lambda `env` is `process.env`; local mode and tests pass the function's own environment).
 */
export function createLogger(
  serviceName: string,
  options: { env?: NodeJS.ProcessEnv; persistentKeys?: Record<string, string> } = {},
): Logger {
  const level = options.env?.POWERTOOLS_LOG_LEVEL?.trim();
  return new Logger({
    serviceName,
    ...(level ? { logLevel: level.toUpperCase() as LogLevel } : {}),
    ...(options.persistentKeys ? { persistentKeys: options.persistentKeys } : {}),
  });
}
