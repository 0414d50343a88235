import { describe, expect, it } from 'vitest';
import type { CompanyDigest } from '../../../shared/domain/notify/digest.js';
import {
  digestSubject,
  escapeHtml,
  estimatedMessageBytes,
  formatUtc,
  isolateText,
  needsNoAction,
  relativeTime,
  renderDigestEmail,
  SES_MAX_MESSAGE_BYTES,
  statePhrases,
} from '../../../shared/domain/notify/digest-email.js';
import type { DueKey } from '../../../shared/domain/notify/ports.js';

const asOf = new Date('2026-11-30T11:00:00.000Z');
const consoleUrl = 'https://console.example.com/api-keys';

function key(overrides: Partial<DueKey>): DueKey {
  return {
    companyId: 'acme',
    keyId: 'k1',
    name: 'Billing sync',
    keyPrefix: 'wsk-v1-aB3',
    scopes: ['messaging:read', 'users:*'],
    expiresAt: '2026-12-03T14:00:00.000Z',
    enabled: true,
    rotatedTo: null,
    ...overrides,
  };
}

describe('digestSubject', () => {
  it.each([
    [1, 2, '2 API keys expire this week, 1 expired in the last 24 hours'],
    [2, 1, '1 API key expires this week, 2 expired in the last 24 hours'],
    [0, 1, '1 API key expires this week'],
    [0, 3, '3 API keys expire this week'],
    [1, 0, '1 API key expired in the last 24 hours'],
    [4, 0, '4 API keys expired in the last 24 hours'],
    [0, 0, 'No API keys expire this week'],
  ])('expired %i, expiring %i → %s', (expired, expiring, subject) => {
    expect(digestSubject(expired, expiring)).toBe(subject);
  });

  it.each([
    [1, 2, 1, '2 API keys expire this week, 1 expired in the last 24 hours (1 already replaced or disabled)'],
    [0, 3, 2, '3 API keys expire this week (2 already replaced or disabled)'],
    [0, 1, 1, '1 API key expires this week (already replaced or disabled)'],
    [
      1,
      2,
      3,
      '2 API keys expire this week, 1 expired in the last 24 hours (all already replaced or disabled)',
    ],
    [0, 2, 0, '2 API keys expire this week'],
  ])('expired %i, expiring %i, %i needing no action → %s', (expired, expiring, handled, subject) => {
    expect(digestSubject(expired, expiring, handled)).toBe(subject);
  });
});

describe('time phrases', () => {
  const from = (ms: number) => new Date(asOf.getTime() + ms);
  it.each([
    [3 * 86_400_000, 'in 3 days'],
    [3 * 86_400_000 + 3 * 3_600_000 + 59_000, 'in 3 days 3 hours'],
    [86_400_000, 'in 1 day'],
    [-5 * 3_600_000, '5 hours ago'],
    [-(3_600_000 + 60_000), '1 hour 1 minute ago'],
    [45 * 60_000, 'in 45 minutes'],
    [30_000, 'in less than a minute'],
    [0, 'less than a minute ago'],
  ])('%i ms from now reads "%s"', (offset, phrase) => {
    expect(relativeTime(from(offset), asOf)).toBe(phrase);
  });

  it('formats times in UTC to the minute', () => {
    expect(formatUtc(new Date('2026-11-30T14:00:59.999Z'))).toBe('2026-11-30 14:00 UTC');
  });
});

