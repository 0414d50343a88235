import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { listScopes } from '../../shared/domain/management/list-scopes.js';

/** `GET /v1/scopes` → 200 with the scope catalog, for scope pickers. Needs no table: it is the route catalog. */
export function makeListScopes(catalog: RouteCatalog) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> =>
    jsonResponse(200, listScopes(catalog, callerOf(event)));
}

/** `makeListScopes` in the shared middy stack; it reads no environment. */
export function handlerFromEnv(_env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return httpHandler('list-scopes', makeListScopes(catalog));
}
