import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createLogger } from '../log/logger.js';
import {
  BadRequestError,
  PayloadTooLargeError,
  problemResponse,
  toProblem,
  UnsupportedMediaTypeError,
} from './problem.js';

/**
 * The middy stack every management Lambda shares, in order:
 * Powertools Logger (context only: events, bodies and responses are never logged, as they carry
 * credentials or a new key) → header normaliser (lowercase names) → event normaliser (empty
 * `pathParameters`/`queryStringParameters` become `{}`) → body-size guard (413) → JSON body parser
 * (write routes only) → problem error handler, last, which renders every failure as RFC 9457.
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

const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*($|;)/i;

/**
 * Parses a JSON body with `@middy/http-json-body-parser`, answering in problems. A body sent without
 * a Content-Type is read as JSON, so `curl -d '{…}'`-style clients that forget the header still work;
 * a body explicitly declared as something else (a form, text) gets 415. Empty or malformed JSON: 400.
 */
const jsonBody = (): MiddlewareObj<APIGatewayProxyEvent> => {
  const parser = httpJsonBodyParser();
  return {
    before: async (request) => {
      const { event } = request;
      const contentType = event.headers?.['content-type'];
      if (contentType !== undefined && contentType.trim() !== '' && !JSON_MEDIA_TYPE.test(contentType)) {
        throw new UnsupportedMediaTypeError(
          'Send the request body as JSON, with Content-Type: application/json.',
        );
      }
      const text = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : event.body;
      if (text === null || text === undefined || text.trim() === '') {
        throw new BadRequestError('The request body must be a JSON object.', [
          { pointer: '', detail: 'a JSON object is required' },
        ]);
      }
      // Only JSON gets this far: a body without a Content-Type is declared JSON for the parser.
      if (contentType === undefined || contentType.trim() === '') {
        event.headers = { ...event.headers, 'content-type': 'application/json' };
      }
      try {
        await parser.before?.(request);
      } catch {
        // The parser's error carries the raw body; it is neither logged nor echoed.
        throw new BadRequestError('The request body is not valid JSON.', [
          { pointer: '', detail: 'malformed JSON' },
        ]);
      }
    },
  };
};

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
  /** Parse the body as JSON (POST/PATCH routes). Routes without a body ignore it. */
  jsonBody?: boolean;
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
  if (options.jsonBody) stack.use(jsonBody());
  return (
    stack
      .use(problemErrorHandler(logger))
      // Typed for what API Gateway sends; the middlewares above normalise it before `handle` sees it.
      .handler<APIGatewayProxyEvent, APIGatewayProxyResult>((event, context) =>
        handle(event as unknown as E, context),
      )
  );
}
