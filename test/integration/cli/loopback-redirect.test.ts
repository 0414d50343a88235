import { describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../cli/errors.js';
import { listenForRedirect } from '../../../cli/loopback-redirect.js';

/** The loopback end of `keygate login` (RFC 8252 §7.3), driven as the browser would. */

const back = (redirectUri: string, query: Record<string, string>) =>
  fetch(`${redirectUri}?${new URLSearchParams(query)}`);

describe('listenForRedirect', () => {
  it('listens on 127.0.0.1 on a free port and hands back the code of a redirect with the state', async () => {
    const redirect = await listenForRedirect({ state: 's-1', timeoutMs: 10_000 });
    try {
      expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const other = await fetch(new URL('/favicon.ico', redirect.redirectUri));
      expect(other.status).toBe(404);
      const landing = await back(redirect.redirectUri, { code: 'the-code', state: 's-1' });
      expect(landing.status).toBe(200);
      expect(landing.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect(await landing.text()).toContain('Signed in to keygate');
      expect(await redirect.code).toBe('the-code');
    } finally {
      redirect.close();
    }
  });

  it('ends the sign-in on another state, an OAuth error or a missing code', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ code: 'c', state: 's-2x' }, 'another state'],
      [{ code: 'c' }, 'another state'],
      [{ error: 'access_denied', error_description: 'said no', state: 's-2' }, 'access_denied (said no)'],
      [{ state: 's-2' }, 'no code'],
    ];
    for (const [query, message] of cases) {
      const redirect = await listenForRedirect({ state: 's-2', timeoutMs: 10_000 });
      try {
        const failed = redirect.code.catch((error: unknown) => error);
        const landing = await back(redirect.redirectUri, query);
        expect(landing.status).toBe(400);
        const error = await failed;
        expect(error).toBeInstanceOf(CheckFailedError);
        expect((error as Error).message).toContain(message);
      } finally {
        redirect.close();
      }
    }
  });

  it('gives up after the timeout', async () => {
    const redirect = await listenForRedirect({ state: 's-3', timeoutMs: 50 });
    try {
      await expect(redirect.code).rejects.toThrow('timed out');
    } finally {
      redirect.close();
    }
  });
});
