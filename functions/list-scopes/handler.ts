import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/api/caller.js';
import { listScopes as describeScopes } from '../../shared/api/list-scopes.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/http/http-handler.js';

/** `GET /v1/scopes` → 200 with the scope catalog, for scope pickers. Needs no table: it is the route catalog. */
export async function listScopes(event: ApiEvent): Promise<APIGatewayProxyResult> {
  return jsonResponse(200, describeScopes(callerOf(event)));
}

export const handler = httpHandler('list-scopes', listScopes);
