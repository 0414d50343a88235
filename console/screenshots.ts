/**
 * `npm run screenshots`: the console's screens as PNGs in `docs/`, taken in Chromium against a fresh
 * `npm start` (its own data directory and ports) with a few example keys. The secret on the "API key
 * created" screen is masked: a key value never goes into a commit, even a throwaway local one.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchBrowser, seedExpiredKey, signIn, startKeygate } from '../test/support/console-browser.js';

const DOCS = new URL('../docs/', import.meta.url).pathname;
const COMPANY = 'demo';

async function shot(page: Page, name: string, options: { fullPage?: boolean; mask?: string[] } = {}) {
  await page.waitForTimeout(200);
  await page.screenshot({
    path: `${DOCS}console-${name}.png`,
    fullPage: options.fullPage ?? false,
    mask: (options.mask ?? []).map((selector) => page.locator(selector)),
    maskColor: '#5a6270',
  });
  console.log(`docs/console-${name}.png`);
}

async function main(): Promise<void> {
  await mkdir(DOCS, { recursive: true });
  const keygate = await startKeygate();
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    await page.goto(keygate.consoleUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Company').waitFor();
    await shot(page, 'sign-in');
    await signIn(page, keygate.consoleUrl, COMPANY);

    const raw = (await page.evaluate("sessionStorage.getItem('keygate.console.session')")) as string;
    const token = (JSON.parse(raw) as { token: string }).token;
    const create = async (body: object) => {
      const answer = await fetch(`${keygate.url}/v1/api-keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status !== 201) throw new Error(`creating an example key: HTTP ${answer.status}`);
      return (await answer.json()) as { id: string; key: string };
    };
    await seedExpiredKey(keygate, COMPANY, 'Legacy export script');
    const crm = await create({
      name: 'CRM sync',
      scopes: ['users:read', 'messaging:ListChannels'],
      expiresIn: 90 * 86_400,
    });
    // Used once, so the list shows a "Last used" time.
    const used = await fetch(`${keygate.url}/v2/conversations/channels/`, {
      headers: { Authorization: `Bearer ${crm.key}` },
    });
    if (used.status !== 200) throw new Error(`calling with the example key: HTTP ${used.status}`);
    await create({ name: 'Staging (development)', scopes: ['*:*'], expiresIn: 3 * 86_400 });
    await create({ name: 'PBX monitoring', scopes: ['pbx:read', 'callcontrol:*', 'recordings:read'] });

    await page.reload();
    await page.getByRole('rowheader', { name: /CRM sync/ }).waitFor();
    await page
      .locator('tbody tr', { has: page.getByRole('rowheader', { name: /CRM sync/ }) })
      .getByRole('button', { name: /scopes?$/ })
      .hover();
    await shot(page, 'keys');

    await page.getByRole('button', { name: 'Create API Key' }).click();
    await page.getByLabel('Global Development Access').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Helpdesk bot');
    await page.getByLabel('Expiration').selectOption({ label: '90 days' });
    await page.getByRole('checkbox', { name: /^users:read/ }).check();
    await page.getByLabel('Search', { exact: true }).fill('channel');
    await page.getByRole('checkbox', { name: /messaging:ListChannels/ }).check();
    await shot(page, 'create', { fullPage: true });

    await page.getByRole('button', { name: 'Create API Key' }).click();
    await page.getByRole('heading', { name: 'API key created' }).waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    await shot(page, 'secret', { mask: ['#secret-value'] });
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Edit the name of CRM sync' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'edit');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Delete Legacy export script' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'delete');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Rotate CRM sync' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate API key' });
    await rotate.getByLabel('Old key keeps working for').waitFor();
    await shot(page, 'rotate');
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await rotate.getByRole('heading', { name: 'New API key' }).waitFor();
    await shot(page, 'rotate-secret', { mask: ['#secret-value'] });
    await rotate.getByRole('button', { name: 'Done' }).click();
    await page.getByText('Rotated CRM sync: the new key is listed.').waitFor();

    await page.getByRole('button', { name: 'Disable PBX monitoring' }).click();
    const disable = page.getByRole('dialog', { name: 'Disable API key' });
    await disable.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Disabled PBX monitoring.').waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'disabled');

    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByLabel('Recipients').fill('ops@example.com\nsecurity@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: 2 recipients.').waitFor();
    await shot(page, 'notifications');

    // A refused attempt for the log: a key managing keys tries to grant a scope it does not hold.
    const deployer = await create({ name: 'Deployer', scopes: ['apikeys:*'], expiresIn: 30 * 86_400 });
    const refused = await fetch(`${keygate.url}/v1/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${deployer.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Wider than me', scopes: ['users:*'] }),
    });
    if (refused.status !== 403) throw new Error(`the refused example create: HTTP ${refused.status}`);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('table.audit-events tbody tr').first().waitFor();
    await shot(page, 'audit', { fullPage: true });
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Audit trail of PBX monitoring' }).click();
    await page.getByRole('dialog').locator('table.audit-events tbody tr').first().waitFor();
    await shot(page, 'audit-trail');
    await page.keyboard.press('Escape');
  } finally {
    await browser.close();
    await keygate.stop();
  }
}

main().catch((error: unknown) => {
  console.error('screenshots failed:', error);
  process.exit(1);
});
