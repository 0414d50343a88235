import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { readNotificationSettings } from '../../shared/domain/notify/settings-requests.js';
import { type NotificationSettingsDeps, notificationSettingsDepsFromEnv } from '../management-wiring.js';

/** `GET /v1/settings/notifications` → 200 `{emails}` (empty when never set); root admins only. */
export function makeGetNotificationSettings(deps: NotificationSettingsDeps) {
  return async (event: ApiEvent): Promise<APIGatewayProxyResult> =>
    jsonResponse(200, await readNotificationSettings(deps, callerOf(event)));
}

/** `makeGetNotificationSettings` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return httpHandler(
    'get-notification-settings',
    makeGetNotificationSettings(notificationSettingsDepsFromEnv(env, catalog)),
  );
}
