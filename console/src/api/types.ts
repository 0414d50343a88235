/**
 * The management API's JSON shapes as the console reads them (DESIGN.md "Management API"). Fields
 * the API does not have yet (`enabled`, rotation) are optional, so the screens can detect them.
 */

/** One key as `GET /v1/api-keys` lists it: never the secret. */
export interface ApiKey {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: string[];
  allowedIps: string[];
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  expired: boolean;
  lastUsedAt: string | null;
  /** Present once the API can disable keys. */
  enabled?: boolean;
  /** The key this one replaced by rotation, or null (present once the API can rotate). */
  rotatedFrom?: string | null;
  /** The key that replaced this one by rotation, or null: a key is rotated at most once. */
  rotatedTo?: string | null;
}

/** `POST /v1/api-keys`'s answer: the record and, this once, its secret. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface CreateApiKeyRequest {
  name: string;
  scopes: string[];
  expiresIn?: number;
  expiresAt?: string;
  allowedIps?: string[];
}

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

export interface NotificationSettings {
  emails: string[];
}

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
export type AuditActor =
  | { type: 'root-admin'; subject: string; email: string | null }
  | { type: 'key'; keyId: string; name: string };

/** One audit event as the API shows it: never a company id, secret, digest or scopes. */
export interface AuditEventView {
  id: string;
  /** RFC 3339 UTC. */
  at: string;
  /** One of {@link AUDIT_ACTIONS}; typed as a string so an action the API gains later still shows. */
  action: string;
  actor: AuditActor;
  /** The key acted on, or null (company-wide changes). */
  target: { keyId: string; name: string } | null;
  requestId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  /** What changed, per action: small, flat values. */
  changes: Record<string, unknown>;
}

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
