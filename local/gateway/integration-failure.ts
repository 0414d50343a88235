import type { Reply } from './reply.js';

/**
 * The ways an integration (a Lambda or an HTTP backend) fails, and the gateway response API Gateway
 * answers each with (`shared/adapters/apigateway/gateway-responses.ts`), so that local mode's 502 and
 * 504 bodies are the deployed stack's.
 */
export type IntegrationFailure =
  /** Never reached: a Lambda that cannot be invoked, a backend that refuses the connection (502). */
  | 'not-invoked'
  /** Reached, but no answer to pass on: a Lambda that throws or answers malformed, an oversized answer (502). */
  | 'unusable-answer'
  /** No whole answer within the integration timeout (504). */
  | 'timeout';

/** Writes API Gateway's answer to a failed integration. */
export function answerFailure(reply: Reply, failure: IntegrationFailure): void {
  switch (failure) {
    case 'not-invoked':
      reply.gatewayResponse('INTEGRATION_FAILURE');
      return;
    case 'unusable-answer':
      reply.gatewayResponse('DEFAULT_5XX');
      return;
    case 'timeout':
      reply.gatewayResponse('INTEGRATION_TIMEOUT');
      return;
  }
}
