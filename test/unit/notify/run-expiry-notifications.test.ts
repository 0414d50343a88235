import { describe, expect, it } from 'vitest';
import type { DueKey } from '../../../shared/domain/notify/ports.js';
import {
  CLAIM_TIMEOUT_MS,
  DEADLINE_MARGIN_MS,
  runExpiryNotifications,
} from '../../../shared/domain/notify/run-expiry-notifications.js';
import { RecordingLog } from '../../support/recording-log.js';
import { ArrayExpiryIndex, MapRecipients, MemoryLedger, RecordingMailer } from './fakes.js';

const asOf = new Date('2026-11-30T11:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function key(companyId: string, keyId: string, offsetMs: number): DueKey {
  return {
    companyId,
    keyId,
    name: `${companyId} key ${keyId}`,
    keyPrefix: 'wsk-v1-abc',
    scopes: ['pbx:read'],
    expiresAt: new Date(asOf.getTime() + offsetMs).toISOString(),
  };
}

function setup(keys: DueKey[], recipients: Record<string, string[]>) {
  const ports = {
    expiryIndex: new ArrayExpiryIndex(keys),
    recipients: new MapRecipients(recipients),
    ledger: new MemoryLedger(),
    mailer: new RecordingMailer(),
    logger: new RecordingLog(),
  };
  let wall = asOf;
  const run = (at: Date = asOf) =>
    runExpiryNotifications({
      ...ports,
      clock: { now: () => wall },
      asOf: at,
      consoleUrl: 'https://console.test',
    });
  return { ...ports, run, setWall: (time: Date) => (wall = time) };
}

