import { type App, Tags } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { CONSOLE_DIST } from '../console/build.js';
import type { KeygateDeployment } from '../shared/adapters/config/keygate-deployment.js';
import type { RootAdminLogin, RootAdminSignIn } from './constructs/root-admin-login.js';
import type { RootAdminIdentity, RootAdminPool } from './constructs/root-admin-pool.js';
import { StackLinks } from './stack-links.js';
import { KeygateStatefulStack } from './stateful-stack.js';
import { KeygateStatelessStack } from './stateless-stack.js';

export interface KeygateStacks {
  readonly stateful: KeygateStatefulStack;
  readonly stateless: KeygateStatelessStack;
}

/**
 * Adds keygate's two stacks to `app`: `keygate-<stage>-data` (table, user pool; retained) and
 * `keygate-<stage>-app` (everything else), with the API built from the deployment's catalog and
 * backends. Used by `infra/app.ts` and by the template tests.
 */
export function buildKeygate(app: App, deployment: KeygateDeployment): KeygateStacks {
  const { config } = deployment;
  // No account unless the CLI knows one: `cdk synth` works without credentials; `cdk deploy` fills it in.
  const region = config.region ?? process.env.CDK_DEFAULT_REGION;
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const env =
    region || account ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;
  const common = { ...(env ? { env } : {}), terminationProtection: false };

  const stateful = new KeygateStatefulStack(app, `keygate-${config.stage}-data`, {
    ...common,
    description: 'keygate data: API keys table and root admin user pool (retained)',
    config,
  });
  // What the app stack reads from the data stack goes through SSM parameters (`stack-links.ts`),
  // never CloudFormation exports, so neither stack blocks the other's updates.
  const links = new StackLinks(stateful, config.stage);
  const login = stateful.rootAdminLogin;
  const stateless = new KeygateStatelessStack(app, `keygate-${config.stage}-app`, {
    ...common,
    description: 'keygate: API Gateway, authorizer, management API, web console, expiry emails, alarms',
    deployment,
    // The name is read from the ARN (CDK splits it), so one parameter carries both.
    table: (scope) => ({
      tableArn: links.link(scope, 'table-arn', stateful.table.tableArn),
      tableStreamArn: links.link(scope, 'table-stream-arn', stateful.table.tableStreamArn as string),
    }),
    rootAdminIdentity: (scope) =>
      linkedIdentity(stateful.rootAdminIdentity, (name, value) => links.link(scope, name, value)),
    ...(login
      ? {
          rootAdminLogin: (scope: Construct) =>
            linkedLogin(scope, login, (name, value) => links.link(scope, name, value)),
        }
      : {}),
    consoleDist: CONSOLE_DIST,
  });
  stateless.addStackDependency(
    stateful,
    'reads the table and identity settings the data stack publishes to SSM',
  );
  Tags.of(app).add('app', 'keygate');
  Tags.of(app).add('keygate:stage', config.stage);
  return { stateful, stateless };
}

/** The identity settings with each deploy-time value (the user pool's issuer, client id) linked. */
function linkedIdentity(
  identity: RootAdminIdentity,
  link: (name: string, value: string) => string,
): RootAdminIdentity {
  return {
    ...identity,
    issuer: link('oidc-issuer', identity.issuer),
    audience: link('oidc-audience', identity.audience),
    jwksUri: link('oidc-jwks-uri', identity.jwksUri),
  };
}

/** The managed login as the app stack uses it: the user pool (for the console's client), the domain and the CLI's client, linked. */
function linkedLogin(
  scope: Construct,
  login: { readonly pool: RootAdminPool; readonly login: RootAdminLogin },
  link: (name: string, value: string) => string,
): RootAdminSignIn {
  return {
    userPool: cognito.UserPool.fromUserPoolId(
      scope,
      'RootAdminUserPool',
      link('user-pool-id', login.pool.userPool.userPoolId),
    ),
    baseUrl: link('managed-login-url', login.login.baseUrl),
    cliClientId: link('cli-client-id', login.login.cliClient.userPoolClientId),
  };
}
