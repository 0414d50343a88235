import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { getKey } from '../../shared/domain/management/get-api-key.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { managementDepsFromEnv } from '../management-wiring.js';

/** `GET /v1/api-keys/{id}` → 200 with the key record; 404 unless the key is the caller's company's. */
export function makeGetApiKey(deps: ManagementDeps) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    const key = await getKey(deps, callerOf(event), event.pathParameters?.id);
    return jsonResponse(200, key);
  };
}

/** `makeGetApiKey` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return httpHandler('get-api-key', makeGetApiKey(managementDepsFromEnv(env, catalog)));
}
