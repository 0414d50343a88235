import type { ManagementHandler } from '../../../domain/catalog/catalog-types.js';
import { listAuditEventsQuery } from '../../../domain/management/audit-query.js';
import {
  createKeyRequest,
  listKeysQuery,
  renameKeyRequest,
  rotateKeyRequest,
} from '../../../domain/management/request-schemas.js';
import {
  auditEventPageSchema,
  auditEventViewSchema,
  createdKeySchema,
  keyPageSchema,
  keyViewSchema,
  notificationSettingsViewSchema,
  problemSchema,
  scopeCatalogSchema,
} from '../../../domain/management/response-schemas.js';
import { notificationSettingsSchema } from '../../../domain/notify/notification-settings.js';
import {
  EXAMPLE_AUDIT_EVENT,
  EXAMPLE_CREATED_KEY,
  EXAMPLE_KEY_ID,
  EXAMPLE_KEY_VIEW,
  EXAMPLE_SCOPES,
} from './examples.js';

/**
 * What the document says about each management handler's request and answers, beside the catalog's
 * method, path, operation name and auth. A `Record` over every handler: a new handler in the catalog
 * does not compile until it is described here.
 */

/** The named schemas of the document (`#/components/schemas/<name>`), each a zod schema used at run time. */
export const COMPONENT_SCHEMAS = {
  KeyView: keyViewSchema,
  CreatedKey: createdKeySchema,
  KeyPage: keyPageSchema,
  AuditEvent: auditEventViewSchema,
  AuditEventPage: auditEventPageSchema,
  ScopeCatalog: scopeCatalogSchema,
  NotificationSettings: notificationSettingsViewSchema,
  // The schema `PUT /v1/settings/notifications` validates with; the document shows its input side.
  NotificationSettingsRequest: notificationSettingsSchema,
  CreateKeyRequest: createKeyRequest,
  RenameKeyRequest: renameKeyRequest,
  RotateKeyRequest: rotateKeyRequest,
  Problem: problemSchema,
} as const;

export type ComponentName = keyof typeof COMPONENT_SCHEMAS;

/** The problems an operation may answer with, besides the authorizer's (401, 403) and 429/500. */
export type ProblemStatus = 400 | 404 | 409 | 413 | 415;

export interface OperationSpec {
  summary: string;
  /** A path parameter `id` (the key id). */
  keyIdInPath?: boolean;
  query?: Record<string, import('zod/mini').ZodMiniType>;
  request?: { schema: ComponentName; example: unknown };
  success: { status: 200 | 201 | 204; schema?: ComponentName; description: string; example?: unknown };
  problems: readonly ProblemStatus[];
}

const BODY_PROBLEMS = [400, 413, 415] as const;

export const OPERATIONS: Record<ManagementHandler, OperationSpec> = {
  'create-api-key': {
    summary: 'Create an API key',
    request: {
      schema: 'CreateKeyRequest',
      example: { name: 'Billing sync', scopes: ['messaging:read'], expiresIn: 2_592_000 },
    },
    success: {
      status: 201,
      schema: 'CreatedKey',
      description: 'The key, and `key`, its secret: shown this once, never again.',
      example: EXAMPLE_CREATED_KEY,
    },
    problems: BODY_PROBLEMS,
  },
  'list-api-keys': {
    summary: "List the company's API keys, newest first",
    query: listKeysQuery,
    success: {
      status: 200,
      schema: 'KeyPage',
      description: 'One page of keys the caller manages.',
      example: { items: [EXAMPLE_KEY_VIEW], nextCursor: null },
    },
    problems: [400],
  },
  'get-api-key': {
    summary: 'Get one API key',
    keyIdInPath: true,
    success: { status: 200, schema: 'KeyView', description: 'The key.', example: EXAMPLE_KEY_VIEW },
    problems: [404],
  },
  'rename-api-key': {
    summary: 'Rename an API key (its scopes, expiry and allow-list cannot change)',
    keyIdInPath: true,
    request: { schema: 'RenameKeyRequest', example: { name: 'Billing sync (EU)' } },
    success: {
      status: 200,
      schema: 'KeyView',
      description: 'The renamed key.',
      example: { ...EXAMPLE_KEY_VIEW, name: 'Billing sync (EU)' },
    },
    problems: [...BODY_PROBLEMS, 404],
  },
  'delete-api-key': {
    summary: 'Delete (revoke) an API key; it stops working at once',
    keyIdInPath: true,
    success: { status: 204, description: 'Deleted.' },
    problems: [...BODY_PROBLEMS, 404],
  },
  'rotate-api-key': {
    summary:
      'Rotate an API key: a new key with the same name, scopes and allow-list; the old one ends after the grace period',
    keyIdInPath: true,
    request: { schema: 'RotateKeyRequest', example: { gracePeriodSeconds: 3600 } },
    success: {
      status: 201,
      schema: 'CreatedKey',
      description:
        'The new key (`rotatedFrom` names the old one), and `key`, its secret: shown this once, never again.',
      example: {
        ...EXAMPLE_CREATED_KEY,
        id: '019a1b2c-3d4e-7f60-8a1b-2c3d4e5f6a7c',
        rotatedFrom: EXAMPLE_KEY_ID,
      },
    },
    problems: [...BODY_PROBLEMS, 404, 409],
  },
  'disable-api-key': {
    summary: 'Disable an API key: it gets 401 until enabled again (idempotent)',
    keyIdInPath: true,
    success: {
      status: 200,
      schema: 'KeyView',
      description: 'The key, disabled.',
      example: { ...EXAMPLE_KEY_VIEW, enabled: false },
    },
    problems: [...BODY_PROBLEMS, 404],
  },
  'enable-api-key': {
    summary: 'Enable an API key again; its expiry is unchanged (idempotent)',
    keyIdInPath: true,
    success: { status: 200, schema: 'KeyView', description: 'The key, enabled.', example: EXAMPLE_KEY_VIEW },
    problems: [...BODY_PROBLEMS, 404],
  },
  'list-audit-events': {
    summary: "List the company's audit events, newest first",
    query: listAuditEventsQuery,
    success: {
      status: 200,
      schema: 'AuditEventPage',
      description:
        "One page of events: all of the company's for a root admin; for a key, only events about keys it covers.",
      example: { items: [EXAMPLE_AUDIT_EVENT], nextCursor: null },
    },
    problems: [400],
  },
  'list-scopes': {
    summary: 'The scopes a key may hold, for scope pickers',
    success: {
      status: 200,
      schema: 'ScopeCatalog',
      description: 'Every scope with its access and the routes it opens.',
      example: EXAMPLE_SCOPES,
    },
    problems: [],
  },
  'get-notification-settings': {
    summary: 'Who receives the daily expiry email',
    success: {
      status: 200,
      schema: 'NotificationSettings',
      description: 'The recipients; `{"emails": []}` when never set.',
      example: { emails: ['security@example.com'] },
    },
    problems: [],
  },
  'put-notification-settings': {
    summary: 'Set who receives the daily expiry email',
    request: {
      schema: 'NotificationSettingsRequest',
      example: { emails: ['security@example.com', 'ops@example.com'] },
    },
    success: {
      status: 200,
      schema: 'NotificationSettings',
      description: 'What was stored (deduplicated case-insensitively).',
      example: { emails: ['security@example.com', 'ops@example.com'] },
    },
    // 409: another write landed between the read of the old recipients (for the audit record) and this one, three times.
    problems: [...BODY_PROBLEMS, 409],
  },
};

export { EXAMPLE_KEY_ID };
