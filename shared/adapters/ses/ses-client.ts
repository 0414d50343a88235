import { SESClient } from '@aws-sdk/client-ses';

/** How long one SES call may take before it fails (and the SDK retries it). */
export const SES_REQUEST_TIMEOUT_MS = 5_000;

export interface SesClientOptions {
  /** The SES emulator's URL (local mode and tests); unset in AWS. */
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Attempts per call, retries included (SDK default: 3). */
  maxAttempts?: number;
  /** Default `SES_REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number;
}

let shared: SESClient | undefined;

/**
 * The process's one SES (v1) client, created on first use. With `endpoint` (local mode and tests:
 * the SES emulator) it signs with throwaway credentials, since the emulator checks none.
 *
 * Every request has a timeout that throws: aws-ses-v2-local never answers calls it does not
 * implement, and a hung SES call must fail that company's send, not the whole run at the Lambda timeout.
 */
export function sesClient(options: SesClientOptions = {}): SESClient {
  shared ??= createSesClient(options);
  return shared;
}

/** A new SES client with keygate's settings (see `sesClient`). Call `destroy()` to close its sockets. */
export function createSesClient(options: SesClientOptions = {}): SESClient {
  const { endpoint } = options;
  return new SESClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    requestHandler: {
      connectionTimeout: 2_000,
      requestTimeout: options.requestTimeoutMs ?? SES_REQUEST_TIMEOUT_MS,
      // Without this the handler only logs a warning when the timeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

/** Closes the shared client's sockets (local mode shutdown). */
export function closeSesClient(): void {
  shared?.destroy();
  shared = undefined;
}
