import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/api/caller.js';
import { deleteKey } from '../../shared/api/delete-api-key.js';
import { managementDepsFromEnv } from '../../shared/api/management-deps.js';
import { type ApiEvent, httpHandler, noContentResponse } from '../../shared/http/http-handler.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const deps = managementDepsFromEnv();

/** `DELETE /v1/api-keys/{id}` → 204; the key stops working on the very next request. */
export async function deleteApiKey(event: ApiEvent): Promise<APIGatewayProxyResult> {
  await deleteKey(deps, callerOf(event), event.pathParameters?.id);
  return noContentResponse();
}

export const handler = httpHandler('delete-api-key', deleteApiKey);
