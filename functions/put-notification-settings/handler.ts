import type { APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../shared/api/caller.js';
import { systemClock } from '../../shared/clock.js';
import { loadEnv, storeEnvSchema } from '../../shared/config/env.js';
import { httpHandler, type JsonEvent, jsonResponse } from '../../shared/http/http-handler.js';
import { replaceNotificationSettings } from '../../shared/notify/settings-requests.js';
import { sharedDocumentClient } from '../../shared/store/dynamo-client.js';
import { DynamoNotificationStore } from '../../shared/store/dynamo-notification-store.js';

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
