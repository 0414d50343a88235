import { randomUUID } from 'node:crypto';
import {
  buildAuthorizerEvent,
  type IncomingRequest,
  lambdaContext,
  type MatchedResource,
} from '../api-gateway-events.js';
import { evaluatePolicy } from '../iam-policy-evaluation.js';
import { describeError, withTimeout } from './faults.js';
import type { LocalGatewayResponseType } from './reply.js';
import type { GatewaySettings } from './settings.js';

/** What API Gateway makes of the authorizer's answer: go on with its context, or answer itself. */
export type AuthorizerVerdict =
  | { kind: 'allow'; context: Record<string, string | number> }
  | { kind: 'reject'; type: LocalGatewayResponseType; reason?: string };

/**
 * Runs the REQUEST authorizer and decides as API Gateway does: a thrown "Unauthorized" is 401, any
 * other failure 500 (fails closed), a malformed answer 500, and the IAM policy evaluated against the
 * request's method ARN — Deny (or no Allow) is 403 with the context's `reason`.
 */
export async function authorize(
  settings: GatewaySettings,
  request: IncomingRequest,
  matched: MatchedResource,
): Promise<AuthorizerVerdict> {
  const event = buildAuthorizerEvent(settings.api, request, matched, settings.port);
  let result: unknown;
  try {
    const authorizer = await settings.loadHandler('authorizer');
    const context = lambdaContext(
      settings.api,
      'keygate-authorizer',
      randomUUID(),
      settings.authorizerTimeoutMs,
    );
    result = await withTimeout(authorizer(event, context), settings.authorizerTimeoutMs);
  } catch (error) {
    // API Gateway answers 401 exactly when the authorizer fails with the message "Unauthorized".
    if (error instanceof Error && error.message === 'Unauthorized')
      return { kind: 'reject', type: 'UNAUTHORIZED' };
    settings.log(`authorizer failed: ${describeError(error)}`);
    return { kind: 'reject', type: 'AUTHORIZER_FAILURE' };
  }
  const output = authorizerOutput(result);
  if (typeof output === 'string') {
    settings.log(`authorizer returned an invalid result: ${output}`);
    return { kind: 'reject', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
  }
  const decision = evaluatePolicy(output.policyDocument, event.methodArn);
  if (decision.outcome === 'malformed') {
    settings.log(`authorizer returned an invalid policy: ${decision.problem}`);
    return { kind: 'reject', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
  }
  if (decision.outcome === 'deny') {
    const reason = output.context.reason;
    return {
      kind: 'reject',
      type: 'ACCESS_DENIED',
      ...(reason === undefined ? {} : { reason: String(reason) }),
    };
  }
  return { kind: 'allow', context: { ...output.context, principalId: output.principalId } };
}

/** The context value types API Gateway accepts from an authorizer. */
const SCALAR_TYPES = new Set(['string', 'number', 'boolean']);

/**
 * Validates the authorizer's output: a `principalId` string, a `policyDocument`, and a flat context
 * whose values API Gateway passes on as strings (objects and arrays make it fail the request).
 */
function authorizerOutput(
  result: unknown,
): { principalId: string; policyDocument: unknown; context: Record<string, string> } | string {
  if (typeof result !== 'object' || result === null) return 'not an object';
  const { principalId, policyDocument, context } = result as Record<string, unknown>;
  if (typeof principalId !== 'string' || principalId.length === 0)
    return 'principalId is not a non-empty string';
  if (policyDocument === undefined) return 'policyDocument is missing';
  const flat: Record<string, string> = {};
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object' || Array.isArray(context)) return 'context is not an object';
    for (const [name, value] of Object.entries(context)) {
      if (value === null || value === undefined) continue;
      if (!SCALAR_TYPES.has(typeof value)) return `context.${name} is not a string, number or boolean`;
      flat[name] = String(value);
    }
  }
  return { principalId, policyDocument, context: flat };
}
