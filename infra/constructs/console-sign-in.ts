import type * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { managedLoginClient } from './managed-login-client.js';

/**
 * Where and how the console signs in: what `config.json` tells it, and what its CSP must allow.
 * The shape of `console/src/auth/sign-in-config.ts`.
 */
export interface ConsoleSignInSettings {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** Where the issuer ends its session on sign-out (Cognito's `/logout`), if it has one. */
  readonly logoutEndpoint?: string;
  readonly clientId: string;
  readonly scope: string;
}

export interface CognitoConsoleClientProps {
  readonly userPool: cognito.IUserPool;
  /** The managed login domain's base URL (`RootAdminLogin.baseUrl`). */
  readonly loginBaseUrl: string;
  /** The console's address: the only callback and sign-out URL. */
  readonly consoleUrl: string;
}

/**
 * The console's app client in the root admins' user pool: authorization code only (the console
 * sends a PKCE challenge), no client secret (a browser cannot keep one), the console's URL as the
 * one callback, and Cognito's default managed login branding (the newer managed login shows no page
 * for a client without a style).
 */
export class CognitoConsoleClient extends Construct {
  readonly client: cognito.UserPoolClient;
  readonly settings: ConsoleSignInSettings;

  constructor(scope: Construct, id: string, props: CognitoConsoleClientProps) {
    super(scope, id);
    // The console keeps the ID token for the tab's life and signs in again after an hour.
    this.client = managedLoginClient(
      this,
      { client: 'Client', branding: 'Branding' },
      { userPool: props.userPool, callbackUrls: [props.consoleUrl], logoutUrls: [props.consoleUrl] },
    );
    this.settings = {
      authorizationEndpoint: `${props.loginBaseUrl}/oauth2/authorize`,
      tokenEndpoint: `${props.loginBaseUrl}/oauth2/token`,
      logoutEndpoint: `${props.loginBaseUrl}/logout`,
      clientId: this.client.userPoolClientId,
      scope: 'openid email',
    };
  }
}
