import { auditSearch } from './audit-query.js';
import { ApiError } from './problem.js';
import type {
  ApiKey,
  AuditEventPage,
  AuditQuery,
  CreateApiKeyRequest,
  CreatedApiKey,
  NotificationSettings,
  Problem,
  ScopeCatalog,
} from './types.js';

/** The management API as the console uses it, on the console's own origin with the admin's token. */
export interface ManagementApi {
  listKeys(): Promise<ApiKey[]>;
  createKey(request: CreateApiKeyRequest): Promise<CreatedApiKey>;
  renameKey(id: string, name: string): Promise<ApiKey>;
  deleteKey(id: string): Promise<void>;
  /** Issues the key's successor (same name, scopes, allow-list); the old one works `gracePeriodSeconds` more. */
  rotateKey(id: string, gracePeriodSeconds: number): Promise<CreatedApiKey>;
  /** Disables (401 from the next request) or enables a key again. */
  setKeyEnabled(id: string, enabled: boolean): Promise<ApiKey>;
  scopes(): Promise<ScopeCatalog>;
  notificationSettings(): Promise<NotificationSettings>;
  saveNotificationSettings(settings: NotificationSettings): Promise<NotificationSettings>;
  /** One page of the company's audit log, newest first (`GET /v1/audit-events`). */
  listAuditEvents(query: AuditQuery): Promise<AuditEventPage>;
}

const PAGE_SIZE = 100;
/** A bound on pages read for one list, so a cursor bug cannot loop forever. */
const MAX_PAGES = 1_000;

/**
 * Builds the client. `token()` is read per call (the session may end meanwhile); `onUnauthorized`
 * is told of a 401, which means the sign-in expired or was revoked.
 */
export function managementApi(options: {
  baseUrl: string;
  token: () => string | undefined;
  onUnauthorized: () => void;
}): ManagementApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        credentials: 'omit',
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError({
        status: 0,
        detail: 'The API cannot be reached. Check your connection and retry.',
      });
    }
    if (response.status === 401) options.onUnauthorized();
    if (!response.ok) throw new ApiError(await readProblem(response));
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  };

  return {
    async listKeys() {
      const keys: ApiKey[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (cursor) query.set('cursor', cursor);
        const result = await call<{ items: ApiKey[]; nextCursor?: string }>('GET', `/v1/api-keys?${query}`);
        keys.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return keys;
    },
    createKey: (request) => call('POST', '/v1/api-keys', request),
    renameKey: (id, name) => call('PATCH', `/v1/api-keys/${encodeURIComponent(id)}`, { name }),
    deleteKey: (id) => call('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`),
    rotateKey: (id, gracePeriodSeconds) =>
      call('POST', `/v1/api-keys/${encodeURIComponent(id)}/rotate`, { gracePeriodSeconds }),
    setKeyEnabled: (id, enabled) =>
      call('POST', `/v1/api-keys/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`),
    scopes: () => call('GET', '/v1/scopes'),
    notificationSettings: () => call('GET', '/v1/settings/notifications'),
    saveNotificationSettings: (settings) => call('PUT', '/v1/settings/notifications', settings),
    listAuditEvents: (query) => call('GET', `/v1/audit-events${auditSearch(query)}`),
  };
}

/** The problem document of a failed response, or one that says what came back instead. */
async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = { status: response.status, detail: `The API answered HTTP ${response.status}.` };
  try {
    const body = (await response.json()) as Partial<Problem>;
    if (typeof body !== 'object' || body === null) return fallback;
    // The gateway's own answers (401, 403) are problem documents too, so one reader serves both.
    return { ...body, status: response.status, detail: body.detail ?? fallback.detail };
  } catch {
    return fallback;
  }
}
