import type { CatalogRoute } from '../domain/catalog/catalog-types.js';

/** A route as a table lists it; its id (`METHOD /path`) is derived. */
export type RouteInput = Omit<CatalogRoute, 'id'>;

/** Cloud API examples from seed 000 ("How to Use API Key Authentication"). */
export const CLOUD_ROUTES: readonly RouteInput[] = [
  {
    method: 'GET',
    path: '/v2/conversations/channels/',
    namespace: 'messaging',
    operation: 'ListChannels',
    access: 'read',
    kind: 'protected',
    auth: 'scoped',
    description: 'List conversation channels',
  },
  {
    method: 'POST',
    path: '/v2/conversations/channels/{channelId}/messages/',
    namespace: 'messaging',
    operation: 'SendMessage',
    access: 'write',
    kind: 'protected',
    auth: 'scoped',
    description: 'Send a message to a channel',
  },
  {
    method: 'GET',
    path: '/v2/users/me/',
    namespace: 'users',
    operation: 'GetUserInfo',
    access: 'read',
    kind: 'protected',
    auth: 'scoped',
    description: 'Get the calling user',
  },
  {
    method: 'GET',
    path: '/v2/company/',
    namespace: 'company',
    operation: 'GetCompanyInfo',
    access: 'read',
    kind: 'protected',
    auth: 'scoped',
    description: 'Get company and PBX details',
  },
];
