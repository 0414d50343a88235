import { afterAll, beforeAll, expect, vi } from 'vitest';
import { createTestTable, type TestTable } from './dynamo.js';
import { bootLocalGateway, call, type GatewayUnderTest, type JsonAnswer } from './local-gateway.js';

/**
 * The e2e files that check "no secret in any log line": a fresh table, the local gateway with its
 * handlers logging at INFO, and everything they write to stdout/stderr captured instead of printed.
 */

/** A 201 body of `POST /v1/api-keys`: the record and its secret `key`. */
export interface CreatedKey {
  id: string;
  key: string;
  name: string;
  expiresAt: string;
  allowedIps: string[];
  [field: string]: unknown;
}

export interface LoggedGateway {
  /** The table of this file (set once `beforeAll` ran). */
  readonly table: TestTable;
  /** The gateway of this file (set once `beforeAll` ran). */
  readonly gateway: GatewayUnderTest;
  /** Every chunk the process wrote to stdout or stderr while the file ran. */
  readonly logged: string[];
  /** Every secret the file saw, to check that none reaches a log line. */
  readonly secrets: Set<string>;
  /** Calls the gateway over IPv4 loopback (`call` of `local-gateway.ts`). */
  api(method: string, path: string, options?: Parameters<typeof call>[3]): Promise<JsonAnswer>;
  /** Creates a key through the API as `token` (name "test key" unless given), expects 201, keeps its secret. */
  createKey(token: string, body: Record<string, unknown>): Promise<CreatedKey>;
}

/** Registers the file's `beforeAll`/`afterAll` hooks and returns what they set up. */
export function useLoggedGateway(): LoggedGateway {
  let table: TestTable | undefined;
  let gateway: GatewayUnderTest | undefined;
  const logged: string[] = [];
  const secrets = new Set<string>();

  beforeAll(async () => {
    // Handlers log at INFO here (decisions, rejections), captured instead of printed.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
    }
    table = await createTestTable();
    gateway = await bootLocalGateway({
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      logLevel: 'INFO',
      // The access and fault lines too, as npm start writes them (captured by the spy above).
      log: (line) => process.stdout.write(`[gateway] ${line}\n`),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await table?.drop();
    vi.restoreAllMocks();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is set up in beforeAll`);
    return value;
  };
  const context: LoggedGateway = {
    get table() {
      return ready(table, 'table');
    },
    get gateway() {
      return ready(gateway, 'gateway');
    },
    logged,
    secrets,
    api: (method, path, options = {}) => call(context.gateway.url, method, path, options),
    async createKey(token, body) {
      const created = await context.api('POST', '/v1/api-keys', {
        auth: token,
        body: { name: 'test key', ...body },
      });
      expect(created.status, JSON.stringify({ ...created.body, key: undefined })).toBe(201);
      secrets.add(created.body.key);
      return created.body as CreatedKey;
    },
  };
  return context;
}