describe('runExpiryNotifications', () => {
  it('sends one email per company with keys due, to its recipients, listing only its keys', async () => {
    const t = setup(
      [
        key('acme', 'a1', 2 * DAY),
        key('acme', 'a2', -HOUR),
        key('globex', 'g1', 3 * DAY),
        key('initech', 'i1', 9 * DAY),
      ],
      { acme: ['ops@acme.test', 'sec@acme.test'], globex: ['it@globex.test'], initech: ['x@initech.test'] },
    );
    const summary = await t.run();
    expect(summary).toMatchObject({
      day: '2026-11-30',
      companiesScanned: 2,
      emailsSent: 2,
      skippedNoRecipients: 0,
      alreadySent: 0,
      failed: [],
      keysDue: 3,
    });
    const acme = t.mailer.sent.find((email) => email.to.includes('ops@acme.test'));
    expect(acme?.to).toEqual(['ops@acme.test', 'sec@acme.test']);
    expect(acme?.subject).toBe('1 API key expires this week, 1 expired in the last 24 hours');
    expect(acme?.text).toContain('acme key a1');
    expect(acme?.text).not.toContain('globex');
    expect(t.mailer.sent.some((email) => email.to.includes('x@initech.test'))).toBe(false);
  });

  it('sends nothing twice the same day and again the next day', async () => {
    const t = setup([key('acme', 'a1', 2 * DAY)], { acme: ['ops@acme.test'] });
    expect((await t.run()).emailsSent).toBe(1);
    const again = await t.run(new Date(asOf.getTime() + 5 * HOUR));
    expect(again).toMatchObject({ emailsSent: 0, alreadySent: 1, failed: [] });
    const nextDay = await t.run(new Date(asOf.getTime() + DAY));
    expect(nextDay).toMatchObject({ day: '2026-12-01', emailsSent: 1, alreadySent: 0 });
    expect(t.mailer.sent).toHaveLength(2);
  });

  it('keeps going past a failing company, reports it, and retries only it next run', async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY), key('initech', 'i1', DAY)], {
      acme: ['ops@acme.test'],
      globex: ['it@globex.test'],
      initech: ['x@initech.test'],
    });
    t.mailer.failFor.add('it@globex.test');
    const first = await t.run();
    expect(first).toMatchObject({ emailsSent: 2, failed: ['globex'] });
    expect(t.ledger.markers.get('globex/2026-11-30')?.status).toBe('failed');
    expect(
      t.logger.lines.some((line) => line.level === 'error' && line.attributes.companyId === 'globex'),
    ).toBe(true);

    t.mailer.failFor.clear();
    const retry = await t.run();
    expect(retry).toMatchObject({ emailsSent: 1, alreadySent: 2, failed: [] });
    expect(t.mailer.sent.map((email) => email.to[0])).toEqual([
      'ops@acme.test',
      'x@initech.test',
      'it@globex.test',
    ]);
  });

  it('skips and counts a company with keys due but no recipients, without claiming its day', async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY)], { acme: ['ops@acme.test'] });
    const summary = await t.run();
    expect(summary).toMatchObject({ emailsSent: 1, skippedNoRecipients: 1, failed: [] });
    expect(t.ledger.markers.has('globex/2026-11-30')).toBe(false);
    expect(
      t.logger.lines.some((line) => line.level === 'warn' && line.attributes.companyId === 'globex'),
    ).toBe(true);
  });

  it('sends no email at all when nothing is due', async () => {
    const t = setup([key('acme', 'a1', 8 * DAY), key('acme', 'a2', -2 * DAY)], { acme: ['ops@acme.test'] });
    expect(await t.run()).toMatchObject({ companiesScanned: 0, emailsSent: 0, itemsRead: 0 });
    expect(t.mailer.sent).toHaveLength(0);
  });

  it('leaves a fresh claim to its run, and takes over one older than the claim timeout', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    await t.ledger.claim('acme', '2026-11-30', asOf, new Date(0));
    t.setWall(new Date(asOf.getTime() + CLAIM_TIMEOUT_MS - 1));
    expect(await t.run()).toMatchObject({ emailsSent: 0, inProgress: 1, failed: [] });
    t.setWall(new Date(asOf.getTime() + CLAIM_TIMEOUT_MS + 1));
    expect(await t.run()).toMatchObject({ emailsSent: 1, inProgress: 0 });
  });

  it('starts no company once the run is about to time out, leaving it unclaimed for the retry', async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY), key('initech', 'i1', DAY)], {
      acme: ['ops@acme.test'],
      globex: ['it@globex.test'],
      initech: ['x@initech.test'],
    });
    // Enough time for the first company only, as a Lambda near its timeout reports.
    const remaining = [DEADLINE_MARGIN_MS + 1_000, DEADLINE_MARGIN_MS - 1, DEADLINE_MARGIN_MS - 500];
    const first = await runExpiryNotifications({
      ...t,
      clock: { now: () => asOf },
      asOf,
      consoleUrl: 'https://console.test',
      concurrency: 1,
      remainingTimeMs: () => remaining.shift() ?? 0,
    });
    expect(first).toMatchObject({ emailsSent: 1, inProgress: 0, failed: ['globex', 'initech'] });
    // Not claimed: a claim left by a run killed mid-send would block the day for CLAIM_TIMEOUT_MS.
    expect(t.ledger.markers.has('globex/2026-11-30')).toBe(false);
    expect(t.ledger.markers.has('initech/2026-11-30')).toBe(false);

    expect(await t.run()).toMatchObject({ emailsSent: 2, alreadySent: 1, failed: [] });
    expect(t.mailer.sent.map((email) => email.to[0])).toEqual([
      'ops@acme.test',
      'it@globex.test',
      'x@initech.test',
    ]);
  });

  it('reports a sent email as sent even when its marker cannot be updated', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    t.ledger.markSent = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    expect(await t.run()).toMatchObject({ emailsSent: 1, failed: [] });
    // The claim stays `sending`: a rerun within the claim timeout does not send it again.
    expect(await t.run()).toMatchObject({ emailsSent: 0, inProgress: 1 });
    expect(t.mailer.sent).toHaveLength(1);
  });

  it('fails the company, not the run, when its recipients cannot be read', async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY)], {
      acme: ['ops@acme.test'],
      globex: ['g@x.test'],
    });
    const original = t.recipients.recipientsOf.bind(t.recipients);
    t.recipients.recipientsOf = async (companyId) => {
      if (companyId === 'acme') throw new Error('timeout');
      return original(companyId);
    };
    expect(await t.run()).toMatchObject({ emailsSent: 1, failed: ['acme'] });
  });

  it('throws when the expiry index cannot be read (nothing is sent)', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    t.expiryIndex.keysExpiringIn = async () => {
      throw new Error('unreachable');
    };
    await expect(t.run()).rejects.toThrow('unreachable');
    expect(t.mailer.sent).toHaveLength(0);
  });

  it('logs counts and ids only: no recipient address, no key name', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    await t.run();
    const logged = JSON.stringify(t.logger.lines);
    expect(logged).not.toContain('ops@acme.test');
    expect(logged).not.toContain('acme key a1');
    expect(logged).toContain('expiry digest run finished');
  });

  it('fails a company whose digest would exceed the SES message limit instead of cutting it', async () => {
    const scopes = Array.from({ length: 40 }, (_, i) => `namespace${i}:SomeLongOperationName${i}`);
    const huge = Array.from({ length: 6_000 }, (_, i) => ({
      ...key('acme', `a${i}`, DAY),
      name: 'n'.repeat(100),
      scopes,
    }));
    const t = setup([...huge, key('globex', 'g1', DAY)], {
      acme: ['ops@acme.test'],
      globex: ['it@globex.test'],
    });
    const summary = await t.run();
    expect(summary).toMatchObject({ emailsSent: 1, failed: ['acme'] });
    expect(
      t.logger.lines.some((line) => String(line.attributes.error).startsWith('DigestTooLargeError')),
    ).toBe(true);
    expect(t.ledger.markers.has('acme/2026-11-30')).toBe(false);
  });
});
