import * as z from 'zod/mini';
import { DEFAULT_GRACE_PERIOD_SECONDS, MAX_GRACE_PERIOD_SECONDS } from '../expiry/rotation-policy.js';
import '../zod-english.js';
import { type FieldProblem, InvalidRequestError, pointerSegment } from '../errors.js';
import { MAX_LIFETIME_SECONDS, MIN_LIFETIME_SECONDS } from '../expiry/expiry-policy.js';
import { MAX_KEY_NAME_LENGTH } from '../keys/key-name.js';
import { MAX_ALLOWED_IPS, MAX_ENTRY_LENGTH } from '../net/ip-allow-list.js';
import { MAX_SCOPE_LENGTH, MAX_SCOPES } from '../scopes/scope-grammar.js';

/**
 * The shapes of the management API's inputs. Bodies are strict JSON objects: every unknown field is
 * named in the 400, so a typo (`expiresin`) is never silently ignored. Field values are checked by
 * the domain validators (key name, scopes, expiry, IP allow-list), which collect every problem.
 *
 * Each body is described once, as its typed wire shape (`createKeyRequest`, `renameKeyRequest`):
 * the OpenAPI document is generated from it, and the set of fields the handlers accept is read from
 * it. Tests check that the shape and the domain validators agree (test/unit/openapi-request-schemas).
 */

const DAY_SECONDS = 86_400;

/** `POST /v1/api-keys` as the document describes it. */
export const createKeyRequest = z.strictObject({
  // No maxLength: the limit applies after trimming, which JSON Schema cannot say.
  name: z
    .string()
    .check(
      z.minLength(1),
      z.describe(`Display name: 1–${MAX_KEY_NAME_LENGTH} characters after trimming, no control characters.`),
    ),
  scopes: z
    .array(z.string().check(z.minLength(3), z.maxLength(MAX_SCOPE_LENGTH)))
    .check(
      z.minLength(1),
      z.maxLength(MAX_SCOPES),
      z.describe('`*:*`, `ns:*`, `ns:read` or `ns:Operation`, each known to the catalog (`GET /v1/scopes`).'),
    ),
  expiresAt: z.optional(
    z.nullable(
      z.iso
        .datetime({ offset: true })
        .check(z.describe('RFC 3339 date-time with a zone, 1 hour to 365 days ahead (7 days for `*:*`).')),
    ),
  ),
  expiresIn: z.optional(
    z.nullable(
      z
        .int()
        .check(
          z.minimum(MIN_LIFETIME_SECONDS),
          z.maximum(MAX_LIFETIME_SECONDS),
          z.describe(
            `Lifetime in seconds, ${MIN_LIFETIME_SECONDS} to ${MAX_LIFETIME_SECONDS} (${7 * DAY_SECONDS} for \`*:*\`). Give expiresAt or expiresIn, not both; neither means the longest allowed.`,
          ),
        ),
    ),
  ),
  allowedIps: z.optional(
    z.nullable(
      z
        .array(z.string().check(z.minLength(1), z.maxLength(MAX_ENTRY_LENGTH)))
        .check(
          z.maxLength(MAX_ALLOWED_IPS),
          z.describe('IPv4/IPv6 addresses or CIDRs without host bits; absent or empty allows every address.'),
        ),
    ),
  ),
});

/** `PATCH /v1/api-keys/{id}`: only the name can change. */
export const renameKeyRequest = z.strictObject({ name: createKeyRequest.shape.name });

/** `POST /v1/api-keys/{id}/rotate`: how long the old key keeps working. */
export const rotateKeyRequest = z.strictObject({
  gracePeriodSeconds: z.optional(
    z
      .int()
      .check(
        z.minimum(0),
        z.maximum(MAX_GRACE_PERIOD_SECONDS),
        z.describe(
          `Seconds the old key keeps working, 0 to ${MAX_GRACE_PERIOD_SECONDS} (default ${DEFAULT_GRACE_PERIOD_SECONDS}); never beyond its own expiry. 0: it fails on the very next request.`,
        ),
      ),
  ),
});

/** The same fields, each read as `unknown`, so the domain validators see every value and name every problem. */
const unchecked = <K extends string>(shape: Record<K, unknown>) =>
  Object.fromEntries(Object.keys(shape).map((field) => [field, z.unknown()])) as Record<K, z.ZodMiniUnknown>;

const createKeyFields = unchecked(createKeyRequest.shape);
const renameKeyFields = unchecked(renameKeyRequest.shape);
const rotateKeyFields = unchecked(rotateKeyRequest.shape);

export const createKeyBody = {
  known: z.partial(z.object(createKeyFields)),
  strict: z.strictObject(createKeyFields),
};
export const renameKeyBody = {
  known: z.partial(z.object(renameKeyFields)),
  strict: z.strictObject(renameKeyFields),
};

export const rotateKeyBody = {
  known: z.partial(z.object(rotateKeyFields)),
  strict: z.strictObject(rotateKeyFields),
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

/** The `GET /v1/api-keys` query as the document describes it; `readListQuery` reads it. */
export const listKeysQuery = {
  limit: z
    ._default(z.int().check(z.minimum(1), z.maximum(MAX_PAGE_SIZE)), DEFAULT_PAGE_SIZE)
    .check(z.describe(`Page size, 1–${MAX_PAGE_SIZE}.`)),
  cursor: z.string().check(z.minLength(1), z.describe('The `nextCursor` of the previous page.')),
};
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
