import type { AdminTokenResult, AdminTokenVerifier } from '../../shared/domain/auth/admin-token.js';
import type { AuthorizationRequest } from '../../shared/domain/auth/authorize-request.js';
import { digestApiKey, generateApiKey } from '../../shared/domain/keys/key-format.js';
import type { ApiKeyRecord, KeyLookup, KeyStore } from '../../shared/domain/ports.js';
import { T0 } from './fake-clock.js';
import { InMemoryKeyStore } from './in-memory-key-store.js';

export { FakeClock, T0 } from './fake-clock.js';

export const PREFIX = 'wsk-v1-';

/**
 * The in-memory store, counting what the authorizer costs: reads by digest and `lastUsedAt` writes.
 * `failTouch` makes the write fail; `failReads` makes reads fail (DynamoDB unreachable).
 */
export class CountingStore extends InMemoryKeyStore {
  reads = 0;
  touches = 0;
  failTouch = false;
  failReads = false;

  override async findByDigest(digest: string): Promise<KeyLookup | undefined> {
    this.reads += 1;
    if (this.failReads) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    return super.findByDigest(digest);
  }

  override async touchLastUsed(digest: string, now: Date, minIntervalSeconds: number): Promise<void> {
    this.touches += 1;
    if (this.failTouch) throw new Error('ProvisionedThroughputExceededException');
    return super.touchLastUsed(digest, now, minIntervalSeconds);
  }

  resetCounts(): void {
    this.reads = 0;
    this.touches = 0;
  }
}

let nextId = 0;

/** Stores a freshly generated key (the secret exists only in this test run) and returns it with its record. */
export async function createKey(
  store: KeyStore,
  overrides: Partial<Omit<ApiKeyRecord, 'lastUsedAt'>> = {},
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = generateApiKey(PREFIX);
  nextId += 1;
  const record: ApiKeyRecord = {
    id: `key-${nextId}`,
    companyId: 'acme',
    name: `key ${nextId}`,
    keyPrefix: key.slice(0, PREFIX.length + 3),
    scopes: ['colleagues:read'],
    allowedIps: [],
    createdAt: T0.toISOString(),
    createdBy: 'admin@example.com',
    expiresAt: new Date(T0.getTime() + 30 * 86_400_000).toISOString(),
    lastUsedAt: null,
    enabled: true,
    rotatedFrom: null,
    rotatedTo: null,
    ...overrides,
  };
  await store.create(
    record,
    digestApiKey(key),
    Math.floor(Date.parse(record.expiresAt) / 1000) + 30 * 86_400,
  );
  return { key, record };
}

/** A request as the handler builds it; `GET /api/v1/pbx/colleagues/` from 203.0.113.7 by default. */
export function request(overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    method: 'GET',
    path: '/api/v1/pbx/colleagues/',
    headers: {},
    sourceIp: '203.0.113.7',
    ...overrides,
  };
}

export const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });

/** A token verifier answering from a table; anything else is an invalid token. Counts calls. */
export class FakeTokenVerifier implements AdminTokenVerifier {
  calls = 0;
  constructor(private readonly tokens: Record<string, AdminTokenResult> = {}) {}
  async verify(token: string): Promise<AdminTokenResult> {
    this.calls += 1;
    return this.tokens[token] ?? { ok: false, reason: 'invalid-token', detail: 'not a token the fake knows' };
  }
}

/** JWT-shaped strings for the fake verifier (three base64url parts). */
export const ADMIN_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl';
export const USER_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
