import { describe, expect, it } from 'vitest';
import {
  CLAIM_LEASE_MS,
  type CompanyResult,
  deliveryOf,
  leaseUntil,
  recipientIdentity,
  tallyDeliveries,
} from '../../../shared/domain/notify/delivery.js';
import { DEADLINE_MARGIN_MS } from '../../../shared/domain/notify/run-expiry-notifications.js';

describe('recipient identity', () => {
  it('case-folds the address, as the settings do when they deduplicate it', () => {
    expect(recipientIdentity('Ops@Acme.TEST')).toBe('ops@acme.test');
    expect(deliveryOf('acme', '2026-11-30', 'Sec@acme.test')).toEqual({
      companyId: 'acme',
      day: '2026-11-30',
      recipient: 'sec@acme.test',
    });
  });
});

describe('claim lease', () => {
  it('lasts CLAIM_LEASE_MS from the claim', () => {
    expect(leaseUntil(new Date('2026-11-30T11:00:00.000Z')).toISOString()).toBe('2026-11-30T11:02:00.000Z');
  });

  it("outlasts one send's worst case several times over, and lapses before Lambda's second retry (3 min)", () => {
    expect(CLAIM_LEASE_MS).toBeGreaterThanOrEqual(4 * DEADLINE_MARGIN_MS);
    expect(CLAIM_LEASE_MS).toBeLessThan(3 * 60_000);
  });
});

describe('tallyDeliveries', () => {
  it('counts messages and recipients, and lists a company as failed when any recipient was not sent', () => {
    const results: CompanyResult[] = [
      { companyId: 'acme', kind: 'delivered', deliveries: ['sent', 'already-sent', 'failed'] },
      { companyId: 'globex', kind: 'delivered', deliveries: ['in-progress', 'sent'] },
      { companyId: 'hooli', kind: 'no-recipients' },
      { companyId: 'initech', kind: 'failed' },
      { companyId: 'umbrella', kind: 'delivered', deliveries: ['already-sent'] },
    ];
    expect(tallyDeliveries(results)).toEqual({
      emailsSent: 2,
      alreadySent: 2,
      inProgress: 1,
      failedRecipients: 1,
      skippedNoRecipients: 1,
      failed: ['acme', 'initech'],
    });
  });

  it('is all zeros for no companies', () => {
    expect(tallyDeliveries([])).toEqual({
      emailsSent: 0,
      alreadySent: 0,
      inProgress: 0,
      failedRecipients: 0,
      skippedNoRecipients: 0,
      failed: [],
    });
  });
});
