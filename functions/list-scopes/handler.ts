import type { APIGatewayProxyResult } from 'aws-lambda';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { listScopes as describeScopes } from '../../shared/domain/management/list-scopes.js';
import { callerOf } from '../../shared/domain/management/permissions.js';

/** `GET /v1/scopes` → 200 with the scope catalog, for scope pickers. Needs no table: it is the route catalog. */
export async function listScopes(event: ApiEvent): Promise<APIGatewayProxyResult> {
  return jsonResponse(200, describeScopes(callerOf(event)));
}

export const handler = httpHandler('list-scopes', listScopes);
