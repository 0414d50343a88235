import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevIssuer } from './dev-issuer.js';

/**
 * The development issuer's sign-in for the console: OAuth 2.0 authorization code with PKCE (RFC 7636,
 * S256 only), as Cognito managed login does it in AWS. `GET /dev-issuer/authorize` shows a page with
 * a "Company" field and a "Sign in" button; signing in redirects back with a one-time code, which
 * `POST /dev-issuer/token` exchanges (with the verifier) for a root-admin ID token of that company.
 * Two public clients: the console (redirect `/console/`) and the `keygate` CLI (a loopback redirect
 * on any port, RFC 8252 §7.3). `login_hint` fills in the Company field.
 * Anyone who can reach the local gateway may sign in as any company: it is for local mode only.
 */

export const DEV_CLIENT_ID = 'keygate-console';
/** The `keygate login` client: a native app with a loopback redirect. */
export const DEV_CLI_CLIENT_ID = 'keygate-cli';
export const AUTHORIZE_PATH = '/dev-issuer/authorize';
export const TOKEN_PATH = '/dev-issuer/token';
const STYLE_PATH = '/dev-issuer/login.css';
/** A code is good for one exchange within this time. */
const CODE_TTL_MS = 60_000;
const MAX_FORM_BYTES = 16 * 1024;
/** The company ids the authorizer accepts from a token's claim. */
const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

interface Grant {
  clientId: string;
  companyId: string;
  challenge: string;
  redirectUri: string;
  expires: number;
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
  /** `login_hint`: the company to fill in. */
  hint?: string;
}

/** The console's redirect URI must be `/console/` on a loopback host: the only client there is. */
export function isAllowedRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && loopback && url.pathname === '/console/' && !url.search && !url.hash;
}

/**
 * The CLI's redirect URI must be `http://127.0.0.1:<port>/callback` (or `[::1]`): a loopback IP
 * literal, any port, as RFC 8252 §7.3 and §8.3 have native apps listen.
 */
export function isAllowedCliRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return (
    url.protocol === 'http:' &&
    loopback &&
    url.port !== '' &&
    url.pathname === '/callback' &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password
  );
}

/** Each client and the redirect URIs it may use. */
const CLIENTS: ReadonlyMap<string, { redirect: (uri: string) => boolean; rule: string }> = new Map([
  [DEV_CLIENT_ID, { redirect: isAllowedRedirect, rule: 'the console (http://localhost:<port>/console/)' }],
  [DEV_CLI_CLIENT_ID, { redirect: isAllowedCliRedirect, rule: 'http://127.0.0.1:<port>/callback' }],
]);

/** The sign-in endpoints, as a handler that returns false for paths it does not own. */
export function devIssuerLogin(issuer: DevIssuer, now: () => number = Date.now) {
  const grants = new Map<string, Grant>();

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === STYLE_PATH && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end(STYLE);
      return true;
    }
    if (path === AUTHORIZE_PATH && method === 'GET') {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const request = authorizeRequest(query);
      if (typeof request === 'string') page(res, 400, errorPage(request));
      else page(res, 200, signInPage(request, request.hint?.slice(0, 128)));
      return true;
    }
    if (path === AUTHORIZE_PATH && method === 'POST') {
      const form = await readForm(req);
      const request = form ? authorizeRequest(form) : 'The sign-in form could not be read.';
      if (!form || typeof request === 'string') {
        page(
          res,
          400,
          errorPage(typeof request === 'string' ? request : 'The sign-in form could not be read.'),
        );
        return true;
      }
      const companyId = (form.get('company') ?? '').trim();
      if (!COMPANY_ID.test(companyId)) {
        page(
          res,
          400,
          signInPage(request, companyId, 'Enter a company id: letters, digits and . _ : @ - (at most 128).'),
        );
        return true;
      }
      const code = randomBytes(32).toString('base64url');
      for (const [old, grant] of grants) if (grant.expires <= now()) grants.delete(old);
      grants.set(code, {
        clientId: request.clientId,
        companyId,
        challenge: request.challenge,
        redirectUri: request.redirectUri,
        expires: now() + CODE_TTL_MS,
      });
      const back = new URL(request.redirectUri);
      back.search = new URLSearchParams({ code, state: request.state }).toString();
      res.writeHead(303, { location: back.href, 'cache-control': 'no-store' });
      res.end();
      return true;
    }
    if (path === TOKEN_PATH && method === 'POST') {
      const form = await readForm(req);
      const code = form?.get('code') ?? '';
      const grant = grants.get(code);
      grants.delete(code);
      const fail = (description: string) =>
        json(res, 400, { error: 'invalid_grant', error_description: description });
      if (form?.get('grant_type') !== 'authorization_code') {
        json(res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'grant_type must be authorization_code',
        });
      } else if (!CLIENTS.has(form.get('client_id') ?? '')) {
        json(res, 400, { error: 'invalid_client', error_description: 'client_id is not a known client' });
      } else if (!grant || grant.expires <= now()) {
        fail('the code is unknown, used or expired');
      } else if (form.get('client_id') !== grant.clientId) {
        fail('the code was issued to another client');
      } else if (form.get('redirect_uri') !== grant.redirectUri) {
        fail('redirect_uri differs from the one the code was issued for');
      } else if (!verifierMatches(form.get('code_verifier') ?? '', grant.challenge)) {
        fail('code_verifier does not match the code challenge');
      } else {
        const ttlSeconds = 12 * 60 * 60;
        const idToken = await issuer.mintRootAdminToken({ companyId: grant.companyId, ttlSeconds });
        json(res, 200, { id_token: idToken, token_type: 'Bearer', expires_in: ttlSeconds });
      }
      return true;
    }
    return false;
  };
}

