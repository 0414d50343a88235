import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/api/caller.js';
import { loadEnv, storeEnvSchema } from '../../shared/config/env.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/http/http-handler.js';
import { readNotificationSettings } from '../../shared/notify/settings-requests.js';
import { sharedDocumentClient } from '../../shared/store/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/store/dynamo-notification-store.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const env = loadEnv(storeEnvSchema);
const store = new DynamoNotificationStore(
  sharedDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  env.TABLE_NAME,
);

/** `GET /v1/settings/notifications` → 200 `{emails}` (empty when never set); root admins only. */
export async function getNotificationSettings(event: ApiEvent): Promise<APIGatewayProxyResult> {
  return jsonResponse(200, await readNotificationSettings(store, callerOf(event)));
}

export const handler = httpHandler('get-notification-settings', getNotificationSettings);
