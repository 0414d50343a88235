import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { httpHandler, type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { createKey } from '../../shared/domain/management/create-api-key.js';
import { managementDepsFromEnv } from '../management-wiring.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const deps = managementDepsFromEnv();

/**
 * `POST /v1/api-keys` → 201 with the key record and `key`, the secret, shown this once
 * (`Cache-Control: no-store`; the response body is never logged).
 */
export async function createApiKey(event: JsonEvent): Promise<APIGatewayProxyResult> {
  const created = await createKey(deps, callerOf(event), event.body);
  return jsonResponse(201, created);
}

export const handler = httpHandler('create-api-key', createApiKey, { jsonBody: true });
