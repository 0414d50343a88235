import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { KeygateConfig } from '../../shared/adapters/config/keygate-config.js';
import { CLI_REDIRECT_URIS, type CliSignInDocument } from '../../shared/adapters/http/cli-sign-in.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { CognitoConsoleClient, type ConsoleSignInSettings } from './console-sign-in.js';
import { ConsoleSite } from './console-site.js';
import { cognitoCliSignIn, type RootAdminSignIn } from './root-admin-login.js';
import type { RootAdminIdentity } from './root-admin-pool.js';

export interface KeygateConsoleProps {
  readonly config: KeygateConfig;
  readonly api: apigw.IRestApi;
  readonly catalog: RouteCatalog;
  readonly consoleDist: string;
  /** Retention of the logs of the handler that deploys the console and docs. */
  readonly logRetention: logs.RetentionDays;
  /** How the authorizer verifies admin tokens (its audience gains the console's client). */
  readonly identity: RootAdminIdentity;
  /** With Cognito: the pool and its managed login, from the data stack (through the stack links). */
  readonly rootAdminLogin?: RootAdminSignIn;
}

/**
 * The web console in AWS: the site (CloudFront + S3, docs, the management API on the same origin)
 * and how it signs in — an app client for Cognito managed login, or the configured OIDC issuer's
 * console settings — written to the console's `config.json` at deploy time; and, on the same origin,
 * where `keygate login` signs in (`/.well-known/keygate-cli.json`: the CLI's Cognito client, or the
 * issuer's `cli` settings; without them, no document and the CLI says to use KEYGATE_TOKEN).
 */
export class KeygateConsole extends Construct {
  readonly site: ConsoleSite;
  /** The console's sign-in, or undefined when an OIDC issuer has no `console` settings. */
  readonly signIn?: ConsoleSignInSettings;
  /** Where `keygate login` signs in, or undefined when an OIDC issuer has no `cli` settings. */
  readonly cliSignIn?: CliSignInDocument;
  /**
   * The audiences the authorizer accepts: the identity's own (Cognito: the pool's API client; OIDC:
   * `audience`), the CLI's client and the console's.
   */
  readonly audiences: readonly string[];

  constructor(scope: Construct, id: string, props: KeygateConsoleProps) {
    super(scope, id);
    const idp = props.config.identityProvider;
    const siteProps = {
      api: props.api,
      stageName: props.config.stage,
      catalog: props.catalog,
      consoleDist: props.consoleDist,
      logRetention: props.logRetention,
    };
    if (idp.type === 'cognito') {
      const cognito = props.rootAdminLogin;
      if (cognito === undefined) throw new Error('the Cognito identity provider needs the root admin pool');
      const loginBaseUrl = cognito.baseUrl;
      this.site = new ConsoleSite(this, 'Site', {
        ...siteProps,
        tokenEndpoint: `${loginBaseUrl}/oauth2/token`,
      });
      const client = new CognitoConsoleClient(this, 'SignIn', {
        userPool: cognito.userPool,
        loginBaseUrl,
        consoleUrl: this.site.consoleUrl,
      });
      this.signIn = client.settings;
      this.cliSignIn = cognitoCliSignIn(cognito);
    } else if (idp.console !== undefined) {
      this.site = new ConsoleSite(this, 'Site', { ...siteProps, tokenEndpoint: idp.console.tokenEndpoint });
      this.signIn = {
        authorizationEndpoint: idp.console.authorizationEndpoint,
        tokenEndpoint: idp.console.tokenEndpoint,
        ...(idp.console.logoutEndpoint === undefined ? {} : { logoutEndpoint: idp.console.logoutEndpoint }),
        clientId: idp.console.clientId ?? idp.audience,
        scope: idp.console.scope,
      };
    } else {
      this.site = new ConsoleSite(this, 'Site', siteProps);
    }
    if (idp.type === 'oidc' && idp.cli !== undefined) {
      this.cliSignIn = {
        authorizationEndpoint: idp.cli.authorizationEndpoint,
        tokenEndpoint: idp.cli.tokenEndpoint,
        clientId: idp.cli.clientId ?? idp.audience,
        scope: idp.cli.scope,
        redirectUris: [...CLI_REDIRECT_URIS],
      };
    }
    if (this.signIn !== undefined) this.site.deployConsole(this.signIn);
    if (this.cliSignIn !== undefined) this.site.deployCliSignIn(this.cliSignIn);
    const clients = [this.cliSignIn?.clientId, this.signIn?.clientId].filter((id) => id !== undefined);
    this.audiences = [...new Set([props.identity.audience, ...clients])];
  }
}
