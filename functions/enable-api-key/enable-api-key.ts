import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { setKeyEnabled } from '../../shared/domain/management/set-key-enabled.js';
import { auditedWriteHandler, managementDepsFromEnv } from '../management-wiring.js';

/** `POST /v1/api-keys/{id}/enable` → 200 with the record, enabled (idempotent). */
export function makeEnableApiKey(deps: ManagementDeps) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> => {
    const key = await setKeyEnabled(deps, callerOf(event), event.pathParameters?.id, true);
    return jsonResponse(200, key);
  };
}

/** `makeEnableApiKey` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return auditedWriteHandler('enable-api-key', env, catalog, makeEnableApiKey, managementDepsFromEnv, {
    keys: true,
    body: 'none',
  });
}
