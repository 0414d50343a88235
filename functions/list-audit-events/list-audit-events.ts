import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { loadEnv, storeEnvSchema } from '../../shared/adapters/config/env.js';
import { DynamoAuditReader } from '../../shared/adapters/dynamodb/dynamo-audit-reader.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { readAuditQuery } from '../../shared/domain/management/audit-query.js';
import { type AuditReadDeps, listAuditEvents } from '../../shared/domain/management/list-audit-events.js';
import { documentClient } from '../management-wiring.js';

/**
 * `GET /v1/audit-events?limit=&cursor=&keyId=&action=` → 200 `{items, nextCursor}`, newest first
 * (nextCursor null on the last page).
 */
export function makeListAuditEvents(deps: AuditReadDeps) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    const caller = callerOf(event);
    const page = await listAuditEvents(deps, caller, readAuditQuery(event));
    return jsonResponse(200, page);
  };
}

/**
 * `makeListAuditEvents` wired to DynamoDB from `env` (only the table: it writes nothing), in the shared
 * middy stack. The reader is built here, not in `management-wiring.ts`, so no other function bundles it.
 */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  const config = loadEnv(storeEnvSchema, env);
  const auditLog = new DynamoAuditReader(documentClient(config.DYNAMODB_ENDPOINT), config.TABLE_NAME);
  return httpHandler('list-audit-events', makeListAuditEvents({ auditLog, catalog }));
}
