import type { Agent } from 'node:http';
import { checkRequestPath } from '../../shared/domain/catalog/request-path.js';
import type { CatalogRoute } from '../../shared/domain/catalog/route-catalog.js';
import type { IncomingRequest, MatchedResource } from '../api-gateway-events.js';
import { describeError } from './faults.js';
import { forwardToHttpBackend } from './http-backend.js';
import { answerFailure } from './integration-failure.js';
import { invokeLambda } from './lambda-integration.js';
import type { Reply } from './reply.js';
import type { GatewaySettings } from './settings.js';

/** Methods that never write, so their answers need no commit barrier. */
const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What an integration needs beyond the settings: the allowed request and where it goes. */
export interface IntegrationCall {
  request: IncomingRequest;
  /** The query as the client sent it (`?…` or empty), for HTTP backends. */
  search: string;
  matched: MatchedResource;
  route: CatalogRoute;
  authorizerContext: Record<string, string | number>;
  /** Keep-alive connections to HTTP backends, shared by the gateway's requests. */
  agents: { http: Agent; https: Agent };
}

/**
 * Runs the route's integration and writes its answer: a management route's own function (its
 * writes confirmed by the commit barrier before the answer), or a protected route's backend — an
 * HTTP backend for real, echo otherwise (a Lambda backend, which local mode cannot invoke, too).
 */
export async function integrate(
  settings: GatewaySettings,
  reply: Reply,
  call: IntegrationCall,
): Promise<void> {
  const { route, request } = call;
  if (route.kind === 'management') {
    await management(settings, reply, call);
    return;
  }
  const backend = settings.backendOf(route);
  if (backend.type !== 'http') {
    const outcome = await invokeLambda(settings, 'echo', request, call.matched, call.authorizerContext);
    if (outcome.kind === 'failed') answerFailure(reply, outcome.failure);
    else reply.integration(outcome.response);
    return;
  }
  // The backend must read the very path the authorizer matched; one it could read otherwise stops here.
  const check = checkRequestPath(request.path);
  if (!check.ok) {
    reply.gatewayResponse('DEFAULT_4XX', { message: `The request path is not accepted: ${check.message}.` });
    return;
  }
  const outcome = await forwardToHttpBackend({
    baseUrl: backend.baseUrl,
    request,
    search: call.search,
    caller: call.authorizerContext,
    gatewayPort: settings.port,
    timeoutMs: settings.integrationTimeoutMs,
    maxResponseBytes: settings.maxBodyBytes,
    agents: call.agents,
  });
  switch (outcome.kind) {
    case 'response':
      reply.integration(outcome.response);
      return;
    case 'timeout':
      settings.log(`${backend.baseUrl} did not answer within ${settings.integrationTimeoutMs} ms`);
      answerFailure(reply, 'timeout');
      return;
    case 'too-large':
      settings.log(`${backend.baseUrl} answered more than ${settings.maxBodyBytes} bytes`);
      answerFailure(reply, 'unusable-answer');
      return;
    case 'unreachable':
      settings.log(`${backend.baseUrl} unreachable: ${outcome.error.message}`);
      answerFailure(reply, 'not-invoked');
      return;
  }
}

async function management(settings: GatewaySettings, reply: Reply, call: IntegrationCall): Promise<void> {
  const { route, request } = call;
  if (!route.handler) {
    settings.log(`route ${route.id} has no handler`);
    reply.gatewayResponse('API_CONFIGURATION_ERROR');
    return;
  }
  const outcome = await invokeLambda(settings, route.handler, request, call.matched, call.authorizerContext);
  settings.afterManagementCall?.();
  if (outcome.kind === 'failed') {
    answerFailure(reply, outcome.failure);
    return;
  }
  if (settings.commitBarrier && !READ_ONLY_METHODS.has(request.method)) {
    try {
      await settings.commitBarrier();
    } catch (error) {
      settings.log(
        `the database did not confirm the write of functions/${route.handler}: ${describeError(error)}`,
      );
      answerFailure(reply, 'unusable-answer');
      return;
    }
  }
  reply.integration(outcome.response);
}
