import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { decodeCaller } from '../../shared/adapters/apigateway/authorizer-context.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';

/**
 * The default integration of protected routes: answers who called which route, so a deployment (or
 * `npm start`) works end to end before the company's real APIs are wired in.
 */

/** What the echo integration answers with 200. */
export interface EchoResponse {
  /** The catalog route id, e.g. `GET /v2/conversations/channels/`. */
  route: string;
  companyId: string;
  keyId: string;
  scopes: string[];
}

/**
 * Echoes the matched catalog route and the calling key. Throws (a fault: API Gateway answers 502)
 * when the route is not in the catalog or the request carries no key context, which only a
 * misconfigured gateway can cause.
 */
export function makeEcho(catalog: RouteCatalog) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    // The real path, as the authorizer matched it: protected routes share greedy proxy resources.
    const route = catalog.match(event.httpMethod, event.path)?.route;
    if (!route) throw new Error('echo: the request is not a catalog route');
    const caller = decodeCaller(event.requestContext.authorizer);
    if (caller?.kind !== 'key') throw new Error('echo: the request carries no API key context');
    const body: EchoResponse = {
      route: route.id,
      companyId: caller.companyId,
      keyId: caller.keyId,
      scopes: caller.scopes,
    };
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(body),
    };
  };
}

/** `makeEcho` as a Lambda; it reads no environment. */
export function handlerFromEnv(_env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(makeEcho(catalog));
}
