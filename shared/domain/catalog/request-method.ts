import type { HttpMethod } from './catalog-types.js';

/**
 * Whether a route of `routeMethod` answers a request of `requestMethod` (both upper case): the same
 * method, and HEAD wherever GET is (DESIGN.md: GET and HEAD are reads; every GET route also answers
 * HEAD, with the same scopes). The one place the HEAD rule lives.
 */
export const routeAnswers = (routeMethod: string, requestMethod: string): boolean =>
  routeMethod === requestMethod || (requestMethod === 'HEAD' && routeMethod === 'GET');

/** The request methods a route of `routeMethod` answers (`routeAnswers`): a GET route's are GET and HEAD. */
export const methodsAnswered = (routeMethod: HttpMethod): HttpMethod[] =>
  routeMethod === 'GET' ? ['GET', 'HEAD'] : [routeMethod];
