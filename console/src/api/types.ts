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

export type Access = 'read' | 'write';

export interface ScopeDescription {
  scope: string;
  description: string;
  access: Access;
  covers: number;
}

export interface NamespaceDescription {
  namespace: string;
  group?: string;
  readScope?: string;
  fullScope: string;
  operations: Array<{ scope: string; access: Access }>;
}

export interface GroupDescription {
  group: string;
  readScope?: string;
  fullScope: string;
  namespaces: string[];
}

/** `GET /v1/scopes`. */
export interface ScopeCatalog {
  scopes: ScopeDescription[];
  namespaces: NamespaceDescription[];
  groups: GroupDescription[];
}

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
