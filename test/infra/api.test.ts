import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS } from '../../infra/constructs/keygate-api.js';
import {
  CREDENTIAL_HEADERS,
  CREDENTIAL_PLACEHOLDER,
} from '../../shared/adapters/apigateway/backend-headers.js';
import {
  GATEWAY_RESPONSES,
  PROBLEM_CONTENT_TYPE,
} from '../../shared/adapters/apigateway/gateway-responses.js';
import type { CatalogRoute } from '../../shared/domain/catalog/route-catalog.js';
import { CATALOG } from '../support/catalog.js';
import {
  apiResourcePaths,
  type CfnJson,
  type CfnResourceJson,
  parentId,
  resourcesOf,
  type SynthesizedKeygate,
  stringsIn,
  synthKeygate,
} from './synth-keygate.js';

interface MethodJson {
  HttpMethod: string;
  ResourceId: unknown;
  AuthorizationType?: string;
  AuthorizerId?: { Ref: string };
  RequestParameters?: Record<string, boolean>;
  Integration?: {
    Type: string;
    Uri?: unknown;
    IntegrationHttpMethod?: string;
    RequestParameters?: Record<string, string>;
  };
}

/** Every method of the API as `METHOD /full/path` with its properties. */
function methodsByRoute(synth: SynthesizedKeygate): Map<string, MethodJson[]> {
  const paths = apiResourcePaths(synth.appTemplate);
  const byRoute = new Map<string, MethodJson[]>();
  for (const method of Object.values(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::Method'))) {
    const props = method.Properties as unknown as MethodJson;
    const resource = parentId(props.ResourceId);
    const key = `${props.HttpMethod} ${resource === undefined ? '/' : paths.get(resource)}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), props]);
  }
  return byRoute;
}

const integrationTarget = (method: MethodJson) => JSON.stringify(method.Integration?.Uri);

/**
 * The method API Gateway would run for a request, from the template alone: at each resource a
 * literal child beats `{param}`, which beats `{proxy+}` (one or more segments); at the end the
 * method itself, else ANY. Backtracks as API Gateway does to a greedy ancestor.
 */
function resolveRequest(
  methods: Map<string, MethodJson[]>,
  method: string,
  path: string,
): { resource: string; method: MethodJson } | undefined {
  const children = new Map<string, Set<string>>();
  for (const key of methods.keys()) {
    const resource = key.slice(key.indexOf(' ') + 1);
    const parts = resource.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join('/')}`;
      children.set(parent, (children.get(parent) ?? new Set()).add(parts[i] as string));
    }
  }
  const at = (resource: string) =>
    methods.get(`${method} ${resource}`)?.[0] ?? methods.get(`ANY ${resource}`)?.[0];
  const join = (parent: string, part: string) => (parent === '/' ? `/${part}` : `${parent}/${part}`);
  const walk = (resource: string, rest: string[]): { resource: string; method: MethodJson } | undefined => {
    if (rest.length === 0) {
      const found = at(resource);
      return found ? { resource, method: found } : undefined;
    }
    const [head, ...tail] = rest as [string, ...string[]];
    const kids = [...(children.get(resource) ?? [])];
    const literal = kids.find((kid) => kid === head);
    const variable = kids.find((kid) => kid.startsWith('{') && !kid.endsWith('+}'));
    const greedy = kids.find((kid) => kid.endsWith('+}'));
    for (const kid of [literal, variable]) {
      if (kid === undefined) continue;
      const found = walk(join(resource, kid), tail);
      if (found) return found;
    }
    if (greedy !== undefined) {
      const found = at(join(resource, greedy));
      if (found) return { resource: join(resource, greedy), method: found };
    }
    return undefined;
  };
  return walk('/', path.split('/').filter(Boolean));
}

/** A request path for a route: each parameter filled with a sample value. */
const samplePath = (route: CatalogRoute) => route.path.replace(/\{[^}]+\}/g, 'p-1');