function authorizeRequest(params: URLSearchParams): AuthorizeRequest | string {
  if (params.get('response_type') !== 'code') return 'response_type must be code.';
  const clientId = params.get('client_id') ?? '';
  const client = CLIENTS.get(clientId);
  if (!client) return `client_id must be ${DEV_CLIENT_ID} or ${DEV_CLI_CLIENT_ID}.`;
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client.redirect(redirectUri)) return `redirect_uri must be ${client.rule}.`;
  const challenge = params.get('code_challenge') ?? '';
  if (params.get('code_challenge_method') !== 'S256' || !CHALLENGE.test(challenge)) {
    return 'PKCE is required: code_challenge (S256, base64url) and code_challenge_method=S256.';
  }
  const state = params.get('state') ?? '';
  if (state.length === 0 || state.length > 512) return 'state is required.';
  return { clientId, redirectUri, state, challenge, hint: params.get('login_hint') ?? undefined };
}

function verifierMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(JSON.stringify(body));
}

function page(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(html);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${STYLE_PATH}"></head><body><main>${body}</main></body></html>`;
}

function signInPage(request: AuthorizeRequest, company = 'demo', problem?: string): string {
  const hidden = Object.entries({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  })
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  const error = problem ? `<p id="company-error" class="error">${escapeHtml(problem)}</p>` : '';
  const described = problem ? 'company-hint company-error' : 'company-hint';
  return layout(
    'Sign in — keygate development issuer',
    `<h1>Sign in to keygate</h1><p class="note">Local development issuer: you become a root admin of the company you name. In AWS, Cognito or your identity provider signs you in instead.</p><form method="post" action="${AUTHORIZE_PATH}">${hidden}<label for="company">Company</label><input id="company" name="company" value="${escapeHtml(company)}" required autocomplete="organization" aria-describedby="${described}"${problem ? ' aria-invalid="true"' : ''}><p id="company-hint" class="hint">The company id, e.g. demo.</p>${error}<button type="submit">Sign in</button></form>`,
  );
}

function errorPage(problem: string): string {
  return layout(
    'Sign-in request refused',
    `<h1>Sign-in request refused</h1><p class="error">${escapeHtml(problem)}</p>`,
  );
}

const STYLE = `body{margin:0;font-family:system-ui,sans-serif;background:#f4f6f8;color:#1b1f24}
main{max-width:26rem;margin:4rem auto;background:#fff;border:1px solid #d0d5dc;border-radius:10px;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 .75rem}.note,.hint{color:#4a5360;font-size:.9rem}.hint{margin:.3rem 0 0}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
input{font:inherit;width:100%;padding:.45rem .55rem;border:1px solid #8a939f;border-radius:6px;box-sizing:border-box}
button{font:inherit;margin-top:1rem;padding:.5rem 1rem;border-radius:6px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
.error{color:#a50e0e}:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
`;
