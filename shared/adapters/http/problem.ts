import type { APIGatewayProxyResult } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE } from '../apigateway/gateway-responses.js';

/**
 * RFC 9457 problem details, the one error format of the management API. Domain failures are thrown as
 * `ProblemError`s; `toProblem` is the one place that maps them (and every unexpected fault) to an HTTP
 * status. A fault becomes a generic 500 whose body says nothing about its cause; the logger gets the error.
 */

/** Every kind of problem the management API answers with, and its status and title. Exhaustive. */
const PROBLEM_KINDS = {
  'bad-request': { status: 400, title: 'Bad Request' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  'content-too-large': { status: 413, title: 'Content Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'server-error': { status: 500, title: 'Internal Server Error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** Same base as the gateway responses (`gateway-responses.ts`), so clients see one family of types. */
const PROBLEM_TYPE_BASE = 'https://keygate.dev/problems/';

/**
 * One thing wrong with the input: `pointer` is a JSON Pointer (RFC 6901) into the request body
 * (`/scopes/2`; `''` is the whole body); `parameter` names a query parameter instead.
 */
export type FieldProblem = { pointer: string; detail: string } | { parameter: string; detail: string };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  /** API Gateway's request id, to quote to the operator (it is in the logs too). */
  requestId?: string;
}

/** A failure the client caused or may know about; rendered as a problem of its kind. */
export class ProblemError extends Error {
  constructor(
    readonly kind: Exclude<ProblemKind, 'server-error'>,
    readonly detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or a field is invalid; `errors` lists each field problem. */
export class BadRequestError extends ProblemError {
  constructor(detail: string, errors?: FieldProblem[]) {
    super('bad-request', detail, errors);
  }
}

/** 403: the caller is known but may not do this (e.g. grant a scope it does not hold). */
export class ForbiddenError extends ProblemError {
  constructor(detail: string, errors?: FieldProblem[]) {
    super('forbidden', detail, errors);
  }
}

/** 404: no such resource in the caller's company (the same answer whether it exists elsewhere or nowhere). */
export class NotFoundError extends ProblemError {
  constructor(detail: string) {
    super('not-found', detail);
  }
}

/** 413: the request body is larger than the API accepts. */
export class PayloadTooLargeError extends ProblemError {
  constructor(detail: string) {
    super('content-too-large', detail);
  }
}

/** 415: the body is declared as something other than JSON. */
export class UnsupportedMediaTypeError extends ProblemError {
  constructor(detail: string) {
    super('unsupported-media-type', detail);
  }
}

const SERVER_ERROR_DETAIL =
  'Something went wrong on our side. Retry later; quote the requestId if it persists.';

/**
 * Maps anything thrown while serving a request to its problem. `fault` is true for everything that
 * is not a `ProblemError`: those are 500s with a generic detail, and the caller must log the error.
 */
export function toProblem(error: unknown, requestId?: string): { problem: Problem; fault: boolean } {
  const kind: ProblemKind = error instanceof ProblemError ? error.kind : 'server-error';
  const { status, title } = PROBLEM_KINDS[kind];
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${kind}`,
    title,
    status,
    detail: error instanceof ProblemError ? error.detail : SERVER_ERROR_DETAIL,
    ...(error instanceof ProblemError && error.errors?.length ? { errors: error.errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
  return { problem, fault: !(error instanceof ProblemError) };
}

/** A problem as an API Gateway proxy response (`application/problem+json`, never cached). */
export function problemResponse(problem: Problem): APIGatewayProxyResult {
  return {
    statusCode: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' },
    body: JSON.stringify(problem),
  };
}

/** Escapes an object key for a JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
