export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** GET and HEAD are reads; every other method writes. */
export type Access = 'read' | 'write';

/** The Lambda behind a management route. */
export type ManagementHandler =
  | 'create-api-key'
  | 'list-api-keys'
  | 'get-api-key'
  | 'rename-api-key'
  | 'delete-api-key'
  | 'rotate-api-key'
  | 'disable-api-key'
  | 'enable-api-key'
  | 'list-audit-events'
  | 'list-scopes'
  | 'get-notification-settings'
  | 'put-notification-settings';

/**
 * Who may call a route:
 * - `scoped`: an API key whose scopes cover the route (and, on management routes, a root admin);
 * - `any-key`: any valid API key or root admin (e.g. `GET /v1/scopes`, for scope pickers);
 * - `root-admin`: root admins only, never a key (e.g. the notification settings).
 */
export type RouteAuth = 'scoped' | 'any-key' | 'root-admin';

export interface CatalogRoute {
  /** `METHOD /path/template/`, unique in the catalog. */
  readonly id: string;
  readonly method: HttpMethod;
  /** Path template as documented; `{name}` matches exactly one non-empty segment. */
  readonly path: string;
  /** Scope namespace, e.g. `colleagues` or `messaging`. */
  readonly namespace: string;
  /** Operation name where the API has one, e.g. `ListChannels` (scope `messaging:ListChannels`). */
  readonly operation?: string;
  readonly access: Access;
  /** Umbrella group whose `group:read` / `group:*` scopes also cover this route, e.g. `pbx`. */
  readonly group?: string;
  /** `management` routes are keygate's own API (root admins may call them); `protected` are the company's APIs. */
  readonly kind: 'protected' | 'management';
  readonly auth: RouteAuth;
  /** The Lambda that serves a management route. */
  readonly handler?: ManagementHandler;
  readonly description?: string;
}