describe('the REST API built from the route catalog (default config)', () => {
  let synth: SynthesizedKeygate;
  let methods: Map<string, MethodJson[]>;
  let authorizerId: string;

  beforeAll(() => {
    synth = synthKeygate();
    methods = methodsByRoute(synth);
    const authorizers = Object.keys(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::Authorizer'));
    expect(authorizers).toHaveLength(1);
    authorizerId = authorizers[0] as string;
  });

  it('gives each management route its own method (and a HEAD beside each GET) and the company routes shared greedy proxies', () => {
    const management = CATALOG.routes.filter((route) => route.kind === 'management');
    for (const route of management) {
      expect(methods.get(`${route.method} ${CATALOG.gatewayPath(route)}`), route.id).toHaveLength(1);
    }
    const proxies = [...methods.keys()].filter((key) => key.endsWith('{proxy+}')).sort();
    // Echo serves every namespace of the demo: the shipped routes' top-level prefixes, one proxy each.
    expect(proxies).toEqual(['ANY /api/{proxy+}', 'ANY /v2/{proxy+}', 'ANY /{proxy+}']);
    // Nothing else: the management methods, their HEADs, the two proxies and the catch-all (`/` and `/{proxy+}`).
    const heads = management.filter((route) => route.method === 'GET').length;
    expect(heads).toBeGreaterThanOrEqual(5);
    expect([...methods.values()].flat()).toHaveLength(management.length + heads + 2 + 2);
  });

  it('answers HEAD on every management GET route as API Gateway methods of its own: same function, authorizer and parameters', () => {
    for (const route of CATALOG.routes.filter((r) => r.kind === 'management' && r.method === 'GET')) {
      const path = CATALOG.gatewayPath(route);
      const [get] = methods.get(`GET ${path}`) ?? [];
      const [head] = methods.get(`HEAD ${path}`) ?? [];
      expect(head, `HEAD ${path}`).toBeDefined();
      expect(head?.Integration, route.id).toEqual(get?.Integration);
      expect(head?.AuthorizerId, route.id).toEqual(get?.AuthorizerId);
      expect(head?.RequestParameters, route.id).toEqual(get?.RequestParameters);
    }
    // The function may be invoked by its HEAD method too (a permission per method, as for the others).
    const sourceArns = Object.values(resourcesOf(synth.appTemplate, 'AWS::Lambda::Permission')).map((p) =>
      JSON.stringify(p.Properties?.SourceArn),
    );
    expect(sourceArns.some((arn) => arn.includes('/HEAD/v1/api-keys'))).toBe(true);
  });

  it('puts every method, the catch-all included, behind the keygate authorizer: no route is public', () => {
    const all = [...methods.values()].flat();
    expect(all.length).toBeGreaterThan(10);
    for (const method of all) {
      expect(method.AuthorizationType).toBe('CUSTOM');
      expect(method.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it('declares the path parameters of each method as required', () => {
    for (const [key, [method]] of methods) {
      const path = key.slice(key.indexOf(' ') + 1);
      const names = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => `method.request.path.${match[1]}`);
      if (key.startsWith('ANY /{proxy+}') || key === 'ANY /') continue;
      expect(Object.keys(method?.RequestParameters ?? {}).sort(), key).toEqual(names.sort());
    }
  });

  it('routes every catalog route (and HEAD wherever GET is) to its Lambda: management to its own, the rest to echo', () => {
    for (const route of CATALOG.routes) {
      const requests = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      for (const method of requests) {
        const resolved = resolveRequest(methods, method, samplePath(route));
        expect(resolved?.method.Integration?.Type, `${method} ${route.path}`).toBe('AWS_PROXY');
        const target = route.kind === 'management' ? (route.handler as string) : 'echo';
        expect(integrationTarget(resolved?.method as MethodJson), route.id).toContain(
          `"${synth.functionId(target as never)}","Arn"`,
        );
      }
    }
  });

  it('answers the catch-all with a MOCK that could only say 404 if the authorizer ever let it through', () => {
    for (const key of ['ANY /', 'ANY /{proxy+}']) {
      const [method] = methods.get(key) ?? [];
      expect(method?.Integration?.Type).toBe('MOCK');
    }
  });

  it('uses a REQUEST authorizer without result caching and without identity sources by default', () => {
    synth.appTemplate.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
    });
    const authorizer = resourcesOf(synth.appTemplate, 'AWS::ApiGateway::Authorizer')[
      authorizerId
    ] as CfnResourceJson;
    // With identity sources API Gateway would answer 401 itself unless BOTH headers were present.
    expect(authorizer.Properties).not.toHaveProperty('IdentitySource');
    expect(JSON.stringify(authorizer.Properties?.AuthorizerUri)).toContain(synth.functionId('authorizer'));
  });

  it('installs every shared gateway response as problem+json with the shared body', () => {
    const responses = Object.values(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::GatewayResponse'));
    expect(responses).toHaveLength(Object.keys(GATEWAY_RESPONSES).length);
    for (const [type, spec] of Object.entries(GATEWAY_RESPONSES)) {
      const found = responses.filter((response) => response.Properties?.ResponseType === type);
      expect(found, type).toHaveLength(1);
      const props = found[0]?.Properties as Record<string, unknown>;
      expect(props.ResponseTemplates).toEqual({ 'application/json': spec.template });
      expect(props.ResponseParameters).toEqual({
        'gatewayresponse.header.Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
      });
      expect(props.StatusCode, type).toBe(String(spec.statusCode));
    }
  });

  it('answers every gateway response with a whole problem: its fixed status stated, and nothing the client sent', () => {
    // What API Gateway substitutes, unescaped (gateway response templates are not VTL): its request id,
    // the method it matched, the reason the authorizer made printable, its own message as a JSON string.
    // `$context.path` and the like are absent on purpose: a `"` or `\` the client sent would break the JSON.
    const substituted: Record<string, string> = {
      '$context.requestId': '0b5c2f9e-6a1d-4c1e-9a57-3f1e2d4c5b6a',
      '$context.httpMethod': 'DELETE',
      '$context.authorizer.reason': 'the key lacks a scope covering it',
      '$context.error.messageString': '"Missing required request parameters: [id]"',
    };
    const responses = Object.values(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::GatewayResponse'));
    for (const response of responses) {
      const props = response.Properties as {
        ResponseType: string;
        StatusCode?: string;
        ResponseTemplates: Record<string, string>;
      };
      const template = props.ResponseTemplates['application/json'] ?? '';
      for (const variable of template.match(/\$[A-Za-z.]+/g) ?? []) {
        expect(Object.keys(substituted), `${props.ResponseType} uses ${variable}`).toContain(variable);
      }
      const body = template.replace(/\$[A-Za-z.]+/g, (variable) => substituted[variable] ?? '');
      expect(props.StatusCode, props.ResponseType).toMatch(/^[45]\d\d$/);
      expect(JSON.parse(body), props.ResponseType).toEqual({
        type: expect.stringMatching(/^https:\/\/keygate\.dev\/problems\/[a-z-]+$/),
        title: expect.any(String),
        status: Number(props.StatusCode),
        detail: expect.stringMatching(/\S/),
        requestId: substituted['$context.requestId'],
      });
    }
  });

  it('logs access as JSON without headers or bodies, traces, throttles and logs errors only', () => {
    const [stage] = Object.values(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::Stage'));
    const props = stage?.Properties as CfnJson;
    expect(JSON.parse(props.AccessLogSetting.Format)).toEqual(ACCESS_LOG_FIELDS);
    expect(props.AccessLogSetting.Format).not.toMatch(/header|requestOverride|input\.body|\$input/i);
    expect(JSON.stringify(props.AccessLogSetting.DestinationArn)).toContain('AccessLogs');
    expect(props.TracingEnabled).toBe(true);
    expect(props.StageName).toBe('prod');
    expect(props.MethodSettings).toEqual([
      {
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
        ThrottlingRateLimit: 500,
        ThrottlingBurstLimit: 1000,
      },
    ]);
    synth.appTemplate.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('grants API Gateway one API-scoped invoke permission on the echo Lambda, not one per route', () => {
    const permissions = Object.values(resourcesOf(synth.appTemplate, 'AWS::Lambda::Permission')).map(
      (permission) => permission.Properties as Record<string, unknown>,
    );
    const onEcho = permissions.filter((p) =>
      JSON.stringify(p.FunctionName).includes(synth.functionId('echo')),
    );
    expect(onEcho).toHaveLength(1);
    for (const permission of permissions) {
      expect(permission.Principal).not.toBe('*');
      expect(permission).toHaveProperty('SourceArn');
    }
  });
});

describe('the REST API with configured integrations and authorizer caching', () => {
  const lambdaArn = 'arn:aws:lambda:eu-west-1:123456789012:function:pbx-backend';
  let synth: SynthesizedKeygate;
  let methods: Map<string, MethodJson[]>;

  beforeAll(() => {
    synth = synthKeygate({
      integrations: {
        messaging: { type: 'http', baseUrl: 'https://api.acme.example/cloud' },
        pbx: { type: 'lambda', functionArn: lambdaArn },
      },
      authorizerCacheTtlSeconds: 300,
    });
    methods = methodsByRoute(synth);
  });

  it('proxies a namespace to its HTTP base URL + the request path, passing the caller and never the credential', () => {
    const [proxy] = methods.get('ANY /v2/conversations/{proxy+}') ?? [];
    expect(proxy?.Integration).toMatchObject({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'ANY',
      Uri: 'https://api.acme.example/cloud/v2/conversations/{proxy}',
    });
    for (const route of CATALOG.routes.filter((r) => r.namespace === 'messaging')) {
      expect(resolveRequest(methods, route.method, samplePath(route))?.method, route.id).toBe(proxy);
    }
    // Spelled out, not rebuilt from the constants the stack uses: this is the contract backends read.
    expect(proxy?.Integration?.RequestParameters).toEqual({
      'integration.request.path.proxy': 'method.request.path.proxy',
      'integration.request.header.X-Keygate-Company-Id': 'context.authorizer.companyId',
      'integration.request.header.X-Keygate-Key-Id': 'context.authorizer.keyId',
      'integration.request.header.X-Keygate-Scopes': 'context.authorizer.scopes',
      'integration.request.header.Authorization': "'removed-by-keygate'",
      'integration.request.header.X-API-Key': "'removed-by-keygate'",
    });
  });

  it('never forwards a credential to any HTTP backend: every HTTP_PROXY method overwrites both headers', () => {
    const http = [...methods.values()].flat().filter((method) => method.Integration?.Type === 'HTTP_PROXY');
    expect(http.length).toBeGreaterThan(0);
    for (const method of http) {
      for (const header of CREDENTIAL_HEADERS) {
        expect(method.Integration?.RequestParameters?.[`integration.request.header.${header}`]).toBe(
          `'${CREDENTIAL_PLACEHOLDER}'`,
        );
      }
      for (const value of Object.values(method.Integration?.RequestParameters ?? {})) {
        expect(value).not.toMatch(/method\.request\.header\.(authorization|x-api-key)/i);
      }
    }
  });

  it('sends a group to its Lambda and leaves unconfigured namespaces on echo (the demo catalog)', () => {
    for (const route of CATALOG.routes) {
      const method = resolveRequest(methods, route.method, samplePath(route))?.method;
      const target = integrationTarget(method as MethodJson);
      if (route.group === 'pbx') expect(target, route.id).toContain(lambdaArn);
      else if (route.namespace === 'users' || route.namespace === 'company') {
        expect(target, route.id).toContain(synth.functionId('echo'));
      }
    }
    const permissions = Object.values(resourcesOf(synth.appTemplate, 'AWS::Lambda::Permission'));
    expect(permissions.filter((p) => stringsIn(p.Properties?.FunctionName).includes(lambdaArn))).toHaveLength(
      1,
    );
  });

  it('caches by Authorization, source IP, method and request path when a TTL is configured (a decision never serves another route)', () => {
    synth.appTemplate.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource:
        'method.request.header.Authorization,context.identity.sourceIp,context.httpMethod,context.path',
    });
    synth.appTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AUTHORIZER_CACHE_TTL_SECONDS: '300' }) },
    });
  });
});
