import { type App, Tags } from 'aws-cdk-lib';
import { CONSOLE_DIST } from '../console/build.js';
import type { RouteCatalog } from '../shared/domain/catalog/route-catalog.js';
import type { KeygateConfig } from './config.js';
import { KeygateStatefulStack } from './stateful-stack.js';
import { KeygateStatelessStack } from './stateless-stack.js';

export interface KeygateStacks {
  readonly stateful: KeygateStatefulStack;
  readonly stateless: KeygateStatelessStack;
}

/**
 * Adds keygate's two stacks to `app`: `keygate-<stage>-data` (table, user pool; retained) and
 * `keygate-<stage>-app` (everything else), with the API built from `catalog`. Used by `infra/app.ts`
 * and by the template tests.
 */
export function buildKeygate(app: App, config: KeygateConfig, catalog: RouteCatalog): KeygateStacks {
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
  const stateless = new KeygateStatelessStack(app, `keygate-${config.stage}-app`, {
    ...common,
    description: 'keygate: API Gateway, authorizer, management API, web console, expiry emails, alarms',
    config,
    catalog,
    table: stateful.table,
    rootAdminIdentity: stateful.rootAdminIdentity,
    ...(stateful.rootAdminLogin ? { rootAdminLogin: stateful.rootAdminLogin } : {}),
    consoleDist: CONSOLE_DIST,
  });
  Tags.of(app).add('app', 'keygate');
  Tags.of(app).add('keygate:stage', config.stage);
  return { stateful, stateless };
}
