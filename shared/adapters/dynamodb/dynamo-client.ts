import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The process's DynamoDB connection: one plain client with keygate's settings per endpoint, wrapped
 * in a document client (`removeUndefinedValues`) that every store uses.
 */

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
 * Creates a plain DynamoDB client with keygate's settings: short timeouts, bounded retries.
 * Prefer `sharedDynamoClient`, which creates one per process.
 */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const local = options.endpoint !== undefined;
  const hasEnvironmentCredentials = Boolean(
    process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY,
  );
  return new DynamoDBClient({
    ...(local ? { endpoint: options.endpoint } : {}),
    region: options.region ?? process.env.AWS_REGION ?? (local ? 'us-east-1' : undefined),
    // Locally, without real credentials in the environment, sign with dummy ones instead of letting the
    // default chain probe for instance metadata (slow, and pointless against DynamoDB Local).
    ...(local && !hasEnvironmentCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  });
}

const shared = new Map<string | undefined, DynamoDBClient>();

/**
 * The process's DynamoDB client for an endpoint (created on first use, then reused by every
 * invocation, so connections stay warm). A Lambda has one endpoint, so one client; local mode and
 * tests may build several functions, each asking for the same one.
 */
export function sharedDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  let client = shared.get(options.endpoint);
  if (client === undefined) {
    client = createDynamoClient(options);
    shared.set(options.endpoint, client);
  }
  return client;
}

/** `removeUndefinedValues`: optional fields are simply left out of items. */
const wrap = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/**
 * Creates a document client with keygate's settings (short timeouts, bounded retries: see
 * above) and `removeUndefinedValues`, on a new client.
 * Prefer `sharedDocumentClient`, which creates one per process.
 */
export function createDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  return wrap(createDynamoClient(options));
}

const sharedDocs = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

/**
 * The process's one document client, on the process's one DynamoDB client (`sharedDynamoClient`), so
 * connections stay warm across invocations.
 */
export function sharedDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const client = sharedDynamoClient(options);
  let doc = sharedDocs.get(client);
  if (doc === undefined) {
    doc = wrap(client);
    sharedDocs.set(client, doc);
  }
  return doc;
}
