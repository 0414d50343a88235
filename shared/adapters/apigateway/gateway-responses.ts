/**
 * The bodies API Gateway answers with when it rejects a request itself (authorizer 401/403, unknown
 * route, throttling, authorizer failure). The CDK stack installs these as gateway responses and the
 * local gateway renders the same templates, so a client sees the same JSON in both.
 *
 * Templates use API Gateway's `$context` variables; `renderGatewayResponse` substitutes them locally.
 * `$context.authorizer.reason` is the Deny reason the authorizer put in its context.
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
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseSpec {
  statusCode: number;
  /** A JSON document as an API Gateway mapping template. */
  template: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const problem = (type: string, title: string, status: number | undefined, detail: string) =>
  `{"type":"https://keygate.dev/problems/${type}","title":"${title}",${status === undefined ? '' : `"status":${status},`}"detail":"${detail}","requestId":"$context.requestId"}`;

const AUTHORIZER_FAULT: GatewayResponseSpec = {
  statusCode: 500,
  template: problem(
    'authorizer-failure',
    'Internal Server Error',
    500,
    'The request could not be authorized.',
  ),
};

export const GATEWAY_RESPONSES: Record<GatewayResponseType, GatewayResponseSpec> = {
  UNAUTHORIZED: {
    statusCode: 401,
    template: problem(
      'unauthorized',
      'Unauthorized',
      401,
      'Missing, malformed, expired, unknown, revoked or disabled credentials. Send Authorization: Bearer <api key>.',
    ),
  },
  ACCESS_DENIED: {
    statusCode: 403,
    template: problem('forbidden', 'Forbidden', 403, '$context.authorizer.reason'),
  },
  // API Gateway's answer when no method matches (the stack routes everything else to the authorizer,
  // which denies routes outside the catalog with a reason). 403, as seed 002 says for unsupported routes.
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 403,
    template: problem(
      'forbidden',
      'Forbidden',
      403,
      'Route $context.httpMethod $context.path is not open to API keys.',
    ),
  },
  // The authorizer failed or could not be reached: one answer, the cause is for the logs only.
  AUTHORIZER_FAILURE: AUTHORIZER_FAULT,
  AUTHORIZER_CONFIGURATION_ERROR: AUTHORIZER_FAULT,
  // Gateway response templates are plain variable substitution, not VTL, so one template cannot pick a
  // title by status: each 5xx API Gateway tells apart gets its own type, and what is left is DEFAULT_5XX.
  API_CONFIGURATION_ERROR: {
    statusCode: 500,
    template: problem('server-error', 'Internal Server Error', 500, 'Something went wrong on our side.'),
  },
  // The integration could not be invoked (e.g. the Lambda API refused the invocation). Its own default
  // status is 504, which would read as a timeout: 502, as for any answer the gateway could not get.
  INTEGRATION_FAILURE: {
    statusCode: 502,
    template: problem('bad-gateway', 'Bad Gateway', 502, 'The backend could not be reached.'),
  },
  INTEGRATION_TIMEOUT: {
    statusCode: 504,
    template: problem('gateway-timeout', 'Gateway Timeout', 504, 'The backend did not answer in time.'),
  },
  REQUEST_TOO_LARGE: {
    statusCode: 413,
    template: problem('request-too-large', 'Content Too Large', 413, 'The request is too large.'),
  },
  THROTTLED: {
    statusCode: 429,
    template: problem('throttled', 'Too Many Requests', 429, 'Slow down and retry later.'),
  },
  DEFAULT_4XX: {
    statusCode: 400,
    // Keeps the original 4xx status; the template cannot know it, so `status` is left out (it is optional).
    template: problem('bad-request', 'Bad Request', undefined, '$context.error.message'),
  },
  DEFAULT_5XX: {
    statusCode: 502,
    // With the types above answered by their own templates, what API Gateway leaves to DEFAULT_5XX is an
    // integration's answer it cannot use (a Lambda that throws or returns a malformed proxy result:
    // 502). It keeps the status API Gateway chose, so `status` is left out.
    template: problem(
      'bad-gateway',
      'Bad Gateway',
      undefined,
      'The backend failed or gave no usable answer.',
    ),
  },
};

/**
 * Renders a gateway response as the local gateway serves it: substitutes the `$context` variables
 * the templates use (values are JSON-escaped, as API Gateway does for `$context` in JSON templates).
 */
export function renderGatewayResponse(
  type: GatewayResponseType,
  context: {
    requestId: string;
    httpMethod: string;
    path: string;
    reason?: string;
    status?: number;
    message?: string;
  },
): { statusCode: number; body: string; contentType: string } {
  const spec = GATEWAY_RESPONSES[type];
  const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1);
  const values: Record<string, string> = {
    '$context.requestId': jsonEscape(context.requestId),
    '$context.httpMethod': jsonEscape(context.httpMethod),
    '$context.path': jsonEscape(context.path),
    '$context.authorizer.reason': jsonEscape(context.reason ?? ''),
    '$context.error.message': jsonEscape(context.message ?? ''),
  };
  const body = spec.template.replace(/\$context\.[A-Za-z.]+/g, (variable) => values[variable] ?? '');
  return { statusCode: context.status ?? spec.statusCode, body, contentType: PROBLEM_CONTENT_TYPE };
}
