import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { listKeys } from '../../shared/domain/management/list-api-keys.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { readListQuery } from '../../shared/domain/management/request-schemas.js';
import { managementDepsFromEnv } from '../management-wiring.js';

/** `GET /v1/api-keys?limit=&cursor=` → 200 `{items, nextCursor}` (nextCursor null on the last page). */
export function makeListApiKeys(deps: ManagementDeps) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    const caller = callerOf(event);
    const page = await listKeys(deps, caller, readListQuery(event));
    return jsonResponse(200, page);
  };
}

/** `makeListApiKeys` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return httpHandler('list-api-keys', makeListApiKeys(managementDepsFromEnv(env, catalog)));
}
