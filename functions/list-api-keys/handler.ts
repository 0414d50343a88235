import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { listKeys } from '../../shared/domain/management/list-api-keys.js';
import { readListQuery } from '../../shared/domain/management/request-schemas.js';
import { managementDepsFromEnv } from '../management-wiring.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const deps = managementDepsFromEnv();

/** `GET /v1/api-keys?limit=&cursor=` → 200 `{items, nextCursor}` (nextCursor null on the last page). */
export async function listApiKeys(event: ApiEvent): Promise<APIGatewayProxyResult> {
  const caller = callerOf(event);
  const page = await listKeys(deps, caller, readListQuery(event));
  return jsonResponse(200, page);
}

export const handler = httpHandler('list-api-keys', listApiKeys);
