import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { createKey } from '../../shared/domain/management/create-api-key.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { auditedWriteHandler, managementDepsFromEnv } from '../management-wiring.js';

/**
 * `POST /v1/api-keys` → 201 with the key record and `key`, the secret, shown this once
 * (`Cache-Control: no-store`; the response body is never logged).
 */
export function makeCreateApiKey(deps: ManagementDeps) {
  return async (event: JsonEvent): Promise<APIGatewayProxyResult> => {
    const created = await createKey(deps, callerOf(event), event.body);
    return jsonResponse(201, created);
  };
}

/** `makeCreateApiKey` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return auditedWriteHandler('create-api-key', env, catalog, makeCreateApiKey, managementDepsFromEnv, {
    keys: false,
    body: 'json',
  });
}
