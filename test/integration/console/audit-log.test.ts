import type { Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import type { ApiKey, AuditEventView } from '../../../console/src/api/types.js';
import { AUDIT_ACTIONS } from '../../../console/src/api/types.js';
import { browserTests, cspViolationsOf } from '../../support/browser-tests.js';
import { type Browser, launchBrowser, seriousAxeViolations } from '../../support/console-browser.js';
import { type FakeConsole, type FakeRequest, startFakeConsole } from '../../support/fake-console-api.js';

/**
 * The console's audit log in Chromium, against a fake management API that answers
 * `GET /v1/audit-events` as the audit read API's contract says (SESSION.md: limit 1–100, default 50;
 * an opaque cursor, 400 when foreign; `keyId` matching target or actor; `action` one of the actions,
 * 400 otherwise; newest first; `nextCursor` null on the last page) — and, when told to, with a 404 (an
 * API without the route) or a 403. What it pins down: the table's columns and order, the action
 * filter, "Load more", a key's trail, the words for a refusal, keyboard use and axe on each view.
 */

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const admin = { type: 'root-admin' as const, subject: 'admin-1', email: 'root@acme.test' };
const deployer = { type: 'key' as const, keyId: 'k-deploy', name: 'Deployer' };
const crm = { keyId: 'k-crm', name: 'CRM sync' };

function auditEvent(index: number, fields: Partial<AuditEventView>): AuditEventView {
  return {
    id: `e-${String(index).padStart(2, '0')}`,
    at: new Date(T0 - index * MINUTE).toISOString(),
    action: 'api-key.created',
    actor: admin,
    target: crm,
    requestId: `req-${index}`,
    sourceIp: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    changes: {},
    ...fields,
  };
}

/** Newest first: five kinds of change, then 55 creations (the oldest: CRM sync's own). */
const EVENTS: AuditEventView[] = [
  auditEvent(0, {
    action: 'access.denied',
    actor: deployer,
    changes: { operation: 'DeleteApiKey', reason: 'the caller does not cover the key' },
    sourceIp: '198.51.100.4',
  }),
  auditEvent(1, { action: 'api-key.renamed', changes: { oldName: 'CRM', newName: 'CRM sync' } }),
  auditEvent(2, {
    action: 'api-key.rotated',
    actor: deployer,
    target: { keyId: 'k-billing', name: 'Billing' },
    changes: { newKeyId: 'k-billing-2', gracePeriodSeconds: 86_400 },
  }),
  auditEvent(3, {
    action: 'notification-settings.updated',
    target: null,
    changes: { emails: ['ops@acme.test'] },
    sourceIp: null,
  }),
  auditEvent(4, {
    action: 'api-key.disabled',
    target: { keyId: 'k-deploy', name: 'Deployer' },
    changes: { wasEnabled: true, enabled: false },
  }),
  ...Array.from({ length: 54 }, (_, n) =>
    auditEvent(5 + n, {
      target: { keyId: `k-batch-${n}`, name: `Batch key ${n}` },
      changes: { scopes: ['users:read'], expiresAt: '2027-12-01T12:00:00.000Z', allowedIps: [] },
    }),
  ),
  auditEvent(59, { changes: { scopes: ['messaging:ListChannels'], allowedIps: [] } }),
];

const KEYS: ApiKey[] = [crm, { keyId: 'k-deploy', name: 'Deployer' }].map(({ keyId, name }) => ({
  id: keyId,
  name,
  keyPrefix: 'wsk-v1-abc',
  scopes: ['messaging:read'],
  allowedIps: [],
  createdAt: new Date(T0 - 86_400_000).toISOString(),
  createdBy: 'root@acme.test',
  expiresAt: new Date(T0 + 300 * 86_400_000).toISOString(),
  expired: false,
  lastUsedAt: null,
  enabled: true,
  rotatedFrom: null,
  rotatedTo: null,
}));

/** How the fake audit API answers now: as the contract says, or refusing. */
let mode: 'contract' | 404 | 403 = 'contract';
const problem = (status: number, detail: string) => ({
  status,
  body: { status, title: 'Bad Request', detail },
});

function auditEvents(request: FakeRequest) {
  if (mode === 404) return undefined;
  if (mode === 403)
    return { status: 403, body: { status: 403, title: 'Forbidden', detail: 'route requires apikeys:read' } };
  const limit = Number(request.query.get('limit') ?? '50');
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return problem(400, 'limit must be 1 to 100');
  const action = request.query.get('action');
  if (action !== null && !(AUDIT_ACTIONS as readonly string[]).includes(action))
    return problem(400, 'unknown action');
  const keyId = request.query.get('keyId');
  const matching = EVENTS.filter(
    (event) =>
      (action === null || event.action === action) &&
      (keyId === null ||
        event.target?.keyId === keyId ||
        (event.actor.type === 'key' && event.actor.keyId === keyId)),
  );
  const cursor = request.query.get('cursor');
  const offset =
    cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString().replace(/^at:/, ''));
  if (!Number.isInteger(offset) || offset < 0) return problem(400, 'cursor is not valid for this list');
  const items = matching.slice(offset, offset + limit);
  const next =
    offset + limit < matching.length ? Buffer.from(`at:${offset + limit}`).toString('base64url') : null;
  return { status: 200, body: { items, nextCursor: next } };
}

