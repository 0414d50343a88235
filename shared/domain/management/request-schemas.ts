import * as z from 'zod/mini';
import '../zod-english.js';
import { type FieldProblem, InvalidRequestError, pointerSegment } from '../errors.js';

/**
 * The shapes of the management API's inputs. Bodies are strict JSON objects: every unknown field is
 * named in the 400, so a typo (`expiresin`) is never silently ignored. Field values are checked by
 * the domain validators (key name, scopes, expiry, IP allow-list), which collect every problem.
 */

const createKeyFields = {
  name: z.unknown(),
  scopes: z.unknown(),
  expiresAt: z.unknown(),
  expiresIn: z.unknown(),
  allowedIps: z.unknown(),
};
const renameKeyFields = { name: z.unknown() };

export const createKeyBody = {
  known: z.partial(z.object(createKeyFields)),
  strict: z.strictObject(createKeyFields),
};
export const renameKeyBody = {
  known: z.partial(z.object(renameKeyFields)),
  strict: z.strictObject(renameKeyFields),
};

const notAnObject = () =>
  new InvalidRequestError('The request body must be a JSON object.', [
    { pointer: '', detail: 'must be a JSON object' },
  ]);

/**
 * Reads a JSON body against `schema`: its known fields, and the names of any unknown ones.
 * Throws a 400 when the body is not a JSON object at all.
 */
export function readBody<T extends Record<string, unknown>>(
  schema: { known: z.ZodMiniType<T>; strict: z.ZodMiniType },
  body: unknown,
): { fields: T; unknownFields: string[] } {
  const known = schema.known.safeParse(body);
  if (!known.success || typeof body !== 'object' || body === null || Array.isArray(body)) throw notAnObject();
  const strict = schema.strict.safeParse(body);
  const unknownFields = strict.success
    ? []
    : strict.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
  return { fields: known.data, unknownFields };
}

/** The JSON pointer of a top-level body field. */
export const fieldPointer = (field: string) => `/${pointerSegment(field)}`;

/** Field problems from the domain validators' `{pointer, message}` errors. */
export const fromDomainErrors = (
  errors: ReadonlyArray<{ pointer: string; message: string }>,
): FieldProblem[] => errors.map(({ pointer, message }) => ({ pointer, detail: message }));

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
const LIMIT_PATTERN = /^[0-9]{1,3}$/;

/**
 * `GET /v1/api-keys` query: `limit` an integer 1–100 (default 50) and an opaque `cursor`, each given
 * at most once. Other parameters are ignored, as HTTP caches and tools add their own.
 */
export function readListQuery(event: {
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
}): { limit: number; cursor?: string } {
  const query = event.queryStringParameters ?? {};
  const repeated = event.multiValueQueryStringParameters ?? {};
  const errors: FieldProblem[] = [];
  for (const parameter of ['limit', 'cursor']) {
    if ((repeated[parameter]?.length ?? 0) > 1)
      errors.push({ parameter, detail: `give ${parameter} at most once` });
  }
  let limit = DEFAULT_PAGE_SIZE;
  const limitText = query.limit;
  if (limitText !== undefined) {
    const value = LIMIT_PATTERN.test(limitText) ? Number(limitText) : Number.NaN;
    if (Number.isInteger(value) && value >= 1 && value <= MAX_PAGE_SIZE) limit = value;
    else errors.push({ parameter: 'limit', detail: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` });
  }
  const cursor = query.cursor;
  if (cursor !== undefined && cursor.length === 0) {
    errors.push({ parameter: 'cursor', detail: 'cursor must be the nextCursor of a previous page' });
  }
  if (errors.length > 0)
    throw new InvalidRequestError('The query parameters are not valid; see errors.', errors);
  return { limit, ...(cursor !== undefined ? { cursor } : {}) };
}
