import { renderGatewayResponse } from '../shared/adapters/apigateway/gateway-responses.js';

/**
 * The request target (RFC 9112 §3.2) as the local gateway accepts it: origin-form only, a path
 * starting with `/` and an optional query. API Gateway serves paths; the other forms (`*` of
 * `OPTIONS *`, absolute-form `http://host/x`, authority-form `host:443`) and anything a URL parser
 * refuses are the client's mistake, answered 400, never a fault of the gateway.
 */

/** The parsed path and query, or `undefined` when the target is not a path the gateway can serve. */
export function parseRequestTarget(target: string): URL | undefined {
  if (!target.startsWith('/')) return undefined;
  // Prefixed rather than resolved against a base, so a path like `//host/x` stays a path.
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return undefined;
  }
}

/**
 * The path of a target exactly as the client sent it, without its query. Not `URL.pathname`: the
 * URL parser resolves dot segments (`/x/%2E%2E/orders` becomes `/orders`) and turns `\` into `/`,
 * so the authorizer would judge, and the backend receive, a path the client never wrote, and the
 * authorizer's refusal of such paths (`request-path.ts`) would never be reached.
 */
export function requestPath(target: string): string {
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

/** The detail of the 400 for a target `parseRequestTarget` refused. */
export const BAD_TARGET_MESSAGE = 'The request target must be a path starting with "/".';

/**
 * The whole HTTP answer (problem JSON, then close) for a target Node's HTTP parser refuses before
 * the gateway sees it (`v1/x` with no leading `/`), or for `CONNECT`, which Node hands to no handler.
 */
export function badTargetAnswer(requestId: string, method: string): string {
  const rendered = renderGatewayResponse('DEFAULT_4XX', {
    requestId,
    httpMethod: method,
    message: BAD_TARGET_MESSAGE,
  });
  return [
    'HTTP/1.1 400 Bad Request',
    `content-type: ${rendered.contentType}`,
    `content-length: ${Buffer.byteLength(rendered.body)}`,
    `x-amzn-RequestId: ${requestId}`,
    'connection: close',
    '',
    rendered.body,
  ].join('\r\n');
}
