import { createAdminTokenVerifier } from '../../shared/auth/admin-token.js';
import { createRequestAuthorizer, type DecideRequest } from '../../shared/auth/authorize-request.js';
import type { PolicyOptions } from '../../shared/auth/iam-policy.js';
import { CATALOG } from '../../shared/catalog/catalog.js';
import { systemClock } from '../../shared/clock.js';
import type { AuthorizerEnv } from '../../shared/config/env.js';
import { sharedDynamoClient } from '../../shared/store/dynamo-connection.js';
import { DynamoKeyLookup } from '../../shared/store/dynamo-key-lookup.js';

/** What the authorizer handler needs; built once per process from the environment, or by tests. */
export interface AuthorizerDependencies {
  decide: DecideRequest;
  policy: PolicyOptions;
  log: DecisionLog;
}

/** The slice of a logger the handler uses (`json-log.ts`; Powertools' `Logger` fits too). */
export interface DecisionLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Wires the decision service to DynamoDB, the OIDC issuer and the catalog, from a validated environment. */
export function dependenciesFromEnv(env: AuthorizerEnv, log: DecisionLog): AuthorizerDependencies {
  const decide = createRequestAuthorizer({
    // The lookup slice of the store on the plain client: no document client or zod on the hot path.
    store: new DynamoKeyLookup(sharedDynamoClient({ endpoint: env.DYNAMODB_ENDPOINT }), env.TABLE_NAME),
    catalog: CATALOG,
    clock: systemClock,
    keyPrefix: env.KEY_PREFIX,
    adminTokens: createAdminTokenVerifier({
      issuer: env.OIDC_ISSUER,
      audience: env.OIDC_AUDIENCE,
      jwksUri: env.OIDC_JWKS_URI,
      companyClaim: env.OIDC_COMPANY_CLAIM,
      groupsClaim: env.OIDC_GROUPS_CLAIM,
      rootAdminGroup: env.OIDC_ROOT_ADMIN_GROUP,
      ...(env.OIDC_EXPECTED_USE === undefined ? {} : { tokenUse: env.OIDC_EXPECTED_USE }),
    }),
    lastUsedIntervalSeconds: env.LAST_USED_INTERVAL_SECONDS,
    onLastUsedError: (error, ids) => log.warn('lastUsedAt write failed; request allowed', { ...ids, error }),
  });
  return { decide, policy: { catalog: CATALOG, cacheTtlSeconds: env.AUTHORIZER_CACHE_TTL_SECONDS }, log };
}
