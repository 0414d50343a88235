/**
 * The bodies API Gateway answers with when it rejects a request itself (authorizer 401/403, unknown
 * route, throttling, authorizer failure). The CDK stack installs these as gateway responses and the
 * local gateway renders the same templates, so a client sees the same JSON in both.
 *
 * Every body is an RFC 9457 problem with `type`, `title`, `status` and `detail`. Gateway response
 * templates are plain variable substitution, not VTL (no `$util.escapeJavaScript`, no `#if`), and
 * API Gateway does not escape what it substitutes: a template may name only variables whose values
 * cannot break the JSON (`TEMPLATE_VARIABLES`), never one the client controls such as `$context.path`.
 */
export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'API_CONFIGURATION_ERROR'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'RESOURCE_NOT_FOUND'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'QUOTA_EXCEEDED'
  | 'INVALID_API_KEY'
  | 'EXPIRED_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'WAF_FILTERED'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseSpec {
  /** The status the stack fixes for this type; the body's `status` says the same. */
  statusCode: number;
  /** A JSON document as an API Gateway mapping template. */
  template: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The variables a template may use, each safe to substitute unescaped into JSON: the request id (a
 * UUID), the method (an HTTP token API Gateway has matched), the Deny reason (the authorizer makes it
 * printable ASCII without quotes or backslashes) and API Gateway's own message as the JSON string it
 * quotes itself (`messageString`, placed without quotes around it).
 */
export const TEMPLATE_VARIABLES = [
  '$context.requestId',
  '$context.httpMethod',
  '$context.authorizer.reason',
  '$context.error.messageString',
] as const;

/** API Gateway's own message, already a JSON string: the detail of the types it words best. */
const GATEWAY_MESSAGE = '$context.error.messageString';

const problem = (type: string, title: string, status: number, detail: string): GatewayResponseSpec => {
  const detailJson = detail === GATEWAY_MESSAGE ? detail : `"${detail}"`;
  return {
    statusCode: status,
    template: `{"type":"https://keygate.dev/problems/${type}","title":"${title}","status":${status},"detail":${detailJson},"requestId":"$context.requestId"}`,
  };
};

const AUTHORIZER_FAULT = problem(
  'authorizer-failure',
  'Internal Server Error',
  500,
  'The request could not be authorized.',
);

/** What API Gateway answers 403 for features keygate does not use (IAM auth, usage-plan keys, WAF). */
const GATEWAY_FORBIDDEN = problem('forbidden', 'Forbidden', 403, GATEWAY_MESSAGE);

export const GATEWAY_RESPONSES: Record<GatewayResponseType, GatewayResponseSpec> = {
  UNAUTHORIZED: problem(
    'unauthorized',
    'Unauthorized',
    401,
    'Missing, malformed, expired, unknown, revoked or disabled credentials. Send Authorization: Bearer <api key>.',
  ),
  ACCESS_DENIED: problem('forbidden', 'Forbidden', 403, '$context.authorizer.reason'),
  // API Gateway's answer when no method matches (the stack routes everything else to the authorizer,
  // which denies routes outside the catalog with a reason). 403, as seed 002 says for unsupported
  // routes. The path is not repeated: the client sent it, and the template could not escape it.
  MISSING_AUTHENTICATION_TOKEN: problem(
    'forbidden',
    'Forbidden',
    403,
    'No route open to API keys answers $context.httpMethod on this path.',
  ),
  // The authorizer failed or could not be reached: one answer, the cause is for the logs only.
  AUTHORIZER_FAILURE: AUTHORIZER_FAULT,
  AUTHORIZER_CONFIGURATION_ERROR: AUTHORIZER_FAULT,
  // A template cannot pick a title by status: each 5xx API Gateway tells apart gets its own type,
  // and what is left is DEFAULT_5XX.
  API_CONFIGURATION_ERROR: problem(
    'server-error',
    'Internal Server Error',
    500,
    'Something went wrong on our side.',
  ),
  // The integration could not be invoked (e.g. the Lambda API refused the invocation). Its own default
  // status is 504, which would read as a timeout: 502, as for any answer the gateway could not get.
  INTEGRATION_FAILURE: problem('bad-gateway', 'Bad Gateway', 502, 'The backend could not be reached.'),
  INTEGRATION_TIMEOUT: problem(
    'gateway-timeout',
    'Gateway Timeout',
    504,
    'The backend did not answer in time.',
  ),
  REQUEST_TOO_LARGE: problem('request-too-large', 'Content Too Large', 413, 'The request is too large.'),
  THROTTLED: problem('throttled', 'Too Many Requests', 429, 'Slow down and retry later.'),
  // Every other 4xx type API Gateway has, with its default status: DEFAULT_4XX fixes one status for
  // whatever falls to it, so none may fall to it but what API Gateway adds later.
  BAD_REQUEST_PARAMETERS: problem('bad-request', 'Bad Request', 400, GATEWAY_MESSAGE),
  BAD_REQUEST_BODY: problem('bad-request', 'Bad Request', 400, GATEWAY_MESSAGE),
  RESOURCE_NOT_FOUND: problem('not-found', 'Not Found', 404, GATEWAY_MESSAGE),
  UNSUPPORTED_MEDIA_TYPE: problem('unsupported-media-type', 'Unsupported Media Type', 415, GATEWAY_MESSAGE),
  QUOTA_EXCEEDED: problem('quota-exceeded', 'Too Many Requests', 429, GATEWAY_MESSAGE),
  INVALID_API_KEY: GATEWAY_FORBIDDEN,
  EXPIRED_TOKEN: GATEWAY_FORBIDDEN,
  INVALID_SIGNATURE: GATEWAY_FORBIDDEN,
  WAF_FILTERED: GATEWAY_FORBIDDEN,
  // A template cannot know the status API Gateway chose, so the stack fixes it (the body says it too).
  DEFAULT_4XX: problem('bad-request', 'Bad Request', 400, GATEWAY_MESSAGE),
  // With the types above answered by their own templates, what API Gateway leaves to DEFAULT_5XX is an
  // integration's answer it cannot use (a Lambda that throws or returns a malformed proxy result): 502.
  DEFAULT_5XX: problem('bad-gateway', 'Bad Gateway', 502, 'The backend failed or gave no usable answer.'),
};

/**
 * Renders a gateway response as the local gateway serves it: substitutes the template's variables
 * (`TEMPLATE_VARIABLES`; values JSON-escaped, which changes nothing for the values API Gateway
 * substitutes, and keeps a stand-in authorizer's reason from breaking the body).
 */
export function renderGatewayResponse(
  type: GatewayResponseType,
  context: {
    requestId: string;
    httpMethod: string;
    reason?: string;
    /** API Gateway's own message (`$context.error.message`). */
    message?: string;
  },
): { statusCode: number; body: string; contentType: string } {
  const spec = GATEWAY_RESPONSES[type];
  const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1);
  const values: Record<(typeof TEMPLATE_VARIABLES)[number], string> = {
    '$context.requestId': jsonEscape(context.requestId),
    '$context.httpMethod': jsonEscape(context.httpMethod),
    '$context.authorizer.reason': jsonEscape(context.reason ?? ''),
    '$context.error.messageString': JSON.stringify(context.message ?? ''),
  };
  const body = spec.template.replace(/\$context\.[A-Za-z.]+/g, (variable) => {
    const value = values[variable as keyof typeof values];
    if (value === undefined)
      throw new Error(`gateway response ${type} uses ${variable}, which is not rendered`);
    return value;
  });
  return { statusCode: spec.statusCode, body, contentType: PROBLEM_CONTENT_TYPE };
}
