import type { DecisionLog } from './authorizer.js';

/**
 * The authorizer's structured log: one JSON line per entry on stdout, as Powertools Logger writes them
 * (`level`, `message`, `timestamp`, `service`, `function_request_id`, `cold_start`, then the
 * attributes), which Lambda's JSON log format and its application log level filter read as they are.
 * Powertools Logger was a third of what the authorizer's bundle added to the floor (issue 5: floor +
 * 60 KiB); the authorizer needs nothing else of it. The level comes from `AWS_LAMBDA_LOG_LEVEL` (set by
 * the function's application log level), else `POWERTOOLS_LOG_LEVEL`, else INFO; SILENT writes nothing.
 * Events are never logged: they carry credentials.
 */

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof LEVELS;

export interface JsonLog extends DecisionLog {
  /** Called at the start of each invocation: the request id goes on every line until the next. */
  startInvocation(requestId: string): void;
}

function levelFrom(env: NodeJS.ProcessEnv): Level {
  const name = (env.AWS_LAMBDA_LOG_LEVEL ?? env.POWERTOOLS_LOG_LEVEL ?? 'INFO').trim().toUpperCase();
  return name in LEVELS ? (name as Level) : 'INFO';
}

/** Errors as Powertools renders them: name, message and stack (never the values they were thrown for). */
function serialise(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createJsonLog(
  service: string,
  options: { env?: NodeJS.ProcessEnv; write?: (line: string) => void } = {},
): JsonLog {
  const threshold = LEVELS[levelFrom(options.env ?? process.env)];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  let requestId: string | undefined;
  let invocations = 0;
  const entry = (level: Level, message: string, attributes: Record<string, unknown>) => {
    if (LEVELS[level] < threshold) return;
    const line = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service,
      ...(requestId === undefined ? {} : { function_request_id: requestId, cold_start: invocations === 1 }),
      ...attributes,
    };
    write(`${JSON.stringify(line, serialise)}\n`);
  };
  return {
    startInvocation(id) {
      requestId = id;
      invocations += 1;
    },
    info: (message, attributes) => entry('INFO', message, attributes),
    warn: (message, attributes) => entry('WARN', message, attributes),
    error: (message, attributes) => entry('ERROR', message, attributes),
  };
}
