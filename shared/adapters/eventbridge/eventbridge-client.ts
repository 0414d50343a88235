import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let shared: EventBridgeClient | undefined;

/**
 * The process's one EventBridge client, created on first use. With `endpoint` (tests: a local
 * PutEvents server) it signs with throwaway credentials; in AWS the function's role signs.
 */
export function eventBridgeClient(options: { endpoint?: string | undefined } = {}): EventBridgeClient {
  shared ??= new EventBridgeClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return shared;
}
