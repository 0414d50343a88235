import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, noContentResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { deleteKey } from '../../shared/domain/management/delete-api-key.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { auditedWriteHandler, managementDepsFromEnv } from '../management-wiring.js';

/** `DELETE /v1/api-keys/{id}` → 204; the key stops working on the very next request. */
export function makeDeleteApiKey(deps: ManagementDeps) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    await deleteKey(deps, callerOf(event), event.pathParameters?.id);
    return noContentResponse();
  };
}

/** `makeDeleteApiKey` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return auditedWriteHandler('delete-api-key', env, catalog, makeDeleteApiKey, managementDepsFromEnv, {
    keys: true,
    body: 'none',
  });
}
