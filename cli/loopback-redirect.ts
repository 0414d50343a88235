import { timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CheckFailedError } from './errors.js';

/**
 * The redirect end of a native app's sign-in (RFC 8252 §7.3): a server on the loopback IP literal
 * `127.0.0.1`, on a port the system picks, that takes one redirect to `/callback`, checks its
 * `state` against the one sent, and hands back the authorization code. Anything else on the port
 * is a 404; a redirect whose state differs, or that carries an OAuth error, ends the sign-in.
 */

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`. */
  redirectUri: string;
  /** The code of the first redirect to `/callback`; rejects on an OAuth error, a bad state or the timeout. */
  code: Promise<string>;
  close(): void;
}

export async function listenForRedirect(options: {
  state: string;
  timeoutMs: number;
}): Promise<LoopbackRedirect> {
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      answer(res, 404, 'Not found.');
      return;
    }
    const outcome = readRedirect(url.searchParams, options.state);
    if (typeof outcome === 'string') {
      answer(res, 200, 'Signed in to keygate. You can close this tab and go back to the terminal.');
      settle?.resolve(outcome);
    } else {
      answer(res, 400, `Sign-in failed: ${outcome.message} Go back to the terminal.`);
      settle?.reject(outcome);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const timer = setTimeout(
    () => settle?.reject(new CheckFailedError('sign-in timed out: no redirect came back from the browser.')),
    options.timeoutMs,
  );
  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}/callback`, code, close };
}

/** The code, or why the redirect is refused (RFC 6749 §4.1.2: `error`; RFC 6819 §5.3.5: `state`). */
function readRedirect(params: URLSearchParams, expectedState: string): string | CheckFailedError {
  const state = params.get('state') ?? '';
  if (!sameText(state, expectedState)) {
    return new CheckFailedError('the redirect carried another state (not the sign-in this command began).');
  }
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    return new CheckFailedError(`the issuer refused: ${error}${description ? ` (${description})` : ''}.`);
  }
  const code = params.get('code');
  if (!code) return new CheckFailedError('the redirect carried no code.');
  return code;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function answer(res: ServerResponse, status: number, message: string): void {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'",
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>keygate login</title><p>${escaped}</p></html>`,
  );
}
