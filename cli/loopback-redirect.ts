import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CheckFailedError } from './errors.js';

/**
 * The redirect end of a native app's sign-in (RFC 8252 §7.3): a server on a loopback IP literal that
 * takes one redirect to its path, checks its `state` against the one sent, and hands back the
 * authorization code. Anything else on the port is a 404; a redirect whose state differs, or that
 * carries an OAuth error, ends the sign-in. Where it listens: the first of the client's registered
 * redirect URIs whose port is free (an issuer such as Cognito accepts only those, exactly), or, when
 * the issuer takes any port, `http://127.0.0.1:<a port the system picks>/callback`.
 */

export interface LoopbackRedirect {
  /** The redirect URI listened on, e.g. `http://127.0.0.1:28431/callback`. */
  redirectUri: string;
  /** The code of the first redirect to `/callback`; rejects on an OAuth error, a bad state or the timeout. */
  code: Promise<string>;
  close(): void;
}

export async function listenForRedirect(options: {
  state: string;
  timeoutMs: number;
  /** The exact redirect URIs the issuer accepts, tried in order; undefined: any loopback port. */
  redirectUris?: readonly string[];
}): Promise<LoopbackRedirect> {
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const candidates = (options.redirectUris ?? ['http://127.0.0.1:0/callback']).map((uri) => new URL(uri));
  let listening: { server: Server; redirectUri: string } | undefined;
  for (const candidate of candidates) {
    const server = createServer((req, res) => onRequest(req.method, req.url, candidate.pathname, res));
    const host = candidate.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(candidate.port || 80);
    const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(port, host, () => resolve(undefined));
    });
    if (failure === undefined) {
      const bound = (server.address() as AddressInfo).port;
      const uri = new URL(candidate.href);
      uri.port = String(bound);
      listening = { server, redirectUri: uri.href };
      break;
    }
    // Only a port another program holds moves on to the next; anything else is this machine's problem.
    if (failure.code !== 'EADDRINUSE' && failure.code !== 'EACCES') throw failure;
  }
  if (listening === undefined) {
    throw new CheckFailedError(
      `cannot receive the sign-in: ${candidates.map((uri) => uri.host).join(', ')} are all in use, and the identity provider redirects only there. Free one and try again.`,
    );
  }
  const { server, redirectUri } = listening;

  function onRequest(
    method: string | undefined,
    target: string | undefined,
    path: string,
    res: ServerResponse,
  ) {
    const url = new URL(target ?? '/', 'http://127.0.0.1');
    if (method !== 'GET' || url.pathname !== path) {
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
  }
  const timer = setTimeout(
    () => settle?.reject(new CheckFailedError('sign-in timed out: no redirect came back from the browser.')),
    options.timeoutMs,
  );
  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  return { redirectUri, code, close };
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
