/**
 * `npm start`: the whole of keygate on this machine, with no AWS account. DynamoDB Local (persisted
 * in the data directory, so keys survive restarts), the SES emulator, the local development OIDC
 * issuer and the local API Gateway that runs the very handler code deployed to Lambda.
 *
 * Settings (environment): PORT (3000), SES_PORT (8005), KEYGATE_DATA_DIR (.keygate/), DYNAMODB_PORT (free port),
 * KEYGATE_CONFIG (the config file; default `keygate.config.json` if there is one) — the same config
 * and catalog loader as `cdk synth`, so a config that starts here synthesizes, and the other way round.
 * KEYGATE_INTEGRATION_TIMEOUT_MS (29000, API Gateway's limit; lower it to try a backend's 504).
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { ensureConsoleBuilt } from '../console/build.js';
import { InvalidKeygateConfigError } from '../shared/adapters/config/keygate-config.js';
import { loadKeygateDeployment } from '../shared/adapters/config/keygate-deployment.js';
import type { CatalogRoute } from '../shared/domain/catalog/catalog-types.js';
import { bufferStdout } from './buffered-stdout.js';
import { consoleRoutes } from './console-routes.js';
import { loadDevIssuer } from './dev-issuer.js';
import { dynamoDbCommitBarrier } from './dynamodb-commit-barrier.js';
import { JavaMissingError, type RunningService, startDynamoDbLocal } from './dynamodb-local.js';
import { watchEmulators } from './emulator-watch.js';
import { functionLoader, localNotifier } from './functions.js';
import { PortInUseError, startLocalGateway } from './gateway.js';
import {
  applyProcessEnvironment,
  DEFAULT_PORT,
  DEFAULT_SES_PORT,
  dataDirectory,
  dynamoDbDirectory,
  LOCAL_TABLE_NAME,
  localSettings,
  removeLocalStackFile,
  writeLocalStackFile,
} from './local-environment.js';
import { eventsFile, localEventSink } from './local-event-sink.js';
import { scheduleDailyNotifier } from './notifier-schedule.js';
import { startSesLocal } from './ses-local.js';

/** A startup problem the user can fix, reported as one line (no stack trace). */
class StartError extends Error {}

/** A repeat of the stopping signal within this window is the same Ctrl-C, delivered again. */
const REPEATED_SIGNAL_GRACE_MS = 1_000;

interface StartSettings {
  dataDir: string;
  port: number;
  sesPort: number;
  dynamoPort: number | undefined;
  integrationTimeoutMs: number;
}

function readSettings(env: NodeJS.ProcessEnv): StartSettings {
  const port = (name: string, fallback: number | undefined) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new StartError(`${name} must be a TCP port (1-65535), got "${raw}".`);
    }
    return value;
  };
  return {
    dataDir: dataDirectory(env),
    port: port('PORT', DEFAULT_PORT) as number,
    sesPort: port('SES_PORT', DEFAULT_SES_PORT) as number,
    dynamoPort: port('DYNAMODB_PORT', undefined),
    integrationTimeoutMs: integrationTimeout(env.KEYGATE_INTEGRATION_TIMEOUT_MS),
  };
}

/** API Gateway's integration timeout, 29 s, or less (never more: the stack cannot wait longer). */
function integrationTimeout(raw: string | undefined): number {
  if (!raw?.trim()) return 29_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 50 || value > 29_000) {
    throw new StartError(`KEYGATE_INTEGRATION_TIMEOUT_MS must be 50-29000 (milliseconds), got "${raw}".`);
  }
  return value;
}

/** Fails fast (before DynamoDB Local's seconds of start-up) when a fixed port is taken. */
async function assertPortFree(port: number, name: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (!free)
    throw new StartError(
      `Port ${port} is already in use: stop what is using it or set ${name} to another port.`,
    );
}

