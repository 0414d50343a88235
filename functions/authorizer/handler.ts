import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Verdict } from '../../shared/auth/authorize-request.js';
import { buildAuthorizerResponse } from '../../shared/auth/iam-policy.js';
import { loadAuthorizerEnv } from '../../shared/config/authorizer-env.js';
import { type AuthorizerDependencies, dependenciesFromEnv } from './dependencies.js';
import { createJsonLog } from './json-log.js';

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
export async function authorize(
  event: APIGatewayRequestAuthorizerEvent,
  deps: AuthorizerDependencies,
): Promise<APIGatewayAuthorizerResult> {
  const started = performance.now();
  let verdict: Verdict;
  try {
    verdict = await deps.decide({
      method: event.httpMethod,
      resource: event.resource,
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

// A JSON-line log, not Powertools Logger: the authorizer's bundle budget (see json-log.ts).
const logger = createJsonLog('keygate-authorizer');

// Built on the first invocation, not at import: the local gateway and the tests import this module
// before (or without) setting the environment. An invalid environment fails every invocation (500).
let dependencies: AuthorizerDependencies | undefined;

// No Powertools context middleware: the JSON log takes the request id itself, and never logs the
// event (it carries the credential headers), whatever POWERTOOLS_LOGGER_LOG_EVENT says.
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>().handler(
  (event, context) => {
    logger.startInvocation(context.awsRequestId);
    dependencies ??= dependenciesFromEnv(loadAuthorizerEnv(), logger);
    return authorize(event, dependencies);
  },
);
