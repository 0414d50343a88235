import type { Caller } from '../../../shared/domain/auth/caller.js';
import type { Clock } from '../../../shared/domain/clock.js';
import type { ManagementDeps } from '../../../shared/domain/management/management-deps.js';
import { CATALOG } from '../../support/catalog.js';
import { InMemoryKeyStore } from '../../support/in-memory-key-store.js';

export const PREFIX = 'wsk-v1-';
export const T0 = new Date('2026-03-01T10:00:00.000Z');
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private current: Date = T0) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

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

export const keyCaller = (scopes: string[], companyId = 'acme'): Caller => ({
  kind: 'key',
  companyId,
  keyId: '0190a0b0-0000-7000-8000-000000000001',
  keyName: 'automation',
  scopes,
  expiresAt: new Date(T0.getTime() + 30 * DAY_MS).toISOString(),
  allowedIps: [],
});
