import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { replaceNotificationSettings } from '../../shared/domain/notify/settings-requests.js';
import {
  auditedSettingsDepsFromEnv,
  auditedWriteHandler,
  type NotificationSettingsDeps,
} from '../management-wiring.js';

/** `PUT /v1/settings/notifications` with `{emails}` → 200 with the stored, deduplicated list; root admins only. */
export function makePutNotificationSettings(deps: NotificationSettingsDeps) {
  return async (event: JsonEvent): Promise<APIGatewayProxyResult> =>
    jsonResponse(200, await replaceNotificationSettings(deps, callerOf(event), event.body));
}

/** `makePutNotificationSettings` wired to DynamoDB from `env`, in the shared middy stack. */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  return auditedWriteHandler(
    'put-notification-settings',
    env,
    catalog,
    makePutNotificationSettings,
    auditedSettingsDepsFromEnv,
    { keys: false, body: 'json' },
  );
}
