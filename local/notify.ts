/**
 * `npm run notify -- [--now <RFC 3339>]`: runs the daily expiry digest once, now, against the local
 * stack of a running `npm start` (found through `<KEYGATE_DATA_DIR>/local-stack.json`), as of
 * `--now` (default: the real time), and prints one line. The same notifier code as the Lambda; the
 * per-recipient delivery markers apply, so a second run for the same UTC day sends only to the
 * recipients not yet sent.
 *
 * Honours KEYGATE_DATA_DIR (which `npm start` to talk to) and SES_PORT (the SES emulator's port,
 * when not the one `npm start` recorded).
 */
import { localFunctionEnv } from './functions.js';
import {
  applyProcessEnvironment,
  dataDirectory,
  localSettings,
  readLocalStackFile,
} from './local-environment.js';
import { localEventSink } from './local-event-sink.js';
import { InvalidNotifyArgumentsError, parseNotifyArguments, summaryLine } from './notifier-schedule.js';

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const now = parseNotifyArguments(process.argv.slice(2)).now ?? new Date();
  const dataDir = dataDirectory(process.env);
  const stack = await readLocalStackFile(dataDir);
  if (!stack) {
    throw new InvalidNotifyArgumentsError(
      `keygate is not running on ${dataDir}: start it with \`npm start\` first, then run this again.`,
    );
  }
  const sesPort = process.env.SES_PORT?.trim();
  if (sesPort && !/^\d{1,5}$/.test(sesPort))
    throw new InvalidNotifyArgumentsError(`SES_PORT must be a TCP port, got "${sesPort}".`);
  const sesEndpoint = sesPort ? `http://127.0.0.1:${sesPort}` : stack.sesEndpoint;

  const settings = localSettings({
    gatewayPort: Number(new URL(stack.gatewayUrl).port),
    dynamoEndpoint: stack.dynamoEndpoint,
    sesEndpoint,
    tableName: stack.tableName,
  });
  applyProcessEnvironment();
  // One summary line is the output: the notifier's JSON logs only for errors, no EMF metrics.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const { makeNotifier, notifierDepsFromEnv, ExpiryDigestIncompleteError } = await import(
    '../functions/notifier/notifier.js'
  );
  // Its events go where `npm start`'s go: events.jsonl in the data directory (and this console).
  const events = localEventSink(dataDir, (line) => console.log(`[events] ${line}`));
  const notifier = makeNotifier({ ...notifierDepsFromEnv(localFunctionEnv('notifier', settings)), events });
  try {
    const summary = await notifier({ time: now.toISOString() });
    console.log(`${summaryLine(summary)}. Mail: ${sesEndpoint}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ExpiryDigestIncompleteError)) throw error;
    console.log(`${summaryLine(error.summary)}. Mail: ${sesEndpoint}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof InvalidNotifyArgumentsError
        ? error.message
        : `npm run notify failed: ${String(error)}`,
    );
    process.exit(1);
  },
);
