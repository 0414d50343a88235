import { randomUUID } from 'node:crypto';
import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import { docsAnswer } from '../../shared/adapters/http/openapi/docs-site.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { redactKeys } from '../../shared/domain/keys/key-format.js';
import type { IncomingRequest, MatchedResource } from '../api-gateway-events.js';
import { BAD_TARGET_MESSAGE, parseRequestTarget, requestPath } from '../request-target.js';
import { authorize } from './authorizer-step.js';
import { integrate } from './integrations.js';
import { peerAddress } from './peer-address.js';
import { Reply } from './reply.js';
import { readBody } from './request-body.js';
import type { GatewaySettings } from './settings.js';

/** The catch-all resource the stack puts behind the authorizer for every path outside the catalog. */
const CATCH_ALL_RESOURCE = '/{proxy+}';

/**
 * One request, as the deployed REST API handles it: what local mode serves beside the API (console,
 * sign-in, JWKS, docs), then the body (413 past the payload limit), the route from the catalog (HEAD
 * wherever GET is), the authorizer, and the route's integration.
 */
export async function handleRequest(
  settings: GatewaySettings,
  agents: { http: Agent; https: Agent },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const requestId = randomUUID();
  const target = req.url ?? '/';
  const url = parseRequestTarget(target);
  const method = (req.method ?? 'GET').toUpperCase();
  // As sent (dot segments unresolved): what the authorizer checks and matches (`requestPath`).
  const path = url ? requestPath(target) : target;
  const reply = new Reply(res, requestId, method);
  if (settings.accessLog) {
    res.on('finish', () =>
      settings.log(
        `${method} ${redactKeys(path, settings.keyPrefix)} → ${res.statusCode} (${Date.now() - started} ms)`,
      ),
    );
  }
  if (!url) {
    // Drained first, as for any other answer, so the client reads the 400 rather than a reset.
    await readBody(req, 0);
    reply.gatewayResponse('DEFAULT_4XX', { message: BAD_TARGET_MESSAGE });
    return;
  }

  if (settings.localRoutes && (await settings.localRoutes(req, res, path))) return;
  if (method === 'GET' && path === '/.well-known/jwks.json' && settings.jwks) {
    reply.json(200, settings.jwks());
    return;
  }
  // The OpenAPI document and its reference page need no credentials, as in the deployed API.
  const docs = docsAnswer(settings.catalog, method, path);
  if (docs) {
    reply.raw(docs.status, docs.headers, docs.body);
    return;
  }

  const body = await readBody(req, settings.maxBodyBytes);
  if (body === 'too-large') {
    reply.gatewayResponse('REQUEST_TOO_LARGE');
    return;
  }

  const request: IncomingRequest = {
    requestId,
    method,
    path,
    rawHeaders: req.rawHeaders,
    query: [...url.searchParams.entries()],
    sourceIp: peerAddress(req),
    body,
    receivedAt: new Date(started),
  };
  let match: ReturnType<RouteCatalog['match']>;
  try {
    // HEAD matches wherever GET does (`request-method.ts`), with the same scopes.
    match = settings.catalog.match(method, path);
  } catch (error) {
    // A path parameter with broken percent-encoding (`%E0%A4%A`) cannot be decoded: API Gateway's 400.
    if (!(error instanceof URIError)) throw error;
    reply.gatewayResponse('DEFAULT_4XX', { message: 'The request path is not valid percent-encoding.' });
    return;
  }
  if (!match && path === '/') {
    // The catch-all `/{proxy+}` needs at least one segment, so API Gateway has no method for `/`.
    reply.gatewayResponse('MISSING_AUTHENTICATION_TOKEN');
    return;
  }
  const matched: MatchedResource = match
    ? { resource: settings.catalog.gatewayPath(match.route), pathParameters: match.pathParameters }
    : { resource: CATCH_ALL_RESOURCE, pathParameters: { proxy: path.slice(1) } };

  const verdict = await authorize(settings, request, matched);
  if (verdict.kind === 'reject') {
    reply.gatewayResponse(verdict.type, verdict.reason === undefined ? {} : { reason: verdict.reason });
    return;
  }
  if (!match) {
    // Only a misbehaving authorizer allows a route outside the catalog; the deployed API has nothing behind it.
    reply.gatewayResponse('MISSING_AUTHENTICATION_TOKEN');
    return;
  }
  await integrate(settings, reply, {
    request,
    search: url.search,
    matched,
    route: match.route,
    authorizerContext: verdict.context,
    agents,
  });
}
