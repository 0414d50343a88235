import type { CatalogRoute, RouteCatalog } from '../../domain/catalog/route-catalog.js';
import type { BackendConfig, KeygateConfig } from './keygate-config.js';

/**
 * Which backend serves a protected route, the one rule the stack and local mode share: the backend
 * `integrations` names for the route's namespace, else for its group, else `defaultBackend`, else
 * (only with the shipped demo catalog) echo. `undefined`: none, which loading the deployment
 * reports as a config error, so a built stack or a started local gateway never meets it.
 */
export function backendOf(
  config: Pick<KeygateConfig, 'integrations' | 'defaultBackend'>,
  route: Pick<CatalogRoute, 'namespace' | 'group'>,
  options: { readonly echoByDefault: boolean },
): BackendConfig | undefined {
  const { integrations } = config;
  if (Object.hasOwn(integrations, route.namespace)) return integrations[route.namespace];
  if (route.group !== undefined && Object.hasOwn(integrations, route.group)) return integrations[route.group];
  if (config.defaultBackend !== undefined) return config.defaultBackend;
  return options.echoByDefault ? { type: 'echo' } : undefined;
}

/** One identity per distinct backend, so routes of several namespaces share one proxy when they can. */
export function backendKey(backend: BackendConfig): string {
  switch (backend.type) {
    case 'http':
      return `http ${backend.baseUrl}`;
    case 'lambda':
      return `lambda ${backend.functionArn}`;
    case 'echo':
      return 'echo';
  }
}

/**
 * What is wrong with the config's backends for this catalog: integrations naming no namespace or
 * group of protected routes, and (without `echoByDefault` or `defaultBackend`) namespaces with no
 * backend. Each problem as `integrations.x: …` / `catalog: …`, for `InvalidKeygateConfigError`.
 */
export function backendProblems(
  config: Pick<KeygateConfig, 'integrations' | 'defaultBackend'>,
  catalog: RouteCatalog,
  options: { readonly echoByDefault: boolean },
): string[] {
  const protectedRoutes = catalog.routes.filter((route) => route.kind === 'protected');
  const known = new Set([
    ...protectedRoutes.map((route) => route.namespace),
    ...protectedRoutes.flatMap((route) => (route.group === undefined ? [] : [route.group])),
  ]);
  const problems: string[] = [];
  for (const target of Object.keys(config.integrations)) {
    if (!known.has(target)) {
      problems.push(
        `integrations.${target}: "${target}" is not a namespace or group of protected routes; known: ${[...known].sort().join(', ')}`,
      );
    }
  }
  const missing = new Set<string>();
  for (const route of protectedRoutes) {
    if (backendOf(config, route, options) === undefined) missing.add(route.namespace);
  }
  for (const namespace of [...missing].sort()) {
    problems.push(
      `catalog: namespace "${namespace}" has no backend: name it (or its group) in "integrations", or opt into a default with "defaultBackend" (e.g. {"type":"echo"})`,
    );
  }
  return problems;
}

/** Where the stack deploys, as far as synth knows it: `undefined` where it does not (an environment-agnostic stack). */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/**
 * Lambda backends in another account or region than the stack's: API Gateway's Lambda integration
 * and the invoke permission the stack adds to the function work only in the stack's own, so such a
 * backend would pass synth and fail the deploy. Only what is known is compared: `cdk deploy` knows
 * both from the credentials, an environment-agnostic `cdk synth` may know neither. Each problem as
 * `integrations.x.functionArn: …` / `defaultBackend.functionArn: …`, for `InvalidKeygateConfigError`.
 */
export function lambdaBackendProblems(
  config: Pick<KeygateConfig, 'integrations' | 'defaultBackend'>,
  stack: StackEnvironment,
): string[] {
  const configured: Array<readonly [string, BackendConfig]> = [
    ...Object.entries(config.integrations).map(
      ([target, backend]) => [`integrations.${target}`, backend] as const,
    ),
    ...(config.defaultBackend === undefined ? [] : [['defaultBackend', config.defaultBackend] as const]),
  ];
  const problems: string[] = [];
  for (const [where, backend] of configured) {
    if (backend.type !== 'lambda') continue;
    // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>] (the config schema checked it)
    const [, , , region, account] = backend.functionArn.split(':');
    const elsewhere = [
      ...(stack.account !== undefined && account !== stack.account
        ? [`account ${account} (the stack's: ${stack.account})`]
        : []),
      ...(stack.region !== undefined && region !== stack.region
        ? [`region ${region} (the stack's: ${stack.region})`]
        : []),
    ];
    if (elsewhere.length > 0) {
      problems.push(
        `${where}.functionArn: the function is in ${elsewhere.join(' and ')}; a Lambda backend must be in the stack's account and region (deploy a function there, or reach it over HTTP)`,
      );
    }
  }
  return problems;
}
