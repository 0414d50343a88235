import createClient from 'openapi-fetch';
import { loadCredentials } from './config.js';
import { ApiRefusedError, ConnectionError } from './errors.js';
import type { paths } from './generated/openapi.js';
import { nodeFetch } from './http-transport.js';

/**
 * The management API client: openapi-fetch typed by the types openapi-typescript generated from
 * docs/openapi.json, so every path, parameter and body here is checked against the document.
 */

export type KeygateClient = ReturnType<typeof createClient<paths>>;

/** A client for the configured URL, sending the token as `Authorization: Bearer`. */
export async function connect(): Promise<{ client: KeygateClient; url: string }> {
  const { url, token } = await loadCredentials();
  return { client: clientFor(url, token), url };
}

/** A client for `url` with `token`; a failure to reach it is a `ConnectionError` naming the URL. */
export function clientFor(url: string, token: string): KeygateClient {
  return createClient<paths>({
    baseUrl: url,
    headers: { Authorization: `Bearer ${token}` },
    fetch: (request) =>
      nodeFetch(request).catch((error: unknown) => {
        throw unreachable(url, error);
      }),
  });
}

function unreachable(url: string, error: unknown): ConnectionError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new ConnectionError(
    `Cannot reach keygate at ${url} (${reason}). Is it running (npm start)? Check KEYGATE_URL.`,
  );
}

/**
 * The body of a successful answer, or the problem as an `ApiRefusedError` (exit 1). A 401 or 403
 * from the gateway adds what to do about the token.
 */
export function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { response } = result;
  if (response.ok) return result.data as T;
  const problem =
    typeof result.error === 'object' && result.error !== null
      ? (result.error as ConstructorParameters<typeof ApiRefusedError>[1])
      : { title: response.statusText, detail: `HTTP ${response.status} from ${response.url}` };
  const hint =
    response.status === 401
      ? 'The token was refused: set KEYGATE_TOKEN to a valid root-admin token or API key, or run keygate login.'
      : undefined;
  throw new ApiRefusedError(response.status, problem, hint);
}
