import { InvalidKeygateConfigError, type KeygateConfig } from '../shared/adapters/config/keygate-config.js';
import {
  type KeygateDeployment,
  loadKeygateDeployment,
} from '../shared/adapters/config/keygate-deployment.js';

export type { KeygateConfig };

/**
 * The config as `cdk synth`/`cdk deploy` see it: the shared loader
 * (`shared/adapters/config/keygate-deployment.ts`, which `npm start` uses too) with CDK's context on
 * top. The file is the one `-c keygate:config=<path>` names, else `KEYGATE_CONFIG`, else
 * `keygate.config.json` in `cwd` (optional); the `keygate` context object (`cdk.json` or
 * `-c keygate='{…}'`) overrides it field by field.
 */
export function loadKeygateConfig(
  tryGetContext: (key: string) => unknown,
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): KeygateDeployment {
  const named = tryGetContext('keygate:config');
  if (named !== undefined && typeof named !== 'string') {
    throw new InvalidKeygateConfigError('context keygate:config', ['must be a file path']);
  }
  let overlay = tryGetContext('keygate');
  if (typeof overlay === 'string') overlay = parseContextJson(overlay);
  if (overlay !== undefined && (typeof overlay !== 'object' || overlay === null || Array.isArray(overlay))) {
    throw new InvalidKeygateConfigError('context keygate', ['must be a JSON object']);
  }
  return loadKeygateDeployment({
    cwd,
    env,
    ...(named === undefined ? {} : { configFile: named }),
    ...(overlay === undefined
      ? {}
      : { overlay: overlay as Record<string, unknown>, overlaySource: 'context keygate' }),
  });
}

function parseContextJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidKeygateConfigError('context keygate', [`not valid JSON: ${(error as Error).message}`]);
  }
}
