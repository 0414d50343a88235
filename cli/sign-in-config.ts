import { ConnectionError, UsageError } from './errors.js';
import { nodeFetch } from './http-transport.js';

/**
 * Where `keygate login` signs in: an OAuth 2.0 authorization server's endpoints and the CLI's public
 * client id. Found one of two ways:
 * - the keygate API's unauthenticated `GET /.well-known/keygate-cli.json` (local mode serves it for
 *   its development issuer; endpoints may be relative to the API's URL), or
 * - `--issuer URL --client-id ID`: the issuer's OpenID Connect discovery document
 *   (`<issuer>/.well-known/openid-configuration`, e.g. a Cognito user pool's), whose `issuer` must
 *   be the URL given.
 */

/** The API's sign-in document for the CLI. */
export const CLI_SIGN_IN_PATH = '/.well-known/keygate-cli.json';

export interface SignInConfig {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  /** Space-separated OAuth scopes to ask for. */
  scope: string;
}

/** The body local mode serves at {@link CLI_SIGN_IN_PATH} (relative endpoints resolve against the API). */
export type CliSignInDocument = SignInConfig;

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
  const document = await getJson(location, 'the API');
  const field = (name: keyof SignInConfig) => {
    const value = document[name];
    if (typeof value !== 'string' || value === '') {
      throw new ConnectionError(`${location} has no ${name}: it is not a keygate sign-in document.`);
    }
    return value;
  };
  return {
    authorizationEndpoint: endpoint(field('authorizationEndpoint'), options.url),
    tokenEndpoint: endpoint(field('tokenEndpoint'), options.url),
    clientId: field('clientId'),
    scope: field('scope'),
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
    scope: 'openid email',
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
  if (!response.ok) {
    throw new ConnectionError(
      `${location} answered ${response.status}: ${what} does not say where to sign in. Give --issuer and --client-id, or --token.`,
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
