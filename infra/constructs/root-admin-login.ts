import { Fn, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface RootAdminLoginProps {
  readonly userPool: cognito.IUserPool;
  /** Names the domain: `keygate-<stage>-<8 hex of the stack's id>`. */
  readonly stage: string;
}

/**
 * The managed login as the app stack sees it (through the stack links): the user pool, where the
 * console's app client goes, and the domain's base URL.
 */
export interface RootAdminSignIn {
  readonly userPool: cognito.IUserPool;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly baseUrl: string;
}

/**
 * The root admins' managed login (Cognito's hosted sign-in pages, the newer version) on a Cognito
 * prefix domain. Kept with the user pool: sign-in outlives a redeploy of the app stack. The app
 * clients that use it (the console's) add their own branding.
 */
export class RootAdminLogin extends Construct {
  readonly domain: cognito.UserPoolDomain;

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
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the OAuth 2.0 endpoints are below it. */
  get baseUrl(): string {
    return this.domain.baseUrl();
  }
}
