import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from '../../local/dynamodb-local.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyStore } from '../../shared/adapters/dynamodb/dynamo-key-store.js';
import { digestApiKey, displayPrefix, generateApiKey } from '../../shared/domain/keys/key-format.js';
import { newKeyId } from '../../shared/domain/keys/key-id.js';

/**
 * Drives the web console as a person would: `npm start` in a child process (its own data directory
 * and ports), and Debian's Chromium through playwright-core with a new, empty profile. Used by the
 * browser tests and by the screenshot script. Never downloads a browser.
 */

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url);
const TSX_CLI = new URL('node_modules/tsx/dist/cli.mjs', ROOT).pathname;
const AXE = new URL('node_modules/axe-core/axe.min.js', ROOT).pathname;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails, saying how to install it, when Chromium is not where Debian's package puts it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get update && sudo apt-get install -y chromium`,
    );
  }
}

export interface RunningKeygate {
  /** `http://localhost:<port>` */
  url: string;
  consoleUrl: string;
  output: () => string;
  dynamoEndpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

/** `npm start` (through tsx, as the npm-start e2e does) on free ports and a fresh data directory. */
export async function startKeygate(): Promise<RunningKeygate> {
  const dataDir = await mkdtemp(join(tmpdir(), 'keygate-console-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [TSX_CLI, 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KEYGATE_DATA_DIR: dataDir,
      PORT: String(port),
      SES_PORT: String(await freePort()),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!/KEY=\$\(/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stack = JSON.parse(await readFile(join(dataDir, 'local-stack.json'), 'utf8')) as {
    dynamoEndpoint: string;
    tableName: string;
  };
  const url = `http://localhost:${port}`;
  return {
    url,
    consoleUrl: `${url}/console/`,
    output: () => output,
    dynamoEndpoint: stack.dynamoEndpoint,
    tableName: stack.tableName,
    stop,
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Chromium with a new, empty profile, allowed to use the clipboard (for "Copy"). */
export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'keygate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    permissions: ['clipboard-read', 'clipboard-write'],
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the development issuer's page, as `company`, and waits for the key list. */
export async function signIn(page: Page, consoleUrl: string, company: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Company').fill(company);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Company API Keys' }).waitFor();
}

/**
 * Writes a key that expired a minute ago straight to the table, as the e2e tests do: the API never
 * creates a key that is already expired.
 */
export async function seedExpiredKey(
  keygate: RunningKeygate,
  companyId: string,
  name: string,
): Promise<{ id: string; keyPrefix: string }> {
  const doc = createDocumentClient({ endpoint: keygate.dynamoEndpoint, region: 'us-east-1' });
  try {
    const store = new DynamoKeyStore(doc, keygate.tableName);
    const key = generateApiKey('wsk-v1-');
    const now = new Date();
    const expiresAt = new Date(now.getTime() - 60_000);
    const record = {
      id: newKeyId(now),
      companyId,
      name,
      keyPrefix: displayPrefix(key, 'wsk-v1-'),
      scopes: ['messaging:read', 'users:read'],
      allowedIps: [],
      createdAt: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
      createdBy: 'admin@example.com',
      expiresAt: expiresAt.toISOString(),
      lastUsedAt: null,
      enabled: true,
      rotatedFrom: null,
      rotatedTo: null,
    };
    await store.create(record, digestApiKey(key), Math.floor(expiresAt.getTime() / 1000) + 30 * 86_400);
    return { id: record.id, keyPrefix: record.keyPrefix };
  } finally {
    doc.destroy();
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core on the page and returns the serious and critical violations. The script is
 * evaluated through the DevTools protocol, which the page's CSP does not govern (an injected
 * `<script>` would be refused by `script-src 'self'`, as it should be).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await readFile(AXE, 'utf8');
  await page.evaluate(source);
  // A string, so it runs in the page without DOM types here: the whole document, violations only.
  const violations = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  );
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
