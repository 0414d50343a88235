import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { CheckFailedError, ConnectionError } from './errors.js';
import { nodeFetch } from './http-transport.js';
import { listenForRedirect } from './loopback-redirect.js';
import type { SignInConfig } from './sign-in-config.js';

/**
 * Sign-in in the browser, as a native app does it: OAuth 2.0 authorization code with PKCE
 * (RFC 7636, S256) and a loopback redirect (RFC 8252) on a registered URI, or any port where the
 * issuer allows it. A fresh verifier and state per sign-in;
 * the code comes back to this process only, and is exchanged, with the verifier, for the ID token.
 */

/** How long the browser has to come back. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface BrowserSignIn {
  config: SignInConfig;
  /** Filled in on the sign-in page where the issuer takes it (`login_hint`: the development issuer's Company). */
  loginHint?: string;
  /** Open the system browser (otherwise only print the URL). */
  openBrowser: boolean;
  /** Where to say what to open. */
  tell: (line: string) => void;
}

/** RFC 7636 §4.1–4.2: a 43-character verifier from 32 random bytes, and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Runs the sign-in and returns the ID token. */
export async function signInWithBrowser(options: BrowserSignIn): Promise<string> {
  const { config } = options;
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const redirect = await listenForRedirect({
    state,
    timeoutMs: SIGN_IN_TIMEOUT_MS,
    ...(config.redirectUris === undefined ? {} : { redirectUris: config.redirectUris }),
  });
  try {
    const authorize = new URL(config.authorizationEndpoint);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: redirect.redirectUri,
      scope: config.scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...(options.loginHint ? { login_hint: options.loginHint } : {}),
    })) {
      authorize.searchParams.set(name, value);
    }
    options.tell(
      options.openBrowser
        ? `Sign in in your browser. If it does not open, open this URL:\n  ${authorize.href}`
        : `To sign in, open this URL in a browser:\n  ${authorize.href}`,
    );
    if (options.openBrowser) openInBrowser(authorize.href);
    const code = await redirect.code;
    return await exchangeCode(config, { code, verifier, redirectUri: redirect.redirectUri });
  } finally {
    redirect.close();
  }
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5: the code and the verifier for the tokens; the ID token kept. */
async function exchangeCode(
  config: SignInConfig,
  grant: { code: string; verifier: string; redirectUri: string },
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
    client_id: config.clientId,
    code_verifier: grant.verifier,
  });
  let response: Response;
  try {
    response = await nodeFetch(
      new Request(config.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
      }),
    );
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new ConnectionError(`Cannot reach the token endpoint ${config.tokenEndpoint} (${cause}).`);
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const detail = typeof answer.error_description === 'string' ? ` (${answer.error_description})` : '';
    throw new CheckFailedError(
      `the token endpoint refused the code: ${String(answer.error ?? response.status)}${detail}.`,
    );
  }
  if (typeof answer.id_token !== 'string' || answer.id_token === '') {
    throw new CheckFailedError('the token endpoint answered without an id_token (ask for the openid scope).');
  }
  return answer.id_token;
}

/** The system's opener; a failure to open is not an error, since the URL is printed too. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener: the printed URL is the way.
  }
}
