import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, CALLER_HEADERS } from '../../infra/constructs/keygate-api.js';
import {
  GATEWAY_RESPONSES,
  PROBLEM_CONTENT_TYPE,
} from '../../shared/adapters/apigateway/gateway-responses.js';
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

  it('has every catalog route exactly once, at its gateway path, and nothing else but the catch-all', () => {
    const expected = new Set(CATALOG.routes.map((route) => `${route.method} ${CATALOG.gatewayPath(route)}`));
    expect(expected.size).toBe(CATALOG.routes.length);
    for (const key of expected) expect(methods.get(key), key).toHaveLength(1);
    const extra = [...methods.keys()].filter((key) => !expected.has(key)).sort();
    expect(extra).toEqual(['ANY /', 'ANY /{proxy+}']);
    expect(methods.get('ANY /')).toHaveLength(1);
    expect(methods.get('ANY /{proxy+}')).toHaveLength(1);
  });

  it('puts every method, the catch-all included, behind the keygate authorizer: no route is public', () => {
    const all = [...methods.values()].flat();
    expect(all).toHaveLength(CATALOG.routes.length + 2);
    for (const method of all) {
      expect(method.AuthorizationType).toBe('CUSTOM');
      expect(method.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it('declares the path parameters of each route as required', () => {
    for (const route of CATALOG.routes) {
      const path = CATALOG.gatewayPath(route);
      const [method] = methods.get(`${route.method} ${path}`) ?? [];
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => `method.request.path.${match[1]}`);
      expect(Object.keys(method?.RequestParameters ?? {}).sort(), route.id).toEqual(names.sort());
    }
  });

  it('sends each management route to its own Lambda, and every protected route to the echo Lambda', () => {
    for (const route of CATALOG.routes) {
      const [method] = methods.get(`${route.method} ${CATALOG.gatewayPath(route)}`) ?? [];
      expect(method?.Integration?.Type, route.id).toBe('AWS_PROXY');
      const target = route.kind === 'management' ? (route.handler as string) : 'echo';
      expect(integrationTarget(method as MethodJson), route.id).toContain(
        `"${synth.functionId(target as never)}","Arn"`,
      );
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
      if (type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX') expect(props).not.toHaveProperty('StatusCode');
      else expect(props.StatusCode).toBe(String(spec.statusCode));
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

  it('proxies a namespace to its HTTP base URL, keeping the documented path and passing the caller', () => {
    const [list] = methods.get('GET /v2/conversations/channels') ?? [];
    expect(list?.Integration).toMatchObject({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'GET',
      Uri: 'https://api.acme.example/cloud/v2/conversations/channels/',
    });
    const [send] = methods.get('POST /v2/conversations/channels/{channelId}/messages') ?? [];
    expect(send?.Integration?.Uri).toBe(
      'https://api.acme.example/cloud/v2/conversations/channels/{channelId}/messages/',
    );
    expect(send?.Integration?.RequestParameters).toEqual({
      'integration.request.path.channelId': 'method.request.path.channelId',
      ...Object.fromEntries(
        Object.entries(CALLER_HEADERS).map(([header, field]) => [
          `integration.request.header.${header}`,
          `context.authorizer.${field}`,
        ]),
      ),
    });
  });

  it('sends a group to its Lambda and leaves unconfigured namespaces on echo', () => {
    for (const route of CATALOG.routes) {
      const [method] = methods.get(`${route.method} ${CATALOG.gatewayPath(route)}`) ?? [];
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

  it('caches by Authorization and source IP when a TTL is configured', () => {
    synth.appTemplate.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource: 'method.request.header.Authorization,context.identity.sourceIp',
    });
    synth.appTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AUTHORIZER_CACHE_TTL_SECONDS: '300' }) },
    });
  });
});
