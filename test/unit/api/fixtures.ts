import type { Caller } from '../../../shared/domain/auth/caller.js';
import type { ManagementDeps } from '../../../shared/domain/management/management-deps.js';
import { CATALOG } from '../../support/catalog.js';
import { FakeClock, T0 } from '../../support/fake-clock.js';
import { InMemoryKeyStore } from '../../support/in-memory-key-store.js';

export { FakeClock, T0 } from '../../support/fake-clock.js';

export const PREFIX = 'wsk-v1-';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function makeDeps(): ManagementDeps & { store: InMemoryKeyStore; clock: FakeClock } {
  return {
    store: new InMemoryKeyStore(),
    catalog: CATALOG,
    clock: new FakeClock(),
    keyPrefix: PREFIX,
    retentionDays: 30,
  };
}

export const admin = (companyId = 'acme'): Caller => ({
  kind: 'root-admin',
  companyId,
  subject: `sub-${companyId}`,
  email: `root@${companyId}.example`,
});

/** Awaits a promise that must reject and returns what it rejected with. */
export async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export const keyCaller = (scopes: string[], companyId = 'acme'): Caller => ({
  kind: 'key',
  companyId,
  keyId: '0190a0b0-0000-7000-8000-000000000001',
  keyName: 'automation',
  scopes,
  expiresAt: new Date(T0.getTime() + 30 * DAY_MS).toISOString(),
  allowedIps: [],
});
