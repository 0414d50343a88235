import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type DevIssuer, loadDevIssuer } from '../../local/dev-issuer.js';
import { freePort } from '../../local/dynamodb-local.js';
import { functionLoader } from '../../local/functions.js';
import { type LocalGateway, startLocalGateway } from '../../local/gateway.js';
import { applyProcessEnvironment, localSettings } from '../../local/local-environment.js';
import { CATALOG } from './catalog.js';
import { assertConformsToDocument } from './openapi-contract.js';

/**
 * Boots the local gateway in this test process, on a free port of both loopbacks, with the real
 * handlers pointed at a DynamoDB Local table and the run's SES emulator — the same wiring as
 * `npm start`: each function's environment built by the registry from the local settings.
 */

export interface GatewayUnderTest {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://[::1]:<port>` */
  urlV6: string;
  port: number;
  dataDir: string;
  issuer: DevIssuer;
  /** A root-admin token from the development issuer, as `npm run token` prints it. */
  adminToken(companyId: string, email?: string): Promise<string>;
  close(): Promise<void>;
}

export async function bootLocalGateway(options: {
  dynamoEndpoint: string;
  tableName: string;
  /** Default: a free port. Reuse a port to "restart" the gateway. */
  port?: number;
  /** Default: a fresh temporary directory (removed on close). */
  dataDir?: string;
  /** Powertools log level of the handlers. Default SILENT (KEYGATE_TEST_LOGS=1: DEBUG). */
  logLevel?: string;
  /** The gateway's own log (access and fault lines), as npm start writes it. Default: silent. */
  log?: (line: string) => void;
}): Promise<GatewayUnderTest> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'keygate-e2e-')));
  const settings = localSettings({
    gatewayPort: port,
    dynamoEndpoint: options.dynamoEndpoint,
    sesEndpoint: inject('sesEndpoint'),
    tableName: options.tableName,
  });
  applyProcessEnvironment();
  // The handlers' decision logs would drown the test output; KEYGATE_TEST_LOGS=1 shows them.
  process.env.POWERTOOLS_LOG_LEVEL = options.logLevel ?? (process.env.KEYGATE_TEST_LOGS ? 'DEBUG' : 'SILENT');
  const issuer = await loadDevIssuer(dataDir);
  const gateway: LocalGateway = await startLocalGateway({
    port,
    jwks: issuer.jwks,
    catalog: CATALOG,
    loadHandler: functionLoader(settings, CATALOG),
    keyPrefix: settings.keyPrefix,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    url: `http://127.0.0.1:${port}`,
    urlV6: `http://[::1]:${port}`,
    port,
    dataDir,
    issuer,
    adminToken: (companyId, email) => issuer.mintRootAdminToken({ companyId, ...(email ? { email } : {}) }),
    async close() {
      await gateway.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON HTTP answer: status, headers and the parsed body (undefined when empty). */
export interface JsonAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields and assert on them.
  body: any;
}

/**
 * Calls the gateway. `auth` is sent as `Authorization: Bearer <auth>`; `body` is JSON-encoded unless
 * it is already a string (to send malformed JSON).
 */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== undefined) headers.Authorization = `Bearer ${options.auth}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const answer = {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
  // Every answer of a documented management operation must match docs/openapi.json (issue 12).
  assertConformsToDocument(method, path.split('?')[0] ?? path, {
    status: answer.status,
    contentType: response.headers.get('content-type'),
    body: answer.body,
  });
  return answer;
}
