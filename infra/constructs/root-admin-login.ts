import { Fn, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  CLI_REDIRECT_URIS,
  CLI_SCOPE,
  type CliSignInDocument,
} from '../../shared/adapters/http/cli-sign-in.js';
import { managedLoginClient } from './managed-login-client.js';

export interface RootAdminLoginProps {
  readonly userPool: cognito.IUserPool;
  /** Names the domain: `keygate-<stage>-<8 hex of the stack's id>`. */
  readonly stage: string;
}

/**
 * The managed login as the app stack sees it (through the stack links): the user pool, where the
 * console's app client goes, the domain's base URL, and the CLI's app client.
 */
export interface RootAdminSignIn {
  readonly userPool: cognito.IUserPool;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly baseUrl: string;
  /** The `keygate login` app client: its ID tokens' `aud` is one the authorizer accepts. */
  readonly cliClientId: string;
}

/**
 * The root admins' managed login (Cognito's hosted sign-in pages, the newer version) on a Cognito
 * prefix domain, and the app client `keygate login` signs in with. Kept with the user pool: sign-in
 * outlives a redeploy of the app stack. The console's app client (in the app stack, as its callback
 * is the distribution) adds its own branding.
 */
export class RootAdminLogin extends Construct {
  readonly domain: cognito.UserPoolDomain;
  /**
   * `keygate login`'s client, a native app (RFC 8252): authorization code only (the CLI sends a PKCE
   * challenge), no secret (a CLI on someone's laptop cannot keep one), and as callbacks exactly the
   * loopback redirect URIs the CLI listens on, since Cognito matches a redirect URI exactly, port
   * included. Apart from the pool's API client (`RootAdminPool.client`), which allows passwords over
   * the Cognito API but no redirects: this one signs in only through managed login.
   */
  readonly cliClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: RootAdminLoginProps) {
    super(scope, id);
    // Prefix domains are global per region: a part of the stack's GUID keeps two deployments of one
    // stage (two accounts) apart, and stays the same for the life of the stack.
    const stackGuid = Fn.select(2, Fn.split('/', Stack.of(this).stackId));
    this.domain = new cognito.UserPoolDomain(this, 'Domain', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: `keygate-${props.stage}-${Fn.select(0, Fn.split('-', stackGuid))}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // No sign-out URL: `keygate logout` forgets the saved token, it sends no browser to /logout.
    this.cliClient = managedLoginClient(
      this,
      { client: 'CliClient', branding: 'CliBranding' },
      { userPool: props.userPool, callbackUrls: CLI_REDIRECT_URIS },
    );
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the OAuth 2.0 endpoints are below it. */
  get baseUrl(): string {
    return this.domain.baseUrl();
  }
}

/**
 * What the stack serves at `/.well-known/keygate-cli.json` with Cognito: managed login's OAuth 2.0
 * endpoints, the CLI's client and the redirect URIs it registers.
 */
export function cognitoCliSignIn(login: RootAdminSignIn): CliSignInDocument {
  return {
    authorizationEndpoint: `${login.baseUrl}/oauth2/authorize`,
    tokenEndpoint: `${login.baseUrl}/oauth2/token`,
    clientId: login.cliClientId,
    scope: CLI_SCOPE,
    redirectUris: [...CLI_REDIRECT_URIS],
  };
}
