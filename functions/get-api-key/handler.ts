import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { getKey } from '../../shared/domain/management/get-api-key.js';
import { managementDepsFromEnv } from '../management-wiring.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const deps = managementDepsFromEnv();

/** `GET /v1/api-keys/{id}` → 200 with the key record; 404 unless the key is the caller's company's. */
export async function getApiKey(event: ApiEvent): Promise<APIGatewayProxyResult> {
  const key = await getKey(deps, callerOf(event), event.pathParameters?.id);
  return jsonResponse(200, key);
}

export const handler = httpHandler('get-api-key', getApiKey);
