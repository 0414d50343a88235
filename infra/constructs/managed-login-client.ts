import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

export interface ManagedLoginClientProps {
  readonly userPool: cognito.IUserPool;
  /** The exact redirect URIs Cognito accepts (it matches them whole, port included). */
  readonly callbackUrls: readonly string[];
  /** Where `/logout` may send the browser back to; none for a client that never signs out there. */
  readonly logoutUrls?: readonly string[];
}

/**
 * A public app client that signs root admins in through Cognito managed login only, as the console
 * and the CLI do: authorization code (the caller sends a PKCE challenge), no client secret (neither
 * a browser nor a laptop can keep one), scopes `openid email`, SRP behind managed login, and tokens
 * valid an hour (the ID token is kept, no refresh: sign in again after an hour). Created as
 * `clientId` in `scope`, with Cognito's default managed login branding as `brandingId` (the newer
 * managed login shows no page for a client without a style).
 */
export function managedLoginClient(
  scope: Construct,
  ids: { client: string; branding: string },
  props: ManagedLoginClientProps,
): cognito.UserPoolClient {
  const client = new cognito.UserPoolClient(scope, ids.client, {
    userPool: props.userPool,
    generateSecret: false,
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
      callbackUrls: [...props.callbackUrls],
      ...(props.logoutUrls ? { logoutUrls: [...props.logoutUrls] } : {}),
    },
    supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.hours(1),
    authSessionValidity: Duration.minutes(3),
  });
  new cognito.CfnManagedLoginBranding(scope, ids.branding, {
    userPoolId: props.userPool.userPoolId,
    clientId: client.userPoolClientId,
    useCognitoProvidedValues: true,
  });
  return client;
}
