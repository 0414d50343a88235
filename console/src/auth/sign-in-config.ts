/**
 * Where the console signs in: an OAuth 2.0 authorization server (the local development issuer, Cognito
 * managed login, or the configured OIDC issuer) and this console's public client id. Served beside the
 * app as `config.json`, so one build runs locally and in any deployment.
 */
export interface SignInConfig {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  /** Space-separated OAuth scopes to ask for (e.g. `openid email`). */
  scope: string;
  /** Where the issuer ends its own session on sign-out (Cognito's `/logout`); absent locally. */
  logoutEndpoint?: string;
  /** The management API's base URL: empty for the console's own origin. */
  apiBaseUrl: string;
}

/** Loads `config.json` from beside the app; a missing or malformed file is an error shown to the admin. */
export async function loadSignInConfig(): Promise<SignInConfig> {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok)
    throw new Error(`The console's config.json could not be loaded (HTTP ${response.status}).`);
  const config = (await response.json()) as Partial<SignInConfig>;
  for (const field of ['authorizationEndpoint', 'tokenEndpoint', 'clientId', 'scope'] as const) {
    if (typeof config[field] !== 'string' || config[field] === '') {
      throw new Error(`The console's config.json has no ${field}.`);
    }
  }
  return { apiBaseUrl: '', ...config } as SignInConfig;
}
