import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { vi } from 'vitest';
import { CATALOG, type ManagementHandler } from '../../../shared/domain/catalog/route-catalog.js';
import { lambdaContext, type ProxyRequest, proxyEvent } from '../../support/api-gateway-events.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

type Invoke = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

export const KEY_HANDLERS = [
  'create-api-key',
  'list-api-keys',
  'get-api-key',
  'rename-api-key',
  'delete-api-key',
  'list-scopes',
] as const satisfies readonly ManagementHandler[];

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
 * Sets up one test file: a fresh table on DynamoDB Local, the management environment as a deployment
 * sets it, then the real handler modules imported (so they read the environment at "cold start").
 * Handler output is captured rather than printed, so tests can assert what was logged.
 */
export async function startHarness(): Promise<Harness> {
  const table = await createTestTable();
  vi.stubEnv('TABLE_NAME', table.tableName);
  vi.stubEnv('DYNAMODB_ENDPOINT', table.endpoint);
  vi.stubEnv('KEY_PREFIX', 'wsk-v1-');
  vi.stubEnv('RETENTION_DAYS', '30');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');

  const logged: string[] = [];
  const capture = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);

  const handlers = new Map<string, Invoke>();
  for (const name of KEY_HANDLERS) {
    const module = (await import(`../../../functions/${name}/handler.ts`)) as { handler: Invoke };
    handlers.set(name, module.handler);
  }

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