describe('renderDigestEmail', () => {
  const digest: CompanyDigest = {
    companyId: 'acme',
    expired: [
      key({ keyId: 'old', name: 'Old cron', keyPrefix: 'wsk-v1-Zz9', expiresAt: '2026-11-30T06:00:00.000Z' }),
    ],
    expiring: [key({})],
  };
  const email = renderDigestEmail(digest, { asOf, consoleUrl });

  it('lists every key with name, display prefix, scopes, UTC expiry and relative time in both bodies', () => {
    for (const body of [email.text, email.html]) {
      expect(body).toContain('Billing sync');
      expect(body).toContain('wsk-v1-aB3');
      expect(body).toContain('messaging:read, users:*');
      expect(body).toContain('expires 2026-12-03 14:00 UTC (in 3 days 3 hours)');
      expect(body).toContain('Old cron');
      expect(body).toContain('expired 2026-11-30 06:00 UTC (5 hours ago)');
      expect(body).toContain(consoleUrl);
      expect(body).toContain('To rotate a key');
    }
    expect(email.subject).toBe('[acme] 1 API key expires this week, 1 expired in the last 24 hours');
    // Each key's id, which the CLI and the API name it by.
    expect(email.text).toContain('  key id: k1\n');
    expect(email.text).toContain('  key id: old\n');
    expect(email.html).toContain('wsk-v1-aB3…<br><span style="color:#666">k1</span></td>');
  });

  it('leaves out an empty section', () => {
    const onlyExpiring = renderDigestEmail({ ...digest, expired: [] }, { asOf, consoleUrl });
    expect(onlyExpiring.text).not.toContain('Expired in the last 24 hours');
    expect(onlyExpiring.text).toContain('Expiring within 7 days (1)');
  });

  it('escapes every user-supplied value in the HTML body', () => {
    const hostile = renderDigestEmail(
      {
        companyId: 'acme<b>',
        expired: [],
        expiring: [key({ name: `<script>alert("x")</script> & 'co'`, scopes: ['a:<i>'] })],
      },
      { asOf, consoleUrl: 'https://console.example.com/?a=1&b="2"' },
    );
    expect(hostile.html).not.toContain('<script>');
    expect(hostile.html).not.toContain('<b>');
    expect(hostile.html).not.toContain('<i>');
    expect(hostile.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
    expect(hostile.html).toContain('href="https://console.example.com/?a=1&amp;b=&quot;2&quot;"');
    // The plain-text body is not HTML: it shows the name as typed.
    expect(hostile.text).toContain(`<script>alert("x")</script> & 'co'`);
  });

  it('isolates each name, so a right-to-left name or a stored override cannot reorder its line', () => {
    const names = ['evil\u202Egnp.exe', 'مفتاح الفوترة', 'Billing sync'];
    const isolated = renderDigestEmail(
      { companyId: 'acme', expired: [], expiring: names.map((name, i) => key({ keyId: `k${i}`, name })) },
      { asOf, consoleUrl },
    );
    for (const name of names) {
      expect(isolated.text).toContain(`- \u2068${name}\u2069 (wsk-v1-aB3…)`);
      expect(isolated.html).toContain(`<td style="padding:4px 8px"><bdi>${name}</bdi></td>`);
    }
    expect(isolateText('abc')).toBe('\u2068abc\u2069');
  });

  describe("a key's state", () => {
    const successor = { keyId: 'k2', keyPrefix: 'wsk-v1-Nw7' };
    const cases = {
      neither: key({}),
      disabled: key({ enabled: false }),
      rotated: key({ rotatedTo: successor }),
      both: key({ enabled: false, rotatedTo: successor }),
    };
    const render = (due: DueKey) =>
      renderDigestEmail({ companyId: 'acme', expired: [], expiring: [due] }, { asOf, consoleUrl });
    const DISABLED = 'disabled: it already fails every request';
    const REPLACED = 'replaced by rotation: wsk-v1-Nw7… (key k2); no action needed';

    it('shows nothing more in the text of an enabled key never rotated, and "enabled" in the HTML', () => {
      const email = render(cases.neither);
      expect(email.text).not.toContain(DISABLED);
      expect(email.text).not.toContain('replaced by rotation:');
      expect(email.text).toContain(
        '- \u2068Billing sync\u2069 (wsk-v1-aB3…)\n  scopes: messaging:read, users:*\n  key id: k1\n  expires 2026-12-03 14:00 UTC (in 3 days 3 hours)\n\n',
      );
      expect(email.html).toContain('<th align="left" style="padding:4px 8px">State</th>');
      expect(email.html).toContain('<td style="padding:4px 8px">enabled</td></tr>');
      expect(email.subject).toBe('[acme] 1 API key expires this week');
    });

    it('marks a disabled key in both bodies, and the subject says it needs no action', () => {
      const email = render(cases.disabled);
      expect(email.text).toContain(`(in 3 days 3 hours)\n  ${DISABLED}\n\n`);
      expect(email.text).not.toContain('replaced by rotation:');
      expect(email.html).toContain(
        '<td style="padding:4px 8px"><strong>disabled</strong>: it already fails every request</td></tr>',
      );
      expect(email.subject).toBe('[acme] 1 API key expires this week (already replaced or disabled)');
    });

    it("marks a key replaced by rotation with the new key's prefix and id", () => {
      const email = render(cases.rotated);
      expect(email.text).toContain(`(in 3 days 3 hours)\n  ${REPLACED}\n\n`);
      expect(email.text).not.toContain(DISABLED);
      expect(email.html).toContain(
        '<td style="padding:4px 8px"><strong>replaced by rotation</strong>: wsk-v1-Nw7… (key k2); no action needed</td></tr>',
      );
      expect(email.subject).toBe('[acme] 1 API key expires this week (already replaced or disabled)');
    });

    it('marks a key both disabled and replaced with both, counted once', () => {
      const email = render(cases.both);
      expect(email.text).toContain(`(in 3 days 3 hours)\n  ${DISABLED}\n  ${REPLACED}\n\n`);
      expect(email.html).toContain(
        '<strong>disabled</strong>: it already fails every request<br><strong>replaced by rotation</strong>:',
      );
      const two = renderDigestEmail(
        { companyId: 'acme', expired: [], expiring: [cases.both, key({ keyId: 'k3' })] },
        { asOf, consoleUrl },
      );
      expect(two.subject).toBe('[acme] 2 API keys expire this week (1 already replaced or disabled)');
    });

    it('names a successor deleted since by its id', () => {
      const email = render(key({ rotatedTo: { keyId: 'k2', keyPrefix: null } }));
      expect(email.text).toContain('replaced by rotation: key k2 (since deleted); no action needed');
    });

    it('escapes the state cell like every other value', () => {
      const email = render(key({ rotatedTo: { keyId: '<k2>', keyPrefix: '<b>' } }));
      expect(email.html).toContain('&lt;b&gt;… (key &lt;k2&gt;)');
      expect(email.html).not.toContain('<b>');
    });

    it('states statePhrases and needsNoAction for each case', () => {
      expect(
        Object.entries(cases).map(([name, due]) => [name, needsNoAction(due), statePhrases(due)]),
      ).toEqual([
        ['neither', false, []],
        ['disabled', true, [DISABLED]],
        ['rotated', true, [REPLACED]],
        ['both', true, [DISABLED, REPLACED]],
      ]);
    });
  });

  it('advises rotating through the console, the CLI or the API, with a grace period', () => {
    expect(email.text).toContain('keygate keys rotate <key id> --grace 1d');
    expect(email.html).toContain('keygate keys rotate &lt;key id&gt; --grace 1d');
    for (const body of [email.text, email.html]) {
      expect(body).toContain('choose Rotate on it in the console');
      expect(body).toContain('POST /v1/api-keys/{id}/rotate');
      expect(body).toContain('the old key keeps working for the grace period');
    }
    expect(email.text).not.toContain('then delete the old key');
  });

  it('advises a new key, not rotation, for expired keys (the API refuses to rotate them)', () => {
    expect(email.text).toContain('An expired key cannot be rotated or extended');
    const onlyExpired = renderDigestEmail({ ...digest, expiring: [] }, { asOf, consoleUrl });
    for (const body of [onlyExpired.text, onlyExpired.html]) {
      expect(body).toContain('create a new key with the scopes it needs');
      expect(body).not.toContain('To rotate a key');
    }
    const onlyExpiring = renderDigestEmail({ ...digest, expired: [] }, { asOf, consoleUrl });
    expect(onlyExpiring.text).toContain('To rotate a key that has not expired yet');
    expect(onlyExpiring.text).not.toContain('An expired key cannot be rotated');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('lists 1,000 keys in one message well under the SES size limit', () => {
    const many = Array.from({ length: 1_000 }, (_, i) =>
      key({
        keyId: `k${i}`,
        name: `Integration number ${i}`,
        scopes: ['pbx:read', 'messaging:*', 'users:GetUserInfo'],
      }),
    );
    const big = renderDigestEmail({ companyId: 'acme', expired: [], expiring: many }, { asOf, consoleUrl });
    for (let i = 0; i < 1_000; i += 1) expect(big.html).toContain(`>Integration number ${i}<`);
    const size = estimatedMessageBytes(big, 'admin@example.com');
    expect(size).toBeLessThan(SES_MAX_MESSAGE_BYTES / 4);
  });
});
