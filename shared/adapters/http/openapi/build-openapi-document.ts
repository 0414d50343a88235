import * as z from 'zod/mini';
import type { CatalogRoute, RouteCatalog } from '../../../domain/catalog/route-catalog.js';
import { acceptingScopes } from '../../../domain/scopes/scope-coverage.js';
import { GATEWAY_RESPONSES } from '../../apigateway/gateway-responses.js';
import { COMPONENT_SCHEMAS, OPERATIONS, type OperationSpec, type ProblemStatus } from './operations.js';

/**
 * The management API's OpenAPI 3.1 document, generated from the catalog's management routes (method,
 * path, operation, who may call) and the zod schemas the handlers validate with and answer in. Nothing
 * here is written twice: a route, a field or a limit changes in its one place and the document follows.
 */

/** The version of the management API's contract (`/v1`), not of the package. */
export const API_DOCUMENT_VERSION = '1.0.0';

type JsonObject = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus | 401 | 403 | 429 | 500, string> = {
  400: 'The request is malformed or a field is invalid; `errors` names each problem.',
  401: 'Missing, malformed, expired, unknown, revoked or disabled credentials.',
  403: 'The caller may not do this (its scopes, the delegation rule, or root admins only); `detail` says why.',
  404: 'No such key in your company (the same answer for another company’s key, or one a calling key does not cover).',
  409: 'The key cannot be rotated in its state (already rotated, expired or disabled); `detail` says what to do.',
  413: 'The request body is too large.',
  415: 'The body is not JSON.',
  429: 'Throttled: slow down and retry.',
  500: 'Something went wrong on our side; quote `requestId`.',
};

/** Every schema of `COMPONENT_SCHEMAS` as JSON Schema 2020-12 (OpenAPI 3.1's dialect), cross-referenced. */
function componentSchemas(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    // Request bodies as clients send them (before the settings' deduplicating transform).
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonObject> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

/** Which credentials a route takes: root admins everywhere; keys where the catalog opens it to keys. */
function securityOf(route: CatalogRoute): Array<Record<string, string[]>> {
  if (route.auth === 'root-admin') return [{ rootAdmin: [] }];
  return [{ rootAdmin: [] }, { apiKey: [] }, { apiKeyHeader: [] }];
}

function whoMayCall(route: CatalogRoute): string {
  if (route.auth === 'root-admin') return 'Root admins only; API keys are refused (403).';
  if (route.auth === 'any-key') return 'Any root admin or valid API key.';
  const scopes = acceptingScopes(route)
    .map((scope) => `\`${scope}\``)
    .join(', ');
  return `Root admins, or an API key holding one of: ${scopes} (a key manages only the keys its scopes cover).`;
}

function operation(route: CatalogRoute, spec: OperationSpec): JsonObject {
  const parameters: JsonObject[] = [];
  if (spec.keyIdInPath) {
    parameters.push({
      name: 'id',
      in: 'path',
      required: true,
      description: 'The key id.',
      schema: z.toJSONSchema(COMPONENT_SCHEMAS.KeyView.shape.id),
    });
  }
  for (const [name, schema] of Object.entries(spec.query ?? {})) {
    const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;
    parameters.push({ name, in: 'query', required: false, schema: json });
  }
  const success = spec.success.schema
    ? {
        description: spec.success.description,
        content: {
          'application/json': {
            schema: ref(spec.success.schema),
            ...(spec.success.example === undefined ? {} : { example: spec.success.example }),
          },
        },
      }
    : { description: spec.success.description };
  const statuses = [...new Set([...spec.problems, 401, 403, 429, 500] as const)].sort((a, b) => a - b);
  return {
    operationId: lowerFirst(route.operation ?? route.handler ?? route.id),
    summary: spec.summary,
    description: `${route.description ?? spec.summary}.\n\n${whoMayCall(route)}`,
    tags: [tagOf(route)],
    security: securityOf(route),
    ...(parameters.length > 0
      ? { parameters: parameters.map(({ schema, ...p }) => ({ ...p, schema: stripDialect(schema) })) }
      : {}),
    ...(spec.request
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref(spec.request.schema), example: spec.request.example },
            },
          },
        }
      : {}),
    responses: {
      [spec.success.status]: success,
      ...Object.fromEntries(
        statuses.map((status) => [status, problemResponse(PROBLEM_DESCRIPTIONS[status])]),
      ),
    },
  };
}

const lowerFirst = (name: string) => `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
const tagOf = (route: CatalogRoute) =>
  route.path.startsWith('/v1/api-keys')
    ? 'API keys'
    : route.path.startsWith('/v1/audit-events')
      ? 'Audit log'
      : route.path.startsWith('/v1/scopes')
        ? 'Scopes'
        : 'Settings';

function stripDialect(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $schema: _dialect, ...rest } = schema as JsonObject;
  return rest;
}

/** The OpenAPI 3.1 document of every management route in `catalog`. */
export function buildOpenApiDocument(catalog: RouteCatalog): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of catalog.routes) {
    if (route.kind !== 'management') continue;
    if (route.handler === undefined) throw new Error(`management route ${route.id} names no handler`);
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: operation(route, OPERATIONS[route.handler]),
    };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'keygate management API',
      version: API_DOCUMENT_VERSION,
      summary:
        'Create, list, rename, rotate, disable and revoke your company’s API keys, and read their audit log.',
      description: [
        'Manage API keys for your company. Root admins call it with the ID token of the deployment’s',
        'identity provider; API keys holding `apikeys:read` or `apikeys:*` may call it too, within their',
        'own scopes. Errors are RFC 9457 problem details (`application/problem+json`).',
      ].join(' '),
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This deployment' }],
    tags: [
      { name: 'API keys', description: 'Keys of your company.' },
      { name: 'Audit log', description: 'Every change to keys and settings, and every refused attempt.' },
      { name: 'Scopes', description: 'What keys may be granted.' },
      { name: 'Settings', description: 'Company settings (root admins).' },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        rootAdmin: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A root admin’s ID token from the deployment’s identity provider (Cognito or OIDC).',
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key as \`Authorization: Bearer wsk-v1-…\`. ${unauthorizedHint()}`,
        },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'An API key in the `X-API-Key` header (send one credential, not both).',
        },
      },
    },
  };
}

/** The 401 the gateway answers with, quoted so the document says what clients will see. */
function unauthorizedHint(): string {
  return `Without valid credentials: 401 \`${JSON.parse(GATEWAY_RESPONSES.UNAUTHORIZED.template.replace('$context.requestId', '…')).detail}\``;
}
