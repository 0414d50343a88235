import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { builtInCatalog } from '../shared/catalogs/built-in-catalog.js';
import { configWarnings, InvalidKeygateConfigError, loadKeygateConfig } from './config.js';
import { buildKeygate } from './keygate.js';

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Reads the deployment config, builds both stacks and
 * runs the cdk-nag AwsSolutions checks as a validation plugin: any unacknowledged finding fails
 * `cdk synth` and `cdk deploy`.
 */
const app = new App();
try {
  const { config, source } = loadKeygateConfig((key) => app.node.tryGetContext(key));
  const { stateless } = buildKeygate(app, config, builtInCatalog());
  // Shown by `cdk synth`/`cdk deploy`; fatal with `--strict`.
  for (const warning of configWarnings(config)) {
    Annotations.of(stateless).addWarningV2('keygate:config', `keygate config (${source}): ${warning}`);
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
