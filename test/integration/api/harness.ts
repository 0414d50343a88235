import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { vi } from 'vitest';
import { handlerFromEnv as createApiKey } from '../../../functions/create-api-key/create-api-key.js';
import { handlerFromEnv as deleteApiKey } from '../../../functions/delete-api-key/delete-api-key.js';
import { handlerFromEnv as getApiKey } from '../../../functions/get-api-key/get-api-key.js';
import { handlerFromEnv as listApiKeys } from '../../../functions/list-api-keys/list-api-keys.js';
import { handlerFromEnv as listScopes } from '../../../functions/list-scopes/list-scopes.js';
import { handlerFromEnv as renameApiKey } from '../../../functions/rename-api-key/rename-api-key.js';
import type { ManagementHandler } from '../../../shared/domain/catalog/route-catalog.js';
import { lambdaContext, type ProxyRequest, proxyEvent } from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

type Invoke = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

/** The key functions' composition roots, each as its Lambda builds itself at cold start. */
const KEY_FUNCTIONS = {
  'create-api-key': createApiKey,
  'list-api-keys': listApiKeys,
  'get-api-key': getApiKey,
  'rename-api-key': renameApiKey,
  'delete-api-key': deleteApiKey,
  'list-scopes': listScopes,
} satisfies Partial<Record<ManagementHandler, unknown>>;

/** A handler's answer with its JSON body parsed (tests read it freely, as a client would). */
export interface CallResult {
  status: number;
  headers: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions
  body: any;
  raw: string;
}

export interface Harness {
  table: TestTable;
  /** Every line the handlers wrote to stdout/stderr (the Powertools logger's output). */
  logged: string[];
  /** Calls the handler of the matching catalog route with an API Gateway proxy event. */
  call(request: ProxyRequest): Promise<CallResult>;
  /** Every item of the table, in a stable order, to show that a rejected request changed nothing. */
  scan(): Promise<Array<Record<string, unknown>>>;
}

/**
 * Sets up one test file: a fresh table on DynamoDB Local, and the real functions built by their own
 * composition roots from the management environment a deployment gives them. Handler output is
 * captured rather than printed, so tests can assert what was logged.
 */
export async function startHarness(): Promise<Harness> {
  const table = await createTestTable();
  const env = {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    KEY_PREFIX: 'wsk-v1-',
    RETENTION_DAYS: '30',
  };
  // Powertools reads its level from the process: everything it would log is checked for secrets.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');

  const logged: string[] = [];
  const capture = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);

  const handlers = new Map<string, Invoke>(
    Object.entries(KEY_FUNCTIONS).map(([name, fromEnv]) => [
      name,
      fromEnv(env, CATALOG) as unknown as Invoke,
    ]),
  );

  return {
    table,
    logged,
    async call(request) {
      const event = proxyEvent(request);
      const route = CATALOG.match(request.method, request.path)?.route.handler as string;
      const handler = handlers.get(route);
      if (handler === undefined) throw new Error(`no handler for ${request.method} ${request.path}`);
      const response = await handler(event, lambdaContext(route));
      const raw = response.body ?? '';
      return {
        status: response.statusCode,
        headers: response.headers ?? {},
        body: raw === '' ? undefined : JSON.parse(raw),
        raw,
      };
    },
    async scan() {
      const items: Array<Record<string, unknown>> = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await table.doc.send(
          new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      const order = (item: Record<string, unknown>) => `${item.pk}\u0000${item.sk}`;
      return items.sort((a, b) => (order(a) < order(b) ? -1 : 1));
    },
  };
}