async function main(): Promise<void> {
  // The SDK warns on Node 20 that its 2027 releases will need Node 22; that says nothing about a
  // local run, so it is silenced unless asked for. (The SDK is imported below, after this line.)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  bufferStdout();
  const settings = readSettings(process.env);
  // The config and its catalog first: a mistake in them is reported before anything starts.
  const keygate = loadKeygateDeployment({ env: process.env });
  await assertPortFree(settings.port, 'PORT');
  await assertPortFree(settings.sesPort, 'SES_PORT');
  if (settings.dynamoPort !== undefined) await assertPortFree(settings.dynamoPort, 'DYNAMODB_PORT');
  await mkdir(dynamoDbDirectory(settings.dataDir), { recursive: true });

  // Everything started is stopped in reverse order on the way out.
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(String(error)));
    stops.length = 0;
  };
  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // One Ctrl-C under `npm start` arrives more than once: the terminal signals the whole process
      // group and npm relays it too, and tsx passes that on. Only a later one means "stop now".
      if (Date.now() - stoppingSince < REPEATED_SIGNAL_GRACE_MS) return;
      console.error(`${signal} again: exiting without a clean stop.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping keygate…`);
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    const [dynamo, ses] = await Promise.all([
      startDynamoDbLocal({
        dbPath: dynamoDbDirectory(settings.dataDir),
        ...(settings.dynamoPort === undefined ? {} : { port: settings.dynamoPort }),
      }).then(track(stops)),
      startSesLocal({ port: settings.sesPort }).then(track(stops)),
    ]);
    watchEmulators({
      emulators: [
        { name: `DynamoDB Local (java, pid ${dynamo.pid})`, died: dynamo.died },
        { name: 'The SES emulator', died: ses.died },
      ],
      isStopping: () => stoppingSince !== undefined,
      onDeath: (message) => {
        stoppingSince = Date.now();
        console.error(message);
        stopAll().finally(() => process.exit(1));
      },
    });
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { createKeygateTable } = await import('../shared/adapters/dynamodb/create-table.js');
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    stops.push(async () => client.destroy());
    await createKeygateTable(client, LOCAL_TABLE_NAME);

    // Lifecycle events: the table's stream through the publisher Lambda's code, into events.jsonl.
    const events = localEventSink(settings.dataDir, (line) => console.log(`[events] ${line}`));
    const [{ startAuditStreamPoller }, { makeAuditEventPublisher }] = await Promise.all([
      import('./audit-stream-poller.js'),
      import('../functions/publish-audit-events/publish-audit-events.js'),
    ]);
    const poller = await startAuditStreamPoller({
      dynamo: client,
      endpoint: dynamo.endpoint,
      tableName: LOCAL_TABLE_NAME,
      handler: makeAuditEventPublisher({ events, logger: consoleLog('[events]') }),
      log: (line) => console.error(`[events] ${line}`),
    });
    stops.push(() => poller.stop());

    const issuer = await loadDevIssuer(settings.dataDir);
    if (await ensureConsoleBuilt()) console.log('[console] built console/dist/');
    const services = {
      gatewayPort: settings.port,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      tableName: LOCAL_TABLE_NAME,
    };
    applyProcessEnvironment();
    // The catalog and every function's environment, built as the stack builds them.
    const { catalog } = keygate;
    const deployment = localSettings(services);
    const gateway = await startLocalGateway({
      port: settings.port,
      jwks: issuer.jwks,
      catalog,
      backendOf: keygate.backendOf,
      integrationTimeoutMs: settings.integrationTimeoutMs,
      loadHandler: functionLoader(deployment, catalog),
      localRoutes: consoleRoutes(issuer),
      // Straight to stdout (batched, see bufferStdout): the same line console.log writes, without its
      // formatting, for a line written on every request.
      log: (line) => process.stdout.write(`[gateway] ${line}\n`),
      keyPrefix: deployment.keyPrefix,
      commitBarrier: dynamoDbCommitBarrier(client, LOCAL_TABLE_NAME),
      // Its audit items reach events.jsonl at the poller's quick pace, however long it has idled.
      afterManagementCall: () => poller.nudge(),
    });
    stops.push(() => gateway.close());
    const url = `http://localhost:${gateway.port}`;
    await writeLocalStackFile(settings.dataDir, {
      ...services,
      pid: process.pid,
      gatewayUrl: url,
      startedAt: new Date().toISOString(),
    });
    stops.push(() => removeLocalStackFile(settings.dataDir));

    // ── Scheduled jobs (issue 4) ───────────────────────────────────────────────────────────────
    // The notifier's daily 11:00 UTC run, in this process, with the notifier Lambda's code.
    const notifier = localNotifier(deployment, events);
    stops.push(() => notifier.close());
    stops.push(
      scheduleDailyNotifier({ log: (line) => console.log(`[notifier] ${line}`), run: notifier.run }),
    );
    // ───────────────────────────────────────────────────────────────────────────────────────────

    const token = await issuer.mintRootAdminToken({ companyId: 'demo' });
    const example = exampleRoute(keygate.catalog.routes);
    console.log(
      instructions({
        url,
        sesUrl: ses.endpoint,
        dataDir: settings.dataDir,
        eventsFile: eventsFile(settings.dataDir),
        token,
        example,
      }),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The publisher's log in local mode: its warnings and errors only (each event already prints a line). */
function consoleLog(prefix: string) {
  const line = (message: string, attributes: Record<string, unknown>) =>
    console.error(`${prefix} ${message} ${JSON.stringify(attributes)}`);
  return { info: () => {}, warn: line, error: line };
}

function track(stops: Array<() => Promise<void>>) {
  return <S extends RunningService>(service: S): S => {
    stops.push(() => service.stop());
    return service;
  };
}

/** A route of the loaded catalog to show a key working on: the first protected read, as a path and its read scope. */
function exampleRoute(routes: readonly CatalogRoute[]): { path: string; scope: string } | undefined {
  const reads = routes.filter((route) => route.kind === 'protected' && route.method === 'GET');
  const route = reads.find((candidate) => !candidate.path.includes('{')) ?? reads[0];
  if (route === undefined) return undefined;
  // A parameter stands for one segment; any value matches, so the printed call passes the authorizer.
  return { path: route.path.replace(/\{[^}]+\}/g, 'example'), scope: `${route.namespace}:read` };
}

