import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { buildAuthorizerResponse, type PolicyOptions } from '../../shared/adapters/apigateway/iam-policy.js';
import { authorizerEnvSchema, loadEnv } from '../../shared/adapters/config/env.js';
import { sharedDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyLookup } from '../../shared/adapters/dynamodb/dynamo-key-lookup.js';
import { createAdminTokenVerifier } from '../../shared/adapters/jwt/admin-token-verifier.js';
import { createLogger } from '../../shared/adapters/log/logger.js';
import {
  createRequestAuthorizer,
  type DecideRequest,
  type Verdict,
} from '../../shared/domain/auth/authorize-request.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { systemClock } from '../../shared/domain/clock.js';
import type { Log } from '../../shared/domain/ports.js';

/** What the authorizer needs: the decision with its ports, the policy options and a log. */
export interface AuthorizerDeps {
  decide: DecideRequest;
  policy: PolicyOptions;
  log: Log;
}

/** A fault (store or JWKS unreachable, bad configuration): API Gateway answers 500, never allows. */
export class AuthorizationFaultError extends Error {
  constructor(cause: unknown) {
    super('the request could not be authorized', { cause });
    this.name = 'AuthorizationFaultError';
  }
}

/**
 * The Lambda REQUEST authorizer: event → decision → policy. A 401 is the error `Unauthorized`
 * (the exact message API Gateway maps to 401); a 403 is a Deny policy whose context carries the reason.
 * Logs one line per decision, never the key, the `Authorization` header or the token.
 */
export function makeAuthorizer(deps: AuthorizerDeps) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const started = performance.now();
    let verdict: Verdict;
    try {
      verdict = await deps.decide({
        method: event.httpMethod,
        path: event.path,
        headers: event.headers,
        multiValueHeaders: event.multiValueHeaders,
        sourceIp: event.requestContext?.identity?.sourceIp ?? '',
      });
    } catch (error) {
      deps.log.error('authorization fault', { error, latencyMs: elapsed(started) });
      throw new AuthorizationFaultError(error);
    }
    deps.log.info('authorization decision', { ...describe(verdict), latencyMs: elapsed(started) });
    if (verdict.effect === 'unauthorized') throw new Error('Unauthorized');
    return buildAuthorizerResponse(verdict, event.methodArn, deps.policy);
  };
}

/** The log fields of a verdict: outcome, who (ids only) and which route. */
function describe(verdict: Verdict): Record<string, unknown> {
  if (verdict.effect === 'unauthorized') {
    const { effect, status, reason, companyId, keyId, detail } = verdict;
    return { effect, status, reason, companyId, keyId, detail };
  }
  const { caller } = verdict;
  return {
    effect: verdict.effect,
    ...(verdict.effect === 'deny' ? { status: 403, code: verdict.code, reason: verdict.reason } : {}),
    principalType: caller.kind,
    companyId: caller.companyId,
    ...(caller.kind === 'key' ? { keyId: caller.keyId } : { subject: caller.subject }),
    routeId: verdict.route?.id,
  };
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/**
 * The authorizer wired to DynamoDB, the OIDC issuer and `catalog`, from `env` (read once, validated:
 * a bad environment throws here, at cold start, so the function never decides anything).
 */
export function handlerFromEnv(env: NodeJS.ProcessEnv, catalog: RouteCatalog) {
  const config = loadEnv(authorizerEnvSchema, env);
  const log = createLogger('keygate-authorizer', { env });
  const decide = createRequestAuthorizer({
    // The lookup slice of the store: one GetItem by digest, and the throttled lastUsedAt write.
    store: new DynamoKeyLookup(
      sharedDocumentClient(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
      config.TABLE_NAME,
    ),
    catalog,
    clock: systemClock,
    keyPrefix: config.KEY_PREFIX,
    adminTokens: createAdminTokenVerifier({
      issuer: config.OIDC_ISSUER,
      audience: config.OIDC_AUDIENCE,
      jwksUri: config.OIDC_JWKS_URI,
      companyClaim: config.OIDC_COMPANY_CLAIM,
      groupsClaim: config.OIDC_GROUPS_CLAIM,
      rootAdminGroup: config.OIDC_ROOT_ADMIN_GROUP,
      ...(config.OIDC_EXPECTED_USE === undefined ? {} : { tokenUse: config.OIDC_EXPECTED_USE }),
    }),
    lastUsedIntervalSeconds: config.LAST_USED_INTERVAL_SECONDS,
    onLastUsedError: (error, ids) => log.warn('lastUsedAt write failed; request allowed', { ...ids, error }),
  });
  const authorize = makeAuthorizer({
    decide,
    policy: { catalog, cacheTtlSeconds: config.AUTHORIZER_CACHE_TTL_SECONDS },
    log,
  });
  // The event carries the credential headers: never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says.
  return middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
    .use(injectLambdaContext(log, { logEvent: false, resetKeys: true }))
    .handler((event) => authorize(event));
}
