import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { vi } from 'vitest';
import { MANAGEMENT_FUNCTION_NAMES } from '../../../functions/registry.js';
import { functionLoader } from '../../../local/functions.js';
import { localSettings } from '../../../local/local-environment.js';
import { lambdaContext, type ProxyRequest, proxyEvent } from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

type Invoke = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

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
  /**
   * The table split for a refused (403) request, which changes nothing but records itself: every item
   * but the `access.denied` records, and those records (`[action, operation, target keyId]`).
   */
  scanRefused(): Promise<{ unchanged: Array<Record<string, unknown>>; refusals: unknown[][] }>;
}

/**
 * Sets up one test file: a fresh table on DynamoDB Local, and every management function of the
 * registry (`functions/registry.ts`, the one list of functions) built by its own composition root
 * from the environment the registry gives it — as local mode builds them, so adding a function to the
 * registry adds it here. Handler output is captured rather than printed, so tests can assert what
 * was logged.
 */
export async function startHarness(): Promise<Harness> {
  const table = await createTestTable();
  // Only the table is used: the management functions read no identity or SES settings.
  const settings = localSettings({
    gatewayPort: 0,
    dynamoEndpoint: table.endpoint,
    sesEndpoint: 'http://127.0.0.1:0',
    tableName: table.tableName,
  });
  // Powertools reads its level from the process: everything it would log is checked for secrets.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');

  const logged: string[] = [];
  const capture = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);

  const load = functionLoader(settings, CATALOG);
  const handlers = new Map<string, Invoke>(
    await Promise.all(
      MANAGEMENT_FUNCTION_NAMES.map(async (name) => [name, (await load(name)) as unknown as Invoke] as const),
    ),
  );

  async function scan() {
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
    scan,
    async scanRefused() {
      const items = await scan();
      const denied = (item: Record<string, unknown>) => item.action === 'access.denied';
      return {
        unchanged: items.filter((item) => !denied(item)),
        refusals: items.filter(denied).map((item) => {
          const changes = item.changes as { operation: string };
          const target = item.target as { keyId: string } | null;
          return [item.action, changes.operation, target?.keyId ?? null];
        }),
      };
    },
  };
}
