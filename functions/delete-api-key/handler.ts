import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, noContentResponse } from '../../shared/adapters/http/http-handler.js';
import { deleteKey } from '../../shared/domain/management/delete-api-key.js';
import { managementDepsFromEnv } from '../management-wiring.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const deps = managementDepsFromEnv();

/** `DELETE /v1/api-keys/{id}` → 204; the key stops working on the very next request. */
export async function deleteApiKey(event: ApiEvent): Promise<APIGatewayProxyResult> {
  await deleteKey(deps, callerOf(event), event.pathParameters?.id);
  return noContentResponse();
}

export const handler = httpHandler('delete-api-key', deleteApiKey);
