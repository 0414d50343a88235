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
