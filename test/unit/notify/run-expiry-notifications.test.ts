import { describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS, deliveryOf } from '../../../shared/domain/notify/delivery.js';
import type { DueKey } from '../../../shared/domain/notify/ports.js';
import {
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
    enabled: true,
    rotatedTo: null,
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
      keyStates: ports.expiryIndex,
      clock: { now: () => wall },
      asOf: at,
      consoleUrl: 'https://console.test',
    });
  return { ...ports, run, setWall: (time: Date) => (wall = time) };
}

describe('runExpiryNotifications', () => {
  it('sends each recipient of a company with keys due its own message of the same digest, listing only its keys', async () => {
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
      emailsSent: 3,
      skippedNoRecipients: 0,
      alreadySent: 0,
      failedRecipients: 0,
      failed: [],
      keysDue: 3,
    });
    expect(t.mailer.sent.map((email) => email.to)).toEqual([
      'ops@acme.test',
      'it@globex.test',
      'sec@acme.test',
    ]);
    const [ops, sec] = t.mailer.sent.filter((email) => email.to.endsWith('@acme.test'));
    expect(ops?.subject).toBe('[acme] 1 API key expires this week, 1 expired in the last 24 hours');
    expect(ops?.text).toContain('acme key a1');
    expect(ops?.text).not.toContain('globex');
    // One digest per company per day: both recipients get the very same message.
    expect({ ...sec, to: '' }).toEqual({ ...ops, to: '' });
    expect(t.ledger.statuses('acme', '2026-11-30')).toEqual({
      'ops@acme.test': 'sent',
      'sec@acme.test': 'sent',
    });
  });

  it('sends nothing twice the same day and again the next day', async () => {
    const t = setup([key('acme', 'a1', 2 * DAY)], { acme: ['ops@acme.test', 'sec@acme.test'] });
    expect((await t.run()).emailsSent).toBe(2);
    const again = await t.run(new Date(asOf.getTime() + 5 * HOUR));
    expect(again).toMatchObject({ emailsSent: 0, alreadySent: 2, failed: [] });
    const nextDay = await t.run(new Date(asOf.getTime() + DAY));
    expect(nextDay).toMatchObject({ day: '2026-12-01', emailsSent: 2, alreadySent: 0 });
    expect(t.mailer.sent).toHaveLength(4);
  });

  it("sends the company's other recipients when one fails, and the rerun sends only the failed one", async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY)], {
      acme: ['ops@acme.test', 'bad@acme.test', 'sec@acme.test'],
      globex: ['it@globex.test'],
    });
    t.mailer.failFor.add('bad@acme.test');
    const first = await t.run();
    expect(first).toMatchObject({ emailsSent: 3, failedRecipients: 1, failed: ['acme'] });
    expect(t.ledger.statuses('acme', '2026-11-30')).toEqual({
      'ops@acme.test': 'sent',
      'bad@acme.test': 'failed',
      'sec@acme.test': 'sent',
    });
    expect(
      t.logger.lines.some((line) => line.level === 'error' && line.attributes.companyId === 'acme'),
    ).toBe(true);

    t.mailer.failFor.clear();
    const retry = await t.run();
    expect(retry).toMatchObject({ emailsSent: 1, alreadySent: 3, failedRecipients: 0, failed: [] });
    expect(t.mailer.attempts).toEqual([
      'ops@acme.test',
      'it@globex.test',
      'bad@acme.test',
      'sec@acme.test',
      'bad@acme.test',
    ]);
    expect(t.mailer.sent.filter((email) => email.to === 'bad@acme.test')).toHaveLength(1);
    expect(t.mailer.sent.filter((email) => email.to === 'ops@acme.test')).toHaveLength(1);
  });

  it('knows a recipient however its address is spelled, and sends a recipient added after the run', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['Ops@Acme.test'] });
    await t.run();
    t.recipients.byCompany.acme = ['ops@acme.test', 'new@acme.test'];
    expect(await t.run()).toMatchObject({ emailsSent: 1, alreadySent: 1, failed: [] });
    expect(t.mailer.sent.map((email) => email.to)).toEqual(['Ops@Acme.test', 'new@acme.test']);
  });

  it('skips and counts a company with keys due but no recipients, without claiming anything', async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY)], { acme: ['ops@acme.test'] });
    const summary = await t.run();
    expect(summary).toMatchObject({ emailsSent: 1, skippedNoRecipients: 1, failed: [] });
    expect(t.ledger.statuses('globex', '2026-11-30')).toEqual({});
    expect(
      t.logger.lines.some((line) => line.level === 'warn' && line.attributes.companyId === 'globex'),
    ).toBe(true);
  });

  it('sends no email at all when nothing is due', async () => {
    const t = setup([key('acme', 'a1', 8 * DAY), key('acme', 'a2', -2 * DAY)], { acme: ['ops@acme.test'] });
    expect(await t.run()).toMatchObject({ companiesScanned: 0, emailsSent: 0, itemsRead: 0 });
    expect(t.mailer.sent).toHaveLength(0);
  });

  it('shows each key as its own item says now, leaves out a key deleted since, and mails no company left with none', async () => {
    const t = setup([key('acme', 'a1', 2 * DAY), key('acme', 'a2', 3 * DAY), key('globex', 'g1', DAY)], {
      acme: ['ops@acme.test'],
      globex: ['it@globex.test'],
    });
    // After the index saw them: a1 renamed and disabled, a2's expiry shortened by a rotation, g1 deleted.
    const a1 = t.expiryIndex.items.get('acme/a1');
    const a2 = t.expiryIndex.items.get('acme/a2');
    if (!a1 || !a2) throw new Error('fixture');
    t.expiryIndex.items.set('acme/a1', { ...a1, name: 'renamed', enabled: false });
    t.expiryIndex.items.set('acme/a2', {
      ...a2,
      expiresAt: new Date(asOf.getTime() + HOUR).toISOString(),
      rotatedTo: 'a9',
    });
    t.expiryIndex.items.set('acme/a9', { ...a2, keyId: 'a9', keyPrefix: 'wsk-v1-new' });
    t.expiryIndex.items.delete('globex/g1');

    const summary = await t.run();
    expect(summary).toMatchObject({ companiesScanned: 1, emailsSent: 1, keysDue: 2, keysDeletedSince: 1 });
    expect(t.mailer.sent.map((email) => email.to)).toEqual(['ops@acme.test']);
    const [email] = t.mailer.sent;
    expect(email?.subject).toBe('[acme] 2 API keys expire this week (all already replaced or disabled)');
    expect(email?.text).toContain('- \u2068renamed\u2069 (wsk-v1-abc…)');
    expect(email?.text).toContain('disabled: it already fails every request');
    // Listed by its current expiry: now first, in an hour.
    expect(email?.text.indexOf('acme key a2')).toBeLessThan(email?.text.indexOf('renamed') ?? -1);
    expect(email?.text).toContain('expires 2026-11-30 12:00 UTC (in 1 hour)');
    expect(email?.text).toContain('replaced by rotation: wsk-v1-new… (key a9)');
    expect(t.expiryIndex.stateReads).toHaveLength(2);
  });

  it('leaves a recipient to the run whose lease is live, and takes it over once the lease ran out', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test', 'sec@acme.test'] });
    // A run claimed ops@ and died before sending.
    await t.ledger.claim(
      deliveryOf('acme', '2026-11-30', 'ops@acme.test'),
      asOf,
      new Date(asOf.getTime() + CLAIM_LEASE_MS),
    );
    t.setWall(new Date(asOf.getTime() + CLAIM_LEASE_MS - 1));
    expect(await t.run()).toMatchObject({ emailsSent: 1, inProgress: 1, failed: [] });
    expect(t.mailer.sent.map((email) => email.to)).toEqual(['sec@acme.test']);
    t.setWall(new Date(asOf.getTime() + CLAIM_LEASE_MS));
    expect(await t.run()).toMatchObject({ emailsSent: 1, alreadySent: 1, inProgress: 0 });
    expect(t.mailer.sent.map((email) => email.to)).toEqual(['sec@acme.test', 'ops@acme.test']);
  });

  it('claims each recipient with a lease of CLAIM_LEASE_MS from the wall clock', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    const wall = new Date(asOf.getTime() + 7 * HOUR);
    t.setWall(wall);
    const claims: Array<[Date, Date]> = [];
    const claim = t.ledger.claim.bind(t.ledger);
    t.ledger.claim = (delivery, now, until) => {
      claims.push([now, until]);
      return claim(delivery, now, until);
    };
    await t.run();
    expect(claims).toEqual([[wall, new Date(wall.getTime() + CLAIM_LEASE_MS)]]);
  });

  it('starts no recipient once the run is about to time out, leaving it unclaimed for the retry', async () => {
    const t = setup([key('acme', 'a1', DAY), key('globex', 'g1', DAY)], {
      acme: ['ops@acme.test', 'sec@acme.test'],
      globex: ['it@globex.test'],
    });
    // Time for acme and its first recipient only, as a Lambda near its timeout reports.
    const remaining = [DEADLINE_MARGIN_MS + 2_000, DEADLINE_MARGIN_MS + 1_000, DEADLINE_MARGIN_MS - 1];
    const first = await runExpiryNotifications({
      ...t,
      keyStates: t.expiryIndex,
      clock: { now: () => asOf },
      asOf,
      consoleUrl: 'https://console.test',
      concurrency: 1,
      remainingTimeMs: () => remaining.shift() ?? 0,
    });
    expect(first).toMatchObject({
      emailsSent: 1,
      inProgress: 0,
      failedRecipients: 1,
      failed: ['acme', 'globex'],
    });
    // Not claimed: a claim left by a run killed mid-send would hold the recipient for CLAIM_LEASE_MS.
    expect(t.ledger.statuses('acme', '2026-11-30')).toEqual({ 'ops@acme.test': 'sent' });
    expect(t.ledger.statuses('globex', '2026-11-30')).toEqual({});

    expect(await t.run()).toMatchObject({ emailsSent: 2, alreadySent: 1, failed: [] });
    expect(t.mailer.sent.map((email) => email.to).sort()).toEqual([
      'it@globex.test',
      'ops@acme.test',
      'sec@acme.test',
    ]);
  });

  it('reports a sent email as sent even when its marker cannot be updated', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    t.ledger.markSent = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    expect(await t.run()).toMatchObject({ emailsSent: 1, failed: [] });
    // The claim stays `sending`: a rerun within the lease does not send it again.
    expect(await t.run()).toMatchObject({ emailsSent: 0, inProgress: 1 });
    expect(t.mailer.sent).toHaveLength(1);
  });

  it('fails one recipient, not the company or the run, when its claim cannot be written', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test', 'sec@acme.test'] });
    const claim = t.ledger.claim.bind(t.ledger);
    t.ledger.claim = async (delivery, now, until) => {
      if (delivery.recipient === 'ops@acme.test') throw new Error('timeout');
      return claim(delivery, now, until);
    };
    expect(await t.run()).toMatchObject({ emailsSent: 1, failedRecipients: 1, failed: ['acme'] });
    expect(t.mailer.sent.map((email) => email.to)).toEqual(['sec@acme.test']);
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
    expect(await t.run()).toMatchObject({ emailsSent: 1, failedRecipients: 0, failed: ['acme'] });
  });

  it('throws when the expiry index cannot be read (nothing is sent)', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test'] });
    t.expiryIndex.keysExpiringIn = async () => {
      throw new Error('unreachable');
    };
    await expect(t.run()).rejects.toThrow('unreachable');
    expect(t.mailer.sent).toHaveLength(0);
  });

  it('logs counts and ids only: no recipient address (not even in an SES error), no key name', async () => {
    const t = setup([key('acme', 'a1', DAY)], { acme: ['ops@acme.test', 'bad@acme.test'] });
    t.mailer.failFor.add('bad@acme.test');
    await t.run();
    const logged = JSON.stringify(t.logger.lines);
    expect(logged).not.toContain('@acme.test');
    expect(logged).not.toContain('acme key a1');
    expect(logged).toContain('simulated SES failure for <address>');
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
    expect(t.ledger.statuses('acme', '2026-11-30')).toEqual({});
  });
});
