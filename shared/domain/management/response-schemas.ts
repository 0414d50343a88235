import * as z from 'zod/mini';
import { AUDIT_ACTIONS } from '../audit/audit-actions.js';
import { MAX_KEY_NAME_LENGTH } from '../keys/key-name.js';

/**
 * The shapes of the management API's answers, described once: the TypeScript types the handlers
 * return are inferred from these schemas, the OpenAPI document is generated from them, and the e2e
 * suite validates every answer it receives against that document.
 */

/** RFC 3339 UTC instants as the API writes them (`Date#toISOString`). */
const instant = () => z.iso.datetime();

/** A key as the management API renders it: exactly these fields, never the secret, its digest or the company. */
export const keyViewSchema = z.strictObject({
  id: z.uuid().check(z.describe('The key id (UUIDv7, time-ordered).')),
  name: z.string().check(z.minLength(1), z.maxLength(MAX_KEY_NAME_LENGTH), z.describe('Display name.')),
  keyPrefix: z
    .string()
    .check(z.describe('The first characters of the secret (`wsk-v1-` and 3 more), to recognise a key by.')),
  scopes: z.array(z.string()).check(z.describe('Normalised scopes: sorted, none covered by another.')),
  allowedIps: z
    .array(z.string())
    .check(z.describe('Canonical CIDRs the key may be used from; empty allows every address.')),
  createdAt: instant(),
  createdBy: z
    .string()
    .check(z.describe('`admin:<email or subject>` for a root admin, `key:<id>` for a managing key.')),
  expiresAt: instant(),
  expired: z.boolean().check(z.describe('`now >= expiresAt`: expired keys stay listed until removed.')),
  lastUsedAt: z
    .nullable(instant())
    .check(z.describe('Last authorized use (at most once a minute), or null.')),
  enabled: z.boolean().check(z.describe('False while disabled: the key then gets 401 until enabled again.')),
  rotatedFrom: z.nullable(z.uuid()).check(z.describe('The key this one replaced by rotation, or null.')),
  rotatedTo: z
    .nullable(z.uuid())
    .check(z.describe('The key that replaced this one by rotation, or null. A key is rotated at most once.')),
});
export type KeyView = z.infer<typeof keyViewSchema>;

/** The 201 body of `POST /v1/api-keys`: the record and, this once, the secret. */
export const createdKeySchema = z.strictObject({
  ...keyViewSchema.shape,
  key: z.string().check(z.describe('The secret API key. Shown this once: it is stored only as a digest.')),
});
export type CreatedKey = z.infer<typeof createdKeySchema>;

/** The 201 body of `POST /v1/api-keys/{id}/rotate`: the successor and, this once, its secret. */
export const rotatedKeySchema = createdKeySchema;
export type RotatedKey = CreatedKey;

/** The body of `GET /v1/api-keys`. */
export const keyPageSchema = z.strictObject({
  items: z.array(keyViewSchema),
  nextCursor: z
    .nullable(z.string())
    .check(z.describe('Pass as `cursor` for the next page; null on the last.')),
});
export type KeyPage = z.infer<typeof keyPageSchema>;

/**
 * One audit event as the API renders it: exactly these fields, never the company, a secret, a digest
 * or the target's scopes (stored with the event for visibility only).
 */
export const auditEventViewSchema = z.strictObject({
  id: z.uuid().check(z.describe('The event id (UUIDv7, time-ordered).')),
  at: instant(),
  action: z
    .enum(AUDIT_ACTIONS)
    .check(
      z.describe(
        'What happened; `access.denied` is a refused management attempt (the handler answered 403).',
      ),
    ),
  actor: z.union([
    z.strictObject({
      type: z.literal('root-admin'),
      subject: z.string().check(z.describe("The admin's subject (`sub` claim).")),
      email: z.nullable(z.string()),
    }),
    z.strictObject({
      type: z.literal('key'),
      keyId: z.uuid(),
      name: z.string().check(z.describe("The calling key's name at the time.")),
    }),
  ]),
  target: z
    .nullable(z.strictObject({ keyId: z.uuid(), name: z.string() }))
    .check(
      z.describe('The key the event is about (its name after the change), or null for company-wide events.'),
    ),
  requestId: z.nullable(z.string()),
  sourceIp: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  changes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]))
    .check(
      z.describe(
        'What changed, per action (e.g. `oldName`/`newName`; `operation`/`reason` for `access.denied`; `oldEmails`/`newEmails` for settings).',
      ),
    ),
});
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

/** The body of `GET /v1/audit-events`. */
export const auditEventPageSchema = z.strictObject({
  items: z.array(auditEventViewSchema),
  nextCursor: z
    .nullable(z.string())
    .check(z.describe('Pass as `cursor` for the next page; null on the last.')),
});
export type AuditEventPage = z.infer<typeof auditEventPageSchema>;

const access = () => z.enum(['read', 'write']);

/** The body of `GET /v1/scopes`. */
export const scopeCatalogSchema = z.strictObject({
  scopes: z.array(
    z.strictObject({
      scope: z.string(),
      description: z.string(),
      access: access().check(z.describe('`read` when the scope grants reads only.')),
      covers: z.int().check(z.minimum(0), z.describe('Number of routes the scope opens.')),
    }),
  ),
  namespaces: z.array(
    z.strictObject({
      namespace: z.string(),
      group: z.optional(z.string()),
      readScope: z.optional(z.string()),
      fullScope: z.string(),
      operations: z.array(z.strictObject({ scope: z.string(), access: access() })),
    }),
  ),
  groups: z.array(
    z.strictObject({
      group: z.string(),
      readScope: z.optional(z.string()),
      fullScope: z.string(),
      namespaces: z.array(z.string()),
    }),
  ),
});

/** The body of `GET` and `PUT /v1/settings/notifications` (what `PUT` accepts, stored deduplicated). */
export const notificationSettingsViewSchema = z.strictObject({
  emails: z.array(z.email()),
});

/** RFC 9457 problem details: every error of the API, from a handler or from the gateway itself. */
export const problemSchema = z.object({
  type: z.url(),
  title: z.string(),
  status: z.optional(
    z.int().check(z.minimum(400), z.maximum(599), z.describe('Absent when the gateway cannot know it.')),
  ),
  detail: z.string().check(z.describe('What went wrong and what to do about it.')),
  errors: z.optional(
    z.array(
      z.union([
        z.strictObject({
          pointer: z.string().check(z.describe('JSON Pointer (RFC 6901) into the body; "" is the body.')),
          detail: z.string(),
        }),
        z.strictObject({ parameter: z.string(), detail: z.string() }),
      ]),
    ),
  ),
  requestId: z.optional(z.string().check(z.describe("API Gateway's request id, to quote to the operator."))),
});
