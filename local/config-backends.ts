import { type IntegrationConfig, loadKeygateConfig } from '../infra/config.js';
import type { BackendOf } from './gateway.js';

/**
 * The backends of local mode's protected routes, from the deployment config's `integrations` (the
 * file `KEYGATE_CONFIG` names, else `keygate.config.json` here): the namespace's backend, else its
 * group's, else echo — the rule the stack's `integrationFor` applies.
 */
export function configBackends(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): BackendOf {
  const named = env.KEYGATE_CONFIG?.trim();
  const { config } = loadKeygateConfig((key) => (key === 'keygate:config' && named ? named : undefined), cwd);
  const integrations: Record<string, IntegrationConfig> = config.integrations;
  return (route) => {
    const configured =
      (Object.hasOwn(integrations, route.namespace) ? integrations[route.namespace] : undefined) ??
      (route.group !== undefined && Object.hasOwn(integrations, route.group)
        ? integrations[route.group]
        : undefined);
    return configured ?? { type: 'echo' };
  };
}
