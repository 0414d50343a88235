import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { functionEnvironment } from '../../functions/registry.js';
import {
  buildProxyEvent,
  type IncomingRequest,
  LOCAL_API,
  lambdaContext,
} from '../../local/api-gateway-events.js';
import { localSettings } from '../../local/local-environment.js';
import { encodeCaller } from '../../shared/adapters/apigateway/authorizer-context.js';
import { sharedDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { CATALOG } from '../support/catalog.js';
import { countDynamoCalls } from './dynamo-call-counter.js';
import { type LatencySummary, measureLoop } from './measure.js';
import { loadKeys } from './notifier-scaling.js';
import { bulkKeyIds } from './seed.js';

/**
 * Scenario 6: `GET /v1/api-keys` — the deployed list function's middy handler, in process, against
 * DynamoDB Local — on the first page and a deep page of a company with 10,000 keys, beside the first
 * page of a company with 100. A page's cost must not depend on how many keys the company has.
 */

const DAY_MS = 86_400_000;

export interface PageResult extends LatencySummary {
  company: string;
  companyKeys: number;
  page: number;
  itemsOnPage: number;
  /** Items DynamoDB read for one page (Query ScannedCount + BatchGetItem keys). */
  itemsReadPerPage: number;
  callsPerPage: Record<string, number>;
}

export interface ListingResult {
  pageSize: number;
  loadSeconds: number;
  pages: PageResult[];
}

type ListHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The list function as deployed: its own composition root (`handlerFromEnv`) given the environment
 * the registry builds for it (as the stack and local mode build it) pointed at `tableName`, and the
 * shipped catalog as a value (its `handler.ts` reads `catalog.json` beside the bundle, which only
 * synth writes).
 */
async function loadListHandler(endpoint: string, tableName: string): Promise<ListHandler> {
  const settings = localSettings({ gatewayPort: 0, dynamoEndpoint: endpoint, sesEndpoint: '', tableName });
  const env: NodeJS.ProcessEnv = {
    ...functionEnvironment('list-api-keys', settings),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  // The SDK reads its region and credentials from the process, as in Lambda.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_REGION ??= 'us-east-1';
  const { handlerFromEnv } = await import('../../functions/list-api-keys/list-api-keys.js');
  return handlerFromEnv(env, CATALOG) as ListHandler;
}

function listEvent(companyId: string, cursor: string | undefined): APIGatewayProxyEvent {
  const request: IncomingRequest = {
    requestId: 'bench-list',
    method: 'GET',
    path: '/v1/api-keys',
    rawHeaders: ['Host', 'api.example.com'],
    query: cursor === undefined ? [] : [['cursor', cursor]],
    sourceIp: '203.0.113.7',
    body: undefined,
    receivedAt: new Date(),
  };
  const caller = encodeCaller({ kind: 'root-admin', companyId, subject: 'bench-admin' });
  return buildProxyEvent(LOCAL_API, request, { resource: '/v1/api-keys', pathParameters: {} }, 443, {
    ...caller,
    principalId: 'bench-admin',
  });
}

interface Page {
  items: Array<{ id: string }>;
  nextCursor: string | null;
}

async function listPage(handler: ListHandler, companyId: string, cursor: string | undefined): Promise<Page> {
  const response = await handler(
    listEvent(companyId, cursor),
    lambdaContext(LOCAL_API, 'keygate-list-api-keys', 'bench', 29_000),
  );
  if (response.statusCode !== 200) throw new Error(`list answered ${response.statusCode}: ${response.body}`);
  return JSON.parse(response.body) as Page;
}

export async function benchListing(
  endpoint: string,
  seedDoc: DynamoDBDocumentClient,
  tableName: string,
  options: { bigCompanyKeys: number; smallCompanyKeys: number; deepPage: number },
): Promise<ListingResult> {
  const now = new Date();
  const companyKeys = (companyId: string, count: number) =>
    bulkKeyIds(count, now).map(({ keyId, createdAt }, i) => ({
      companyId,
      keyId,
      createdAt,
      expiresAt: new Date(now.getTime() + (30 + (i % 300)) * DAY_MS),
    }));
  const big = 'listing-big';
  const small = 'listing-small';
  const loadSeconds = await loadKeys(
    seedDoc,
    tableName,
    [...companyKeys(big, options.bigCompanyKeys), ...companyKeys(small, options.smallCompanyKeys)],
    { lookupItems: true },
  );

  const handler = await loadListHandler(endpoint, tableName);
  const counter = countDynamoCalls(sharedDocumentClient({ endpoint }));
  try {
    // Walk to the deep page once, checking the pages are full, newest first and never repeat a key.
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pageSize = 0;
    for (let page = 1; page < options.deepPage; page++) {
      const { items, nextCursor } = await listPage(handler, big, cursor);
      pageSize ||= items.length;
      for (const item of items) {
        if (seen.has(item.id)) throw new Error(`page ${page} repeats key ${item.id}`);
        seen.add(item.id);
      }
      if (items.length !== pageSize || nextCursor === null) throw new Error(`page ${page} is short or last`);
      cursor = nextCursor;
    }
    const deepCursor = cursor;

    const measurePage = async (
      companyId: string,
      keys: number,
      page: number,
      pageCursor: string | undefined,
    ) => {
      const first = await listPage(handler, companyId, pageCursor);
      counter.reset();
      const loop = { warmup: 3, iterations: 20, rounds: 3 };
      const summary = await measureLoop(() => listPage(handler, companyId, pageCursor), loop);
      const pages = loop.warmup + loop.iterations * loop.rounds;
      const callsPerPage = Object.fromEntries(
        Object.entries(counter.byKind()).map(([kind, count]) => [kind, count / pages]),
      );
      return {
        ...summary,
        company: companyId,
        companyKeys: keys,
        page,
        itemsOnPage: first.items.length,
        itemsReadPerPage: counter.itemsRead() / pages,
        callsPerPage,
      };
    };
    const pages: PageResult[] = [
      await measurePage(small, options.smallCompanyKeys, 1, undefined),
      await measurePage(big, options.bigCompanyKeys, 1, undefined),
      await measurePage(big, options.bigCompanyKeys, options.deepPage, deepCursor),
    ];
    return { pageSize, loadSeconds, pages };
  } finally {
    counter.detach();
  }
}
