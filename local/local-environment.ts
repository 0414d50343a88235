import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type DeploymentSettings, FUNCTION_NAMES, functionEnvironment } from '../functions/registry.js';
import { DEFAULT_EVENT_BUS } from '../shared/adapters/config/keygate-config.js';
import { devIssuerIdentity } from './dev-issuer.js';

/**
 * What local mode's pieces share: where the data lives, the settings every function's environment is
 * built from (the same builder the CDK stack uses, pointed at the local emulators), and the
 * `<dataDir>/local-stack.json` file through which other commands (`npm run notify`) find the
 * services a running `npm start` started.
 */

export const LOCAL_TABLE_NAME = 'keygate';
export const LOCAL_KEY_PREFIX = 'wsk-v1-';
export const DEFAULT_DATA_DIR = '.keygate';
export const DEFAULT_PORT = 3000;
export const DEFAULT_SES_PORT = 8005;

/** The data directory: `KEYGATE_DATA_DIR`, or `.keygate/` under the working directory. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.KEYGATE_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
}

/** Where DynamoDB Local keeps its files inside the data directory. */
export function dynamoDbDirectory(dataDir: string): string {
  return join(dataDir, 'dynamodb');
}

export interface LocalServices {
  /** The gateway's port on this machine (the authorizer fetches the JWKS from it). */
  gatewayPort: number;
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
}

/**
 * The settings local mode deploys with: the values the stack takes from its config and resources,
 * pointed at the local emulators. Every function's environment is built from them by the registry,
 * exactly as the stack builds it (`functions/registry.ts`).
 */
export function localSettings(services: LocalServices): DeploymentSettings {
  return {
    tableName: services.tableName,
    keyPrefix: LOCAL_KEY_PREFIX,
    retentionDays: 30,
    auditRetentionDays: 365,
    lastUsedIntervalSeconds: 60,
    // No authorizer caching, as deployed by default: a deleted key fails on the very next request.
    authorizerCacheTtlSeconds: 0,
    identity: devIssuerIdentity(`http://127.0.0.1:${services.gatewayPort}`),
    senderAddress: 'keygate@example.com',
    consoleUrl: `http://localhost:${services.gatewayPort}/console/`,
    // Local mode's events go to events.jsonl and the console (local/local-event-sink.ts), not to a bus.
    eventBusName: DEFAULT_EVENT_BUS,
    dynamoEndpoint: services.dynamoEndpoint,
    sesEndpoint: services.sesEndpoint,
  };
}

/** Every function's local environment together (what a process running them all would be given). */
export function localFunctionEnvironment(services: LocalServices): Record<string, string> {
  const settings = localSettings(services);
  return Object.assign({}, ...FUNCTION_NAMES.map((name) => functionEnvironment(name, settings)));
}

/**
 * What the process needs beside the functions' own variables: a region, and dummy AWS credentials
 * when none are set (the emulators accept any; the SDK refuses to sign without some).
 */
export function applyProcessEnvironment(): void {
  // Always this one: DynamoDB Local keeps one database per region (and key), so the data persists.
  process.env.AWS_REGION = 'us-east-1';
  // Set even under AWS_PROFILE: environment credentials come first in the SDK's chain, so no SSO or
  // profile lookup runs for calls that only ever reach local emulators.
  if (!process.env.AWS_ACCESS_KEY_ID) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    delete process.env.AWS_SESSION_TOKEN;
  }
}

/** `<dataDir>/local-stack.json`: the services of the `npm start` that is running on this data directory. */
export interface LocalStackFile extends LocalServices {
  pid: number;
  gatewayUrl: string;
  startedAt: string;
}

const STACK_FILE = 'local-stack.json';

export async function writeLocalStackFile(dataDir: string, stack: LocalStackFile): Promise<void> {
  await writeFile(join(dataDir, STACK_FILE), `${JSON.stringify(stack, null, 2)}\n`);
}

export async function removeLocalStackFile(dataDir: string): Promise<void> {
  await rm(join(dataDir, STACK_FILE), { force: true });
}

/** The running `npm start`'s services on this data directory, or undefined when none runs. */
export async function readLocalStackFile(dataDir: string): Promise<LocalStackFile | undefined> {
  let stack: LocalStackFile;
  try {
    stack = JSON.parse(await readFile(join(dataDir, STACK_FILE), 'utf8')) as LocalStackFile;
  } catch {
    return undefined;
  }
  // A file left by a process that was killed outright names services that are gone.
  return isAlive(stack.pid) ? stack : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
