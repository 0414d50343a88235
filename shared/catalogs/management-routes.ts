import type { CatalogRoute } from '../domain/catalog/catalog-types.js';

/** A route as a table lists it; its id (`METHOD /path`) is derived. */
export type RouteInput = Omit<CatalogRoute, 'id'>;

/** keygate's own management API (DESIGN.md), namespace `apikeys`. */
export const MANAGEMENT_ROUTES: readonly RouteInput[] = [
  {
    method: 'POST',
    path: '/v1/api-keys',
    namespace: 'apikeys',
    operation: 'CreateApiKey',
    access: 'write',
    kind: 'management',
    auth: 'scoped',
    handler: 'create-api-key',
    description: 'Create an API key (the secret is returned this once)',
  },
  {
    method: 'GET',
    path: '/v1/api-keys',
    namespace: 'apikeys',
    operation: 'ListApiKeys',
    access: 'read',
    kind: 'management',
    auth: 'scoped',
    handler: 'list-api-keys',
    description: "List the company's API keys",
  },
  {
    method: 'GET',
    path: '/v1/api-keys/{id}',
    namespace: 'apikeys',
    operation: 'GetApiKey',
    access: 'read',
    kind: 'management',
    auth: 'scoped',
    handler: 'get-api-key',
    description: 'Get one API key',
  },
  {
    method: 'PATCH',
    path: '/v1/api-keys/{id}',
    namespace: 'apikeys',
    operation: 'UpdateApiKey',
    access: 'write',
    kind: 'management',
    auth: 'scoped',
    handler: 'rename-api-key',
    description: 'Rename an API key',
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{id}',
    namespace: 'apikeys',
    operation: 'DeleteApiKey',
    access: 'write',
    kind: 'management',
    auth: 'scoped',
    handler: 'delete-api-key',
    description: 'Delete (revoke) an API key',
  },
  {
    method: 'GET',
    path: '/v1/scopes',
    namespace: 'apikeys',
    operation: 'ListScopes',
    access: 'read',
    kind: 'management',
    auth: 'any-key',
    handler: 'list-scopes',
    description: 'The scope catalog, for scope pickers',
  },
  {
    method: 'GET',
    path: '/v1/settings/notifications',
    namespace: 'apikeys',
    operation: 'GetNotificationSettings',
    access: 'read',
    kind: 'management',
    auth: 'root-admin',
    handler: 'get-notification-settings',
    description: 'Who receives the daily expiry email',
  },
  {
    method: 'PUT',
    path: '/v1/settings/notifications',
    namespace: 'apikeys',
    operation: 'PutNotificationSettings',
    access: 'write',
    kind: 'management',
    auth: 'root-admin',
    handler: 'put-notification-settings',
    description: 'Set who receives the daily expiry email',
  },
];

/** keygate's own routes as the catalog holds them (with ids): built in, whatever the config says. */
export function managementRoutes(): CatalogRoute[] {
  return MANAGEMENT_ROUTES.map((route) => ({ id: `${route.method} ${route.path}`, ...route }));
}
