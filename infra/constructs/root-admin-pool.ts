import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** How the authorizer verifies a root admin's JWT: the OIDC settings it gets as environment. */
export interface RootAdminIdentity {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  readonly companyClaim: string;
  readonly groupsClaim: string;
  readonly rootAdminGroup: string;
  /** The `token_use` a token must carry (`id` for Cognito); unset: the claim is not read. */
  readonly tokenUse?: string;
}

export const ROOT_ADMIN_GROUP = 'root-admins';
export const COMPANY_ATTRIBUTE = 'companyId';

/**
 * The Cognito user pool of root admins (people): no self sign-up, a `root-admins` group, an immutable
 * `custom:companyId`, required TOTP MFA, and one public app client for signing in over the Cognito
 * API (`aws cognito-idp initiate-auth`; no redirects). Admins send its ID token, which carries `aud`,
 * `custom:companyId` and `cognito:groups`. The clients that sign in through managed login (`keygate
 * login`'s in `RootAdminLogin`, the console's in the app stack) are audiences too.
 */
export class RootAdminPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly identity: RootAdminIdentity;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Immutable: an admin can never move themselves to another company.
      customAttributes: {
        [COMPANY_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Root admins can mint keys for their whole company: a password alone is not enough.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus plan for threat protection (compromised credentials, risky sign-ins) on these powerful accounts.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // The admins are state: they survive a redeploy and a stack deletion, like the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new cognito.CfnUserPoolGroup(this, 'RootAdmins', {
      userPoolId: this.userPool.userPoolId,
      groupName: ROOT_ADMIN_GROUP,
      description: 'Company root admins: manage API keys and notification settings of their company',
    });
    this.client = this.userPool.addClient('CliClient', {
      generateSecret: false,
      // SRP for SDK-based tools; USER_PASSWORD_AUTH so `aws cognito-idp initiate-auth` works (over TLS).
      authFlows: { userSrp: true, userPassword: true },
      // No hosted UI / OAuth redirects (CDK would otherwise enable implicit and code flows to example.com).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.identity = {
      issuer,
      audience: this.client.userPoolClientId,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      companyClaim: `custom:${COMPANY_ATTRIBUTE}`,
      groupsClaim: 'cognito:groups',
      rootAdminGroup: ROOT_ADMIN_GROUP,
      // Cognito's ID tokens say `id`, its access tokens `access`: only the former has `aud` and the claims.
      tokenUse: 'id',
    };
  }
}
