import { randomUUID } from 'node:crypto';
import {
  buildProxyEvent,
  type IncomingRequest,
  lambdaContext,
  type MatchedResource,
} from '../api-gateway-events.js';
import type { LambdaHandler } from '../functions.js';
import { describeError, TimeoutError, withTimeout } from './faults.js';
import type { IntegrationFailure } from './integration-failure.js';
import { type IntegrationResponse, proxyResult } from './proxy-result.js';
import type { GatewaySettings } from './settings.js';

/** A Lambda proxy integration's result, or how it failed (`integration-failure.ts` answers it). */
export type LambdaOutcome =
  | { kind: 'response'; response: IntegrationResponse }
  | { kind: 'failed'; failure: IntegrationFailure };

/**
 * Invokes a function (`functions/<name>`) as API Gateway's Lambda proxy integration does: a v1 proxy
 * event carrying the authorizer's context, the integration timeout, and the result read back. A
 * function that cannot be loaded was not invoked, one that throws or answers malformed gave no
 * usable answer, a slow one timed out.
 */
export async function invokeLambda(
  settings: GatewaySettings,
  name: string,
  request: IncomingRequest,
  matched: MatchedResource,
  authorizerContext: Record<string, string | number>,
): Promise<LambdaOutcome> {
  let handler: LambdaHandler;
  try {
    handler = await settings.loadHandler(name);
  } catch (error) {
    // Like a Lambda API Gateway may not invoke, and the reason in the log.
    settings.log(`cannot load functions/${name}: ${describeError(error)}`);
    return { kind: 'failed', failure: 'not-invoked' };
  }
  const event = buildProxyEvent(settings.api, request, matched, settings.port, {
    ...authorizerContext,
    integrationLatency: Date.now() - request.receivedAt.getTime(),
  });
  const context = lambdaContext(settings.api, `keygate-${name}`, randomUUID(), settings.integrationTimeoutMs);
  let result: unknown;
  try {
    result = await withTimeout(handler(event, context), settings.integrationTimeoutMs);
  } catch (error) {
    if (error instanceof TimeoutError) return { kind: 'failed', failure: 'timeout' };
    settings.log(`functions/${name} failed: ${describeError(error)}`);
    return { kind: 'failed', failure: 'unusable-answer' };
  }
  const response = proxyResult(result);
  if (typeof response === 'string') {
    settings.log(`functions/${name} returned a malformed proxy response: ${response}`);
    return { kind: 'failed', failure: 'unusable-answer' };
  }
  return { kind: 'response', response };
}