let fake: FakeConsole;
let browser: Browser;
let page: Page;
let cspViolations: string[] = [];

const browserTest = browserTests(async () => {
  fake = await startFakeConsole((request) => {
    if (request.path === '/v1/api-keys') return { status: 200, body: { items: KEYS, nextCursor: null } };
    if (request.path === '/v1/audit-events') return auditEvents(request);
    return undefined;
  });
  browser = await launchBrowser();
  page = browser.page;
  cspViolations = cspViolationsOf(page);
  await page.goto(fake.consoleUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Company API Keys' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

async function expectAccessible(view: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${view}: ${v.id} (${v.impact}) ${v.help}`)).toEqual([]);
}

const auditQueries = () =>
  fake.requests
    .filter((request) => request.path === '/v1/audit-events')
    .map((r) => Object.fromEntries(r.query));
const rows = () => page.locator('table.audit-events tbody tr');
const cellTexts = (index: number) => rows().nth(index).locator('th, td').allInnerTexts();

const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element) return '';
  const label = element.labels?.[0]?.textContent ?? '';
  return [element.tagName, element.getAttribute('aria-label') ?? '', label, element.textContent ?? ''].join('|');
})()`;

async function tabTo(pattern: RegExp, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (pattern.test((await page.evaluate(FOCUSED)) as string)) return;
  }
  throw new Error(`${pattern} cannot be reached with Tab`);
}

describe('the console audit log (Chromium, fake audit API)', () => {
  browserTest(
    'lists the events newest first with When, Action, Actor, Target, Details and Source IP',
    async () => {
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      expect(await page.getByRole('link', { name: 'Audit log' }).getAttribute('aria-current')).toBe('page');
      await expect.poll(() => rows().count()).toBe(50);
      expect(await page.locator('table.audit-events thead th').allInnerTexts()).toEqual(
        ['When', 'Action', 'Actor', 'Target', 'Details', 'Source IP'].map((h) => h.toUpperCase()),
      );
      expect(await rows().locator('th time').first().getAttribute('datetime')).toBe(EVENTS[0]?.at);
      const times = await rows()
        .locator('th time')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('datetime') ?? ''));
      expect(times).toEqual([...times].sort().reverse());

      const [when, action, actor, target, details, ip] = await cellTexts(0);
      expect(when).toMatch(/2026/);
      expect(action).toBe('Access denied');
      expect(actor).toBe('Deployer\nAPI key k-deploy');
      expect(target).toBe('CRM sync\nk-crm');
      expect(details).toBe('Operation:\nDeleteApiKey\nReason:\nthe caller does not cover the key');
      expect(ip).toBe('198.51.100.4');
      expect((await cellTexts(1)).slice(1, 5)).toEqual([
        'Key renamed',
        'root@acme.test\nRoot admin',
        'CRM sync\nk-crm',
        'Name:\nCRM → CRM sync',
      ]);
      expect((await cellTexts(2))[4]).toBe('New key:\nk-billing-2\nGrace period:\n1 day');
      expect((await cellTexts(3)).slice(1)).toEqual([
        'Notifications changed',
        'root@acme.test\nRoot admin',
        'Company settings',
        'Recipients:\nops@acme.test',
        'unknown',
      ]);
      await page.getByText('50 events shown, newest first; more to load').waitFor();
      expect(auditQueries()).toEqual([{ limit: '50' }]);
      await expectAccessible('audit log');
    },
  );

  browserTest('"Load more" reads the next page with the cursor, by keyboard, until the last', async () => {
    await page.getByLabel('Action').focus();
    await tabTo(/^BUTTON\|\|\|Load more$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count()).toBe(60);
    await page.getByText('60 events shown, newest first', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // The button went with the last page: focus is on the count, not lost to the page's start.
    expect(await page.evaluate(FOCUSED)).toBe('P|||60 events shown, newest first');
    const [first, second] = auditQueries().slice(-2);
    expect(first).toEqual({ limit: '50' });
    expect(second).toEqual({ limit: '50', cursor: Buffer.from('at:50').toString('base64url') });
    expect((await cellTexts(59))[3]).toBe('CRM sync\nk-crm');
    expect(
      new Set(await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event-id')))).size,
    ).toBe(60);
  });

  browserTest(
    'filters by action, chosen with the keyboard, and asks the API for that action only',
    async () => {
      const filter = page.getByLabel('Action');
      expect(await filter.locator('option').allTextContents()).toEqual([
        'All actions',
        'Key created',
        'Key renamed',
        'Key rotated',
        'Key disabled',
        'Key enabled',
        'Key deleted',
        'Notifications changed',
        'Access denied',
      ]);
      await filter.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await filter.inputValue()).toBe('api-key.renamed');
      await expect.poll(() => rows().count()).toBe(1);
      expect((await cellTexts(0))[1]).toBe('Key renamed');
      expect(auditQueries().at(-1)).toEqual({ limit: '50', action: 'api-key.renamed' });
      await page.getByText('1 event shown, newest first', { exact: true }).waitFor();
      await filter.selectOption({ label: 'Key enabled' });
      await page.getByText('No "Key enabled" events.').waitFor();
      expect(await rows().count()).toBe(0);
      await expectAccessible('audit log, filtered');
      await filter.selectOption({ label: 'All actions' });
      await expect.poll(() => rows().count()).toBe(50);
    },
  );

  browserTest("shows a key's audit trail from its row: events whose target or actor it is", async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    const opener = page.getByRole('button', { name: 'Audit trail of Deployer' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Audit trail: Deployer' });
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('tbody tr').count()).toBe(3);
    expect(auditQueries().at(-1)).toEqual({ limit: '50', keyId: 'k-deploy' });
    expect(
      await dialog
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event-id'))),
    ).toEqual(['e-00', 'e-02', 'e-04']);
    expect(await dialog.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await expectAccessible('key audit trail');
    await dialog.getByLabel('Action').selectOption({ label: 'Key rotated' });
    await expect.poll(() => dialog.locator('tbody tr').count()).toBe(1);
    expect(auditQueries().at(-1)).toEqual({ limit: '50', keyId: 'k-deploy', action: 'api-key.rotated' });
    await page.keyboard.press('Escape');
    // The dialog closes and focus returns on the next render, not within the key press.
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.evaluate(FOCUSED)).toBe('BUTTON|Audit trail of Deployer||Audit trail');
  });

  browserTest(
    'says so in words when the API has no audit log (404) or refuses it (403), never a blank',
    async () => {
      mode = 404;
      await page.getByRole('button', { name: 'Audit trail of CRM sync' }).click();
      const dialog = page.getByRole('dialog', { name: 'Audit trail: CRM sync' });
      await dialog
        .getByRole('alert')
        .getByText('This keygate has no audit log to show: its API does not offer GET /v1/audit-events.', {
          exact: false,
        })
        .waitFor();
      await expectAccessible('key audit trail, 404');
      await dialog.getByRole('button', { name: 'Close' }).click();

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('alert').getByText('no audit log to show', { exact: false }).waitFor();
      expect(await rows().count()).toBe(0);
      expect(await page.getByText('No audit events yet.').count()).toBe(0);
      await expectAccessible('audit log, 404');

      mode = 403;
      await page.reload();
      await page
        .getByRole('alert')
        .getByText(
          'You are not allowed to read the audit log (route requires apikeys:read). Sign in as a root admin of this company.',
        )
        .waitFor();
      await expectAccessible('audit log, 403');
      mode = 'contract';
      expect(cspViolations).toEqual([]);
    },
  );
});