/**
 * What `npm start` prints: every command in it works as printed when pasted into a POSIX shell. The
 * example key reads the loaded catalog's first protected read route, so it works with an operator's
 * own catalog as with the demo's (`messaging:read`, `/v2/conversations/channels/`).
 */
function instructions(values: {
  url: string;
  sesUrl: string;
  dataDir: string;
  eventsFile: string;
  token: string;
  example: { path: string; scope: string } | undefined;
}): string {
  const { url, sesUrl, dataDir, eventsFile, token, example } = values;
  const scope = example?.scope ?? 'apikeys:read';
  const body = `{"name":"My first key","scopes":["${scope}"],"expiresIn":86400}`;
  const create = `curl -s -X POST ${url}/v1/api-keys -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' -d '${body}'`;
  const readKey = `node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).key'`;
  return [
    '',
    'keygate is running locally (Ctrl-C stops it).',
    '',
    `  Console (sign in here)      ${url}/console/`,
    `  API (local API Gateway)     ${url}`,
    `  API reference (OpenAPI)     ${url}/docs`,
    `  Sent email (SES emulator)   ${sesUrl}`,
    `  Data                        ${dataDir}`,
    `  Events (EventBridge)        ${eventsFile}`,
    '',
    'Root-admin token for company "demo", valid 12 h (another: npm run token -- --company <id>):',
    `  ${token}`,
    '',
    'Create an API key (the answer shows its secret, "key", this once):',
    `  ${create}`,
    '',
    'Or create one straight into $KEY and call a protected route with it:',
    `  KEY=$(${create} | ${readKey})`,
    `  curl -s ${url}${example?.path ?? '/v1/api-keys'} -H "Authorization: Bearer $KEY"`,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  if (
    error instanceof StartError ||
    error instanceof JavaMissingError ||
    error instanceof PortInUseError ||
    error instanceof InvalidKeygateConfigError
  ) {
    console.error(error.message);
  } else {
    console.error('keygate could not start:', error);
  }
  process.exit(1);
});
