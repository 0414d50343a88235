import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Where the DynamoDB client connects. `endpoint` is set in local mode and tests (DynamoDB Local)
 * and unset in AWS.
 */
export interface DynamoClientOptions {
  endpoint?: string;
  region?: string;
}

/** Timeouts that make a dead or unreachable DynamoDB fail fast, so callers fail closed within seconds. */
const CONNECTION_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_500;
const MAX_ATTEMPTS = 3;

/** DynamoDB Local accepts any credentials; the SDK still needs some to sign requests. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Creates a document client with keygate's settings: short timeouts, bounded retries, and
 * `removeUndefinedValues` so optional fields are simply left out of items.
 * Prefer `sharedDocumentClient`, which creates one per process.
 */
export function createDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined;
  const hasEnvironmentCredentials = Boolean(
    process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY,
  );
  const client = new DynamoDBClient({
    ...(local ? { endpoint: options.endpoint } : {}),
    region: options.region ?? process.env.AWS_REGION ?? (local ? 'us-east-1' : undefined),
    // Locally, without real credentials in the environment, sign with dummy ones instead of letting the
    // default chain probe for instance metadata (slow, and pointless against DynamoDB Local).
    ...(local && !hasEnvironmentCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

let shared: { endpoint: string | undefined; client: DynamoDBDocumentClient } | undefined;

/**
 * The process's one document client (created on first use, then reused by every invocation, so
 * connections stay warm). Asking again with a different endpoint is a programming error.
 */
export function sharedDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  if (shared === undefined) {
    shared = { endpoint: options.endpoint, client: createDocumentClient(options) };
  } else if (shared.endpoint !== options.endpoint) {
    throw new Error('the shared DynamoDB client was already created for another endpoint');
  }
  return shared.client;
}
