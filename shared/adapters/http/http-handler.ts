import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { pointerSegment } from '../../domain/errors.js';
import { createLogger } from '../log/logger.js';
import { readJsonBody } from './json-body.js';
import { BadRequestError, PayloadTooLargeError, problemResponse, toProblem } from './problem.js';

/**
 * The middy stack every management Lambda shares, in order:
 * Powertools Logger (context only: events, bodies and responses are never logged, as they carry
 * credentials or a new key) → header normaliser (lowercase names, so `content-type` is found however the client spelt it) → event normaliser (empty
 * `pathParameters`/`queryStringParameters` become `{}`) → body-size guard (413) → strict JSON body
 * parser (write routes only: media type, syntax, duplicate members) → problem error handler, last, which renders every failure as RFC 9457.
 */

/** Largest request body accepted, in bytes (after base64 decoding). */
export const MAX_BODY_BYTES = 16 * 1024;

/** An API Gateway REST (v1) proxy event whose body the JSON parser has already parsed. */
export type JsonEvent = Omit<APIGatewayProxyEvent, 'body'> & { body: unknown };

export type ApiEvent = APIGatewayProxyEvent;

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** A JSON response. Management responses are never cached: they describe keys, and create's holds one. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...NO_STORE },
    body: JSON.stringify(body),
  };
}

/** 204 No Content. */
export function noContentResponse(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { ...NO_STORE }, body: '' };
}

/** Raw body size in bytes, counting what a base64-encoded body decodes to. */
function bodyBytes(event: { body?: unknown; isBase64Encoded?: boolean }): number {
  if (typeof event.body !== 'string') return 0;
  return event.isBase64Encoded
    ? Buffer.byteLength(event.body, 'base64')
    : Buffer.byteLength(event.body, 'utf8');
}

const bodySizeGuard = (): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: ({ event }) => {
    if (bodyBytes(event) > MAX_BODY_BYTES) {
      throw new PayloadTooLargeError(`The request body must be at most ${MAX_BODY_BYTES} bytes.`);
    }
  },
});

/** The body as text, base64 decoded when API Gateway encoded it. */
const bodyText = (event: APIGatewayProxyEvent): string | null =>
  event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body;

/** Parses a write route's body as strict JSON (`readJsonBody`): a wrong or missing media type is 415. */
const jsonBody = (): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: (request) => {
    const { event } = request;
    const parsed = readJsonBody({ contentType: event.headers?.['content-type'], text: bodyText(event) });
    (request.event as unknown as JsonEvent).body = parsed;
  },
});

/**
 * For a write route that takes no body (disable, enable, delete): none, or an empty JSON object, is
 * accepted; anything else is refused (`readJsonBody`'s 415 and 400, and 400 for any member), not
 * ignored, so a client that thinks it sends a setting learns it does not.
 */
const emptyBody = (): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: ({ event }) => {
    if (bodyBytes(event) === 0) return;
    const parsed = readJsonBody({ contentType: event.headers?.['content-type'], text: bodyText(event) });
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new BadRequestError('This request takes no body: send none, or {}.', [
        { pointer: '', detail: 'must be absent or an empty JSON object' },
      ]);
    }
    const members = Object.keys(parsed);
    if (members.length > 0) {
      throw new BadRequestError(
        'This request takes no body: send none, or {}.',
        members.map((member) => ({ pointer: `/${pointerSegment(member)}`, detail: 'unknown field' })),
      );
    }
  },
});

const problemErrorHandler = (logger: Logger): MiddlewareObj<APIGatewayProxyEvent> => ({
  onError: (request) => {
    const requestId = request.event?.requestContext?.requestId;
    const { problem, fault } = toProblem(request.error, requestId);
    if (fault) logger.error('request failed', { status: problem.status, error: request.error as Error });
    else logger.info('request rejected', { status: problem.status, type: problem.type });
    request.response = problemResponse(problem);
  },
});

export interface HttpHandlerOptions {
  /**
   * The route's body: `json` parsed as strict JSON (POST/PATCH routes with a body); `none` for a write
   * route that takes none, which refuses one (but `{}`) instead of ignoring it. Unset (read routes):
   * ignored.
   */
  body?: 'json' | 'none';
  /** The logger to use; by default one per handler module (Powertools reads its level from the env). */
  logger?: Logger;
}

/**
 * Wraps a bare management handler in the shared middy stack. `name` tags every log line.
 * Returns the Lambda entry point to export as `handler`.
 */
export function httpHandler<E extends ApiEvent | JsonEvent>(
  name: string,
  handle: (event: E, context: Context) => Promise<APIGatewayProxyResult>,
  options: HttpHandlerOptions = {},
) {
  const logger = options.logger ?? createLogger('keygate', { persistentKeys: { handler: name } });
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .use(bodySizeGuard());
  if (options.body === 'json') stack.use(jsonBody());
  else if (options.body === 'none') stack.use(emptyBody());
  return (
    stack
      .use(problemErrorHandler(logger))
      // Typed for what API Gateway sends; the middlewares above normalise it before `handle` sees it.
      .handler<APIGatewayProxyEvent, APIGatewayProxyResult>((event, context) =>
        handle(event as unknown as E, context),
      )
  );
}
