import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { loadEnv, storeEnvSchema } from '../../shared/adapters/config/env.js';
import { sharedDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { type ApiEvent, httpHandler, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { readNotificationSettings } from '../../shared/domain/notify/settings-requests.js';

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
