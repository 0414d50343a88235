import {
  CLI_REDIRECT_URIS,
  CLI_SCOPE,
  CLI_SIGN_IN_PATH,
  cliSignInDocumentSchema,
} from '../shared/adapters/http/cli-sign-in.js';
import { ConnectionError, UsageError } from './errors.js';
import { nodeFetch } from './http-transport.js';

/**
 * Where `keygate login` signs in: an OAuth 2.0 authorization server's endpoints, the CLI's public
 * client id and the redirect URIs it registers. Found one of two ways:
 * - the keygate URL's unauthenticated `GET /.well-known/keygate-cli.json`
 *   (`shared/adapters/http/cli-sign-in.ts`: local mode serves it for its development issuer, the
 *   stack from the console's origin; endpoints may be relative to the keygate URL), or
 * - `--issuer URL --client-id ID`: the issuer's OpenID Connect discovery document
 *   (`<issuer>/.well-known/openid-configuration`, e.g. a Cognito user pool's), whose `issuer` must
 *   be the URL given; the redirect URIs are then keygate's fixed loopback ones.
 */

export interface SignInConfig {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  /** Space-separated OAuth scopes to ask for. */
  scope: string;
  /** The exact redirect URIs to try in order; undefined: any loopback port will do. */
  redirectUris?: readonly string[];
}

/** What to do when the keygate URL does not say where to sign in. */
const WITHOUT_BROWSER =
  'Sign in with your identity provider yourself and set KEYGATE_URL and KEYGATE_TOKEN (its ID token), ' +
  'or save them with keygate login --token <token>; or give --issuer and --client-id.';

export async function discoverSignIn(options: {
  url: string;
  issuer?: string;
  clientId?: string;
}): Promise<SignInConfig> {
  if (options.issuer !== undefined || options.clientId !== undefined) {
    if (options.issuer === undefined || options.clientId === undefined) {
      throw new UsageError(
        '--issuer and --client-id go together: the OIDC issuer URL and the CLI app client id.',
      );
    }
    return fromOidcDiscovery(options.issuer, options.clientId);
  }
  const location = new URL(CLI_SIGN_IN_PATH, `${options.url}/`).href;
  const parsed = cliSignInDocumentSchema.safeParse(await getJson(location, 'the keygate URL'));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConnectionError(`${location} is not a keygate sign-in document (${problems.join('; ')}).`);
  }
  const document = parsed.data;
  return {
    authorizationEndpoint: endpoint(document.authorizationEndpoint, options.url),
    tokenEndpoint: endpoint(document.tokenEndpoint, options.url),
    clientId: document.clientId,
    scope: document.scope,
    ...(document.redirectUris === undefined ? {} : { redirectUris: document.redirectUris }),
  };
}

async function fromOidcDiscovery(issuer: string, clientId: string): Promise<SignInConfig> {
  const trimmed = issuer.replace(/\/+$/, '');
  const location = `${trimmed}/.well-known/openid-configuration`;
  const document = await getJson(location, 'the issuer');
  // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
  if (document.issuer !== trimmed) {
    throw new ConnectionError(`${location} names issuer ${String(document.issuer)}, not ${trimmed}.`);
  }
  const methods = document.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new ConnectionError(`${trimmed} does not support PKCE with S256, which keygate login requires.`);
  }
  const { authorization_endpoint: authorize, token_endpoint: token } = document;
  if (typeof authorize !== 'string' || typeof token !== 'string') {
    throw new ConnectionError(`${location} has no authorization_endpoint or token_endpoint.`);
  }
  return {
    authorizationEndpoint: endpoint(authorize, trimmed),
    tokenEndpoint: endpoint(token, trimmed),
    clientId,
    scope: CLI_SCOPE,
    // An issuer's app client registers exact callback URLs (Cognito does): keygate's fixed ones.
    redirectUris: CLI_REDIRECT_URIS,
  };
}

/** An absolute endpoint; https unless on this machine, since codes and tokens travel to it. */
function endpoint(value: string, base: string): string {
  const url = new URL(value, `${base}/`);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConnectionError(
      `sign-in endpoint ${url.href} is not https: refusing to send a code or token there.`,
    );
  }
  return url.href;
}

async function getJson(location: string, what: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await nodeFetch(new Request(location, { headers: { accept: 'application/json' } }));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new ConnectionError(`Cannot reach ${what} at ${location} (${cause}).`);
  }
  if (response.status === 404 && what === 'the keygate URL') {
    // A stack whose OIDC issuer has no `cli` settings deploys no document (README, "Command line").
    throw new ConnectionError(
      `${location} answered 404: this keygate deployment does not offer browser sign-in for the CLI. ${WITHOUT_BROWSER}`,
    );
  }
  if (!response.ok) {
    throw new ConnectionError(
      `${location} answered ${response.status}: ${what} does not say where to sign in. ${WITHOUT_BROWSER}`,
    );
  }
  try {
    const value = (await response.json()) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Reported below.
  }
  throw new ConnectionError(`${location} is not a JSON object.`);
}
