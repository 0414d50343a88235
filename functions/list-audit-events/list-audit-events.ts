import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { type AuditReadDeps, listAuditEvents } from '../../shared/domain/management/list-audit-events.js';
import { readAuditQuery } from '../../shared/domain/management/request-schemas.js';
import { auditReadDepsFromEnv } from '../management-wiring.js';

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

/** `makeListAuditEvents` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return httpHandler('list-audit-events', makeListAuditEvents(auditReadDepsFromEnv(env, catalog)));
}
