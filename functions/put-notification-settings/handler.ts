import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/adapters/apigateway/authorizer-context.js';
import { loadEnv, storeEnvSchema } from '../../shared/adapters/config/env.js';
import { sharedDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/dynamo-notification-store.js';
import { httpHandler, type JsonEvent, jsonResponse } from '../../shared/adapters/http/http-handler.js';
import { systemClock } from '../../shared/domain/clock.js';
import { replaceNotificationSettings } from '../../shared/domain/notify/settings-requests.js';

// Read once at cold start: a bad environment fails the function's init, naming what is wrong.
const env = loadEnv(storeEnvSchema);
const store = new DynamoNotificationStore(
  sharedDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  env.TABLE_NAME,
);

/** `PUT /v1/settings/notifications` with `{emails}` → 200 with the stored, deduplicated list; root admins only. */
export async function putNotificationSettings(event: JsonEvent): Promise<APIGatewayProxyResult> {
  const settings = await replaceNotificationSettings(
    { store, clock: systemClock },
    callerOf(event),
    event.body,
  );
  return jsonResponse(200, settings);
}

export const handler = httpHandler('put-notification-settings', putNotificationSettings, { jsonBody: true });
