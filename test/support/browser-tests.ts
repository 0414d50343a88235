import type { Page } from 'playwright-core';
import { beforeAll, it } from 'vitest';
import { requireChromium } from './console-browser.js';

/**
 * A browser test file's tests. `setup` runs in `beforeAll` once Chromium is there; without it (or when
 * `setup` fails), every test of the file fails with why, e.g. how to install Chromium, where a skip
 * would hide that nothing in the browser was tried. Returns the file's `it` for browser tests.
 */
export function browserTests(
  setup: () => Promise<void>,
  setupTimeoutMs: number,
): (name: string, body: () => Promise<void>, timeoutMs?: number) => void {
  let setupFailure: unknown;
  beforeAll(async () => {
    try {
      requireChromium();
      await setup();
    } catch (error) {
      setupFailure = error;
    }
  }, setupTimeoutMs);
  return (name, body, timeoutMs = 60_000) =>
    it(
      name,
      async () => {
        if (setupFailure !== undefined) throw setupFailure;
        await body();
      },
      timeoutMs,
    );
}

/** The Content Security Policy violations `page` reports on its console, as they come (tests expect none). */
export function cspViolationsOf(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
