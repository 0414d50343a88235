import { codeChallenge, randomToken } from './pkce.js';
import type { SignInConfig } from './sign-in-config.js';

/**
 * The admin's session: an ID token from the authorization-code + PKCE flow, kept in sessionStorage
 * (this tab only, gone when it closes) and never in localStorage. Sign-out removes it.
 */

const TOKEN_KEY = 'keygate.console.session';
const PENDING_KEY = 'keygate.console.sign-in';

export interface Session {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Who is signed in, as the token says (for the header). */
  email?: string;
  companyId?: string;
}

interface PendingSignIn {
  state: string;
  verifier: string;
  redirectUri: string;
  /** The console's fragment when sign-in began (`#/audit`), restored after it: a deep link survives. */
  returnTo?: string;
}

/** A fragment that names a console screen, and nothing else, is kept through sign-in. */
const SCREEN_FRAGMENT = /^#\/[a-z-]+$/;

/** The current session, or undefined when signed out or expired. */
export function currentSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(TOKEN_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token === 'string' && session.expiresAt > now) return session;
  } catch {
    // A damaged entry is no session.
  }
  sessionStorage.removeItem(TOKEN_KEY);
  return undefined;
}

/** This console's address as the redirect URI: its base, without query or fragment. */
export function redirectUri(): string {
  return new URL('./', document.baseURI).href;
}

/** Starts sign-in: remembers a fresh verifier and state for this tab, and goes to the issuer. */
export async function beginSignIn(config: SignInConfig): Promise<void> {
  const pending: PendingSignIn = {
    state: randomToken(16),
    verifier: randomToken(48),
    redirectUri: redirectUri(),
    ...(SCREEN_FRAGMENT.test(window.location.hash) ? { returnTo: window.location.hash } : {}),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(config.authorizationEndpoint, document.baseURI);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: pending.redirectUri,
    scope: config.scope,
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.href);
}

/**
 * Completes sign-in when the issuer sent the browser back with `?code&state` (or `?error`): checks the
 * state, redeems the code with the verifier, stores the session and removes the query from the
 * address bar. Returns undefined when the address holds no sign-in answer.
 */
export async function completeSignIn(config: SignInConfig): Promise<Session | undefined> {
  const query = new URLSearchParams(window.location.search);
  const code = query.get('code');
  const error = query.get('error');
  if (!code && !error) return undefined;
  const pendingText = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = pendingText ? (JSON.parse(pendingText) as PendingSignIn) : undefined;
  const returnTo = pending?.returnTo && SCREEN_FRAGMENT.test(pending.returnTo) ? pending.returnTo : '';
  window.history.replaceState(null, '', `${redirectUri()}${returnTo}`);
  if (error) throw new Error(`Sign-in failed: ${query.get('error_description') ?? error}.`);
  if (!pending || pending.state !== query.get('state')) {
    throw new Error('Sign-in failed: the answer does not belong to a sign-in started here. Sign in again.');
  }
  const response = await fetch(new URL(config.tokenEndpoint, document.baseURI), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    credentials: 'omit',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code as string,
      redirect_uri: pending.redirectUri,
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    id_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || typeof body.id_token !== 'string') {
    throw new Error(`Sign-in failed: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}.`);
  }
  const claims = readClaims(body.id_token);
  const session: Session = {
    token: body.id_token,
    expiresAt:
      typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + (body.expires_in ?? 3600) * 1000,
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    ...(typeof claims['custom:companyId'] === 'string' ? { companyId: claims['custom:companyId'] } : {}),
  };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(session));
  return session;
}

/** Ends the session in this tab, and at the issuer when it has a logout endpoint. */
export function signOut(config: SignInConfig | undefined): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (config?.logoutEndpoint) {
    const url = new URL(config.logoutEndpoint, document.baseURI);
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
    window.location.assign(url.href);
  }
}

/**
 * The token's claims, read for display and expiry only: the API verifies the signature on every call,
 * so nothing here is trusted for access.
 */
function readClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}
