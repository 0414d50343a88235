import { z } from 'zod';

/**
 * Where `keygate login` signs in: the unauthenticated JSON document at {@link CLI_SIGN_IN_PATH} on the
 * keygate URL. One schema for its three parties: local mode serves it for the development issuer, the
 * stack writes it to the console's CloudFront origin at deploy time (Cognito managed login, or the
 * configured OIDC issuer's `cli` settings), and the CLI reads it.
 */

/** The document's address below the keygate URL (the console's origin in AWS, the gateway locally). */
export const CLI_SIGN_IN_PATH = '/.well-known/keygate-cli.json';

/**
 * The loopback redirect URIs the CLI's app client registers, tried in this order. Cognito compares a
 * `redirect_uri` with its callback URLs character for character, port included (no "any port" for
 * loopback as RFC 8252 §7.3 asks), so the CLI listens on one of a few fixed ports rather than one
 * the system picks; three, so that one busy port does not stop a sign-in. The IP literal, not
 * `localhost` (RFC 8252 §8.3): `localhost` may resolve to `::1` while the CLI listens on 127.0.0.1.
 */
export const CLI_LOOPBACK_PORTS = [28431, 28432, 28433] as const;
export const CLI_REDIRECT_URIS: readonly string[] = CLI_LOOPBACK_PORTS.map(
  (port) => `http://127.0.0.1:${port}/callback`,
);

/** The OAuth scopes the CLI asks for (the console's): `openid` for the ID token, `email` for who. */
export const CLI_SCOPE = 'openid email';

/** An absolute URL, or a path resolved against the keygate URL (local mode's development issuer). */
const endpoint = z
  .string()
  .min(1)
  .refine((value) => value.startsWith('/') || URL.canParse(value), 'an absolute URL or a path from /');

/**
 * `http://127.0.0.1:<port>/<path>` or `http://[::1]:<port>/<path>`: a loopback IP literal with an
 * explicit port, no query, fragment or credentials (RFC 8252 §7.3, §8.3).
 */
const loopbackRedirectUri = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === '[::1]') &&
    url.port !== '' &&
    url.pathname.length > 1 &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === '' &&
    url.href === value
  );
}, 'a loopback redirect URI such as http://127.0.0.1:28431/callback');

/**
 * The document. Unknown fields are ignored when read, so a newer stack can add some without breaking
 * an older CLI.
 */
export const cliSignInDocumentSchema = z.object({
  /** The OAuth 2.0 authorization endpoint (Cognito: `<managed login>/oauth2/authorize`). */
  authorizationEndpoint: endpoint,
  /** The token endpoint the code and PKCE verifier go to (Cognito: `<managed login>/oauth2/token`). */
  tokenEndpoint: endpoint,
  /** The CLI's public app client (no secret); its ID tokens' `aud` is one the API accepts. */
  clientId: z.string().trim().min(1),
  /** Space-separated OAuth scopes to ask for; `openid`, since the CLI keeps the ID token. */
  scope: z
    .string()
    .trim()
    .min(1)
    .refine((scope) => scope.split(/\s+/).includes('openid'), 'must include openid'),
  /**
   * The exact redirect URIs the client registers, tried in order. Absent: any loopback port is
   * accepted (local mode's development issuer), and the CLI lets the system pick one.
   */
  redirectUris: z.array(loopbackRedirectUri).min(1).max(10).optional(),
});

export type CliSignInDocument = z.infer<typeof cliSignInDocumentSchema>;
