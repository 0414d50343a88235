import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ensureConsoleBuilt } from '../console/build.js';
import { configWarnings, InvalidKeygateConfigError } from '../shared/adapters/config/keygate-config.js';
import { loadKeygateConfig } from './config.js';
import { buildKeygate } from './keygate.js';

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Builds the web console if stale, loads and
 * validates the deployment config and its catalog once, builds both stacks and runs the cdk-nag
 * AwsSolutions checks as a validation plugin: any unacknowledged finding fails `cdk synth` and
 * `cdk deploy`.
 */
const app = new App();
// The stack deploys the console from console/dist/: build it first if its sources changed (as
// `npm install` and `npm start` do), so `cdk synth` never ships a stale or missing console.
await ensureConsoleBuilt();
try {
  const deployment = loadKeygateConfig((key) => app.node.tryGetContext(key));
  const { stateless } = buildKeygate(app, deployment);
  // Shown by `cdk synth`/`cdk deploy`; fatal with `--strict`.
  for (const warning of configWarnings(deployment.config)) {
    Annotations.of(stateless).addWarningV2(
      'keygate:config',
      `keygate config (${deployment.source}): ${warning}`,
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  if (error instanceof InvalidKeygateConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
