/**
 * The management API's JSON shapes as the console reads them: the API's own types (described once, in
 * `shared/domain/management/response-schemas.ts`), imported type-only so they cost the bundle no
 * bytes. Where the console reads more loosely than the API writes, the type says so below.
 */

import type { z } from 'zod/mini';
import type { createKeyRequest } from '../../../shared/domain/management/request-schemas.js';
import type {
  AuditEventView as ApiAuditEventView,
  CreatedKey,
  KeyView,
  notificationSettingsViewSchema,
} from '../../../shared/domain/management/response-schemas.js';

/** The fields the screens test for before they offer what depends on them (the Disabled filter, Rotate). */
type DetectedKeyFields = 'enabled' | 'rotatedFrom' | 'rotatedTo';

/**
 * One key as `GET /v1/api-keys` lists it: never the secret. `enabled` and the rotation links are
 * optional here, so a screen shows what depends on them only when the API reports them.
 */
export type ApiKey = Omit<KeyView, DetectedKeyFields> & Partial<Pick<KeyView, DetectedKeyFields>>;

/** `POST /v1/api-keys`'s answer: the record and, this once, its secret. */
export type CreatedApiKey = ApiKey & Pick<CreatedKey, 'key'>;

/** `POST /v1/api-keys`'s body. */
export type CreateApiKeyRequest = z.input<typeof createKeyRequest>;

// The scope catalog's shapes are the API's own (type-only imports: no bytes in the bundle).
import type {
  GroupDescription,
  NamespaceDescription,
  ScopeCatalogDescription,
  ScopeDescription,
} from '../../../shared/domain/scopes/scope-presentation.js';

export type { Access } from '../../../shared/domain/catalog/catalog-types.js';
export type { GroupDescription, NamespaceDescription, ScopeDescription };

/** `GET /v1/scopes`. */
export type ScopeCatalog = ScopeCatalogDescription;

/** `GET` and `PUT /v1/settings/notifications`. */
export type NotificationSettings = z.infer<typeof notificationSettingsViewSchema>;

/** One field problem of an RFC 9457 problem document. */
export interface FieldProblem {
  pointer?: string;
  parameter?: string;
  detail: string;
}

/** An RFC 9457 problem document (`application/problem+json`). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  requestId?: string;
}

/** The audit log's actions, as the audit read API (`GET /v1/audit-events`) names them. */
import { AUDIT_ACTIONS, type AuditAction } from '../../../shared/domain/audit/audit-actions.js';

export { AUDIT_ACTIONS, type AuditAction };

/** Who acted: a root admin (a person) or an API key. */
export type AuditActor = ApiAuditEventView['actor'];

/**
 * One audit event as the API shows it: never a company id, secret, digest or scopes. `action` is
 * one of {@link AUDIT_ACTIONS}, typed as a string so an action the API gains later still shows.
 */
export type AuditEventView = Omit<ApiAuditEventView, 'action'> & { action: string };

/** `GET /v1/audit-events`: one page, newest first; `nextCursor` is null on the last page. */
export interface AuditEventPage {
  items: AuditEventView[];
  nextCursor: string | null;
}

/** The audit read API's query: all optional (the API's default page is 50 events). */
export interface AuditQuery {
  limit?: number;
  cursor?: string;
  /** Events whose target or actor is this key. */
  keyId?: string;
  action?: AuditAction;
}
