import type { APIGatewayProxyResult } from 'aws-lambda';
import { DomainError, type DomainErrorKind, type FieldProblem } from '../../domain/errors.js';
import { PROBLEM_CONTENT_TYPE } from '../apigateway/gateway-responses.js';

/**
 * RFC 9457 problem details, the one error format of the management API. Use cases throw
 * `DomainError`s; the HTTP layer itself throws `ProblemError`s (body too large, not JSON). `toProblem`
 * is the one place that maps both (and every unexpected fault) to an HTTP status. A fault becomes a
 * generic 500 whose body says nothing about its cause; the logger gets the error.
 */

export type { FieldProblem };

/** Every kind of problem the management API answers with, and its status and title. Exhaustive. */
const PROBLEM_KINDS = {
  'bad-request': { status: 400, title: 'Bad Request' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  'content-too-large': { status: 413, title: 'Content Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'server-error': { status: 500, title: 'Internal Server Error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** The problem each domain failure is answered with: exhaustive, so a new kind needs its status here. */
const DOMAIN_PROBLEMS = {
  'invalid-request': 'bad-request',
  'not-permitted': 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
} as const satisfies Record<DomainErrorKind, ProblemKind>;

/** Same base as the gateway responses (`gateway-responses.ts`), so clients see one family of types. */
const PROBLEM_TYPE_BASE = 'https://keygate.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  /** API Gateway's request id, to quote to the operator (it is in the logs too). */
  requestId?: string;
}

/** A failure of the HTTP exchange itself (size, media type, JSON syntax); rendered as a problem of its kind. */
export class ProblemError extends Error {
  constructor(
    readonly kind: 'bad-request' | 'content-too-large' | 'unsupported-media-type',
    readonly detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** 400: the body is not JSON at all (field problems are the domain's `InvalidRequestError`). */
export class BadRequestError extends ProblemError {
  constructor(detail: string, errors?: FieldProblem[]) {
    super('bad-request', detail, errors);
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
  const known = error instanceof DomainError || error instanceof ProblemError ? error : undefined;
  const kind: ProblemKind =
    known instanceof DomainError ? DOMAIN_PROBLEMS[known.kind] : (known?.kind ?? 'server-error');
  const { status, title } = PROBLEM_KINDS[kind];
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${kind}`,
    title,
    status,
    detail: known ? known.detail : SERVER_ERROR_DETAIL,
    ...(known?.errors?.length ? { errors: known.errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
  return { problem, fault: known === undefined };
}

/** A problem as an API Gateway proxy response (`application/problem+json`, never cached). */
export function problemResponse(problem: Problem): APIGatewayProxyResult {
  return {
    statusCode: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' },
    body: JSON.stringify(problem),
  };
}
