/**
 * The failures a use case reports to its caller, in the domain's words. They say nothing about HTTP:
 * `shared/adapters/http/problem.ts` is the one place that maps each kind to a status, exhaustively.
 * Anything else thrown is a fault.
 */

/**
 * One thing wrong with the input: `pointer` is a JSON Pointer (RFC 6901) into the request body
 * (`/scopes/2`; `''` is the whole body); `parameter` names a query parameter instead.
 */
export type FieldProblem = { pointer: string; detail: string } | { parameter: string; detail: string };

/** Every kind of domain failure. Adding one is a compile error until the HTTP map names its status. */
export type DomainErrorKind = 'invalid-request' | 'not-permitted' | 'not-found' | 'conflict';

/** A failure the caller caused or may know about; `detail` and `errors` are safe to show them. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** The request is malformed or a field is invalid; `errors` lists each field problem. */
export class InvalidRequestError extends DomainError {
  readonly kind = 'invalid-request';
}

/** The caller is known but may not do this (e.g. grant a scope it does not hold). */
export class NotPermittedError extends DomainError {
  readonly kind = 'not-permitted';

  /**
   * @param subject the stored key the refusal was judged on, when the use case had already read it:
   *   its `access.denied` record then names the key without reading it again
   */
  constructor(
    detail: string,
    errors?: FieldProblem[],
    readonly subject?: { keyId: string; name: string; scopes: readonly string[] },
  ) {
    super(detail, errors);
  }
}

/** No such resource in the caller's company (the same answer whether it exists elsewhere or nowhere). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(detail: string) {
    super(detail);
  }
}

/** The resource is in a state that does not allow this (e.g. rotating a key already rotated). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';

  constructor(detail: string) {
    super(detail);
  }
}

/** Escapes an object key for a JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
