import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { renameKey } from '../../shared/domain/management/rename-api-key.js';
import { auditedWriteHandler, managementDepsFromEnv } from '../management-wiring.js';

/** `PATCH /v1/api-keys/{id}` with `{name}` → 200 with the renamed record; nothing else can change. */
export function makeRenameApiKey(deps: ManagementDeps) {
  return async (event: JsonEvent): Promise<APIGatewayProxyResult> => {
    const key = await renameKey(deps, callerOf(event), event.pathParameters?.id, event.body);
    return jsonResponse(200, key);
  };
}

/** `makeRenameApiKey` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return auditedWriteHandler('rename-api-key', env, catalog, makeRenameApiKey, managementDepsFromEnv, {
    keys: true,
    body: 'json',
  });
}
