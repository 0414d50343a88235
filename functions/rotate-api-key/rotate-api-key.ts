import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import type { ManagementDeps } from '../../shared/domain/management/management-deps.js';
import { rotateKey } from '../../shared/domain/management/rotate-api-key.js';
import { auditedWriteHandler, managementDepsFromEnv } from '../management-wiring.js';

/** `POST /v1/api-keys/{id}/rotate` with `{gracePeriodSeconds?}` → 201 with the new key and its secret, this once. */
export function makeRotateApiKey(deps: ManagementDeps) {
  return async (event: JsonEvent): Promise<APIGatewayProxyResult> => {
    const rotated = await rotateKey(deps, callerOf(event), event.pathParameters?.id, event.body);
    return jsonResponse(201, rotated);
  };
}

/** `makeRotateApiKey` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return auditedWriteHandler('rotate-api-key', env, catalog, makeRotateApiKey, managementDepsFromEnv, {
    keys: true,
    body: 'json',
  });
}
