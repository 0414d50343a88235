import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { httpHandler, type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { renameKey } from '../../shared/domain/management/rename-api-key.js';
import { managementDepsFromEnv } from '../management-wiring.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const deps = managementDepsFromEnv();

/** `PATCH /v1/api-keys/{id}` with `{name}` → 200 with the renamed record; nothing else can change. */
export async function renameApiKey(event: JsonEvent): Promise<APIGatewayProxyResult> {
  const key = await renameKey(deps, callerOf(event), event.pathParameters?.id, event.body);
  return jsonResponse(200, key);
}

export const handler = httpHandler('rename-api-key', renameApiKey, { jsonBody: true });
