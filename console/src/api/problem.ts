import type { FieldProblem, Problem } from './types.js';

/** A failed API call, carrying the problem document (or one made up for a network failure). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
  }
}

/** Field messages keyed by form field, plus what belongs to no field (shown at the form's top). */
export interface FieldMessages {
  fields: Record<string, string[]>;
  general: string[];
}

/**
 * Sorts a problem's `errors[]` onto form fields: each field claims the JSON pointers under its own
 * (`/allowedIps/2` → `allowedIps`); `fieldOf` maps a pointer's first segment to a field (e.g. both
 * `/expiresAt` and `/expiresIn` onto one "expiration" field). A problem with no field errors, or
 * errors no field claims, goes to `general`, so nothing the API says is lost.
 */
export function fieldMessages(
  problem: Problem,
  fieldOf: (segment: string) => string | undefined,
): FieldMessages {
  const result: FieldMessages = { fields: {}, general: [] };
  const errors: FieldProblem[] = problem.errors ?? [];
  for (const error of errors) {
    const segments = (error.pointer ?? '').split('/').slice(1).map(unescapePointer);
    const field = segments[0] === undefined ? undefined : fieldOf(segments[0]);
    if (field === undefined) {
      result.general.push(error.detail);
      continue;
    }
    const index = segments[1];
    const prefix = index !== undefined && /^\d+$/.test(index) ? `Item ${Number(index) + 1}: ` : '';
    result.fields[field] ??= [];
    result.fields[field].push(`${prefix}${error.detail}`);
  }
  if (errors.length === 0 || result.general.length > 0) {
    result.general.unshift(problem.detail ?? problem.title ?? `The request failed (HTTP ${problem.status}).`);
  }
  return result;
}

/** No messages: what a form shows before anything went wrong. */
export const NO_MESSAGES: FieldMessages = { fields: {}, general: [] };

/**
 * A failed call's messages for a form with one field (`field`, named as the API names it): the
 * API's errors about it on the field, everything else (and a failure that is no API answer) for the
 * whole form.
 */
export function oneFieldMessages(error: unknown, field: string): FieldMessages {
  if (error instanceof ApiError)
    return fieldMessages(error.problem, (segment) => (segment === field ? field : undefined));
  return { fields: {}, general: [String(error)] };
}

/** RFC 6901: `~1` is `/`, `~0` is `~`. */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
