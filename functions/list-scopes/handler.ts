import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { listScopes as describeScopes } from '../../shared/domain/management/list-scopes.js';

/** `GET /v1/scopes` → 200 with the scope catalog, for scope pickers. Needs no table: it is the route catalog. */
export async function listScopes(event: ApiEvent): Promise<APIGatewayProxyResult> {
  return jsonResponse(200, describeScopes(callerOf(event)));
}

export const handler = httpHandler('list-scopes', listScopes);
