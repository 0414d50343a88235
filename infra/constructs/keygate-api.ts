import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CALLER_HEADERS,
  CREDENTIAL_HEADERS,
  CREDENTIAL_PLACEHOLDER,
} from '../../shared/adapters/apigateway/backend-headers.js';
import {
  GATEWAY_RESPONSES,
  type GatewayResponseType,
  PROBLEM_CONTENT_TYPE,
} from '../../shared/adapters/apigateway/gateway-responses.js';
import { backendKey } from '../../shared/adapters/config/backends.js';
import type { BackendConfig, KeygateConfig } from '../../shared/adapters/config/keygate-config.js';
import type {
  CatalogRoute,
  ManagementHandler,
  RouteCatalog,
} from '../../shared/domain/catalog/route-catalog.js';
import { type PlannedMethod, planProxies } from '../proxy-plan.js';

export interface KeygateApiProps {
  readonly config: KeygateConfig;
  /** The catalog the API serves: management routes get a method each, the others share proxies. */
  readonly catalog: RouteCatalog;
  /** The backend of each protected route (the deployment's `backendOf`). */
  readonly backendOf: (route: CatalogRoute) => BackendConfig;
  readonly logRetention: logs.RetentionDays;
  /** The Lambda REQUEST authorizer in front of every method. */
  readonly authorizer: lambda.IFunction;
  /** The Lambda behind each management route (`route.handler`). */
  readonly management: Readonly<Record<ManagementHandler, lambda.IFunction>>;
  /** The echo Lambda, created only if some protected route's backend is echo. */
  readonly echo: () => lambda.IFunction;
}

/** The access log line: who, what, the authorizer's verdict. Never headers, query strings or bodies. */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  resource: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatencyMs: '$context.authorizer.latency',
  authorizerError: '$context.authorizer.error',
  principalType: '$context.authorizer.principalType',
  companyId: '$context.authorizer.companyId',
  keyId: '$context.authorizer.keyId',
  denyReason: '$context.authorizer.reason',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
};

const NOT_FOUND_PROBLEM =
  '{"type":"https://keygate.dev/problems/not-found","title":"Not Found","status":404,"detail":"No route $context.httpMethod $context.resourcePath.","requestId":"$context.requestId"}';

const pathParameterNames = (resourcePath: string): string[] =>
  [...resourcePath.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1] as string);

/**
 * The REST API, built from the route catalog (`proxy-plan.ts`): each management route its own method,
 * the company's routes one greedy proxy per backend and path prefix, so its size does not grow with
 * the catalog; everything behind the keygate REQUEST authorizer, which matches the real request path
 * against the catalog; everything else (`/` and `/{proxy+}`) behind the same authorizer, which
 * denies it with a reason. Gateway responses are the shared problem+json bodies local mode serves too.
 */
export class KeygateApi extends Construct {
  readonly api: apigw.RestApi;
  readonly authorizer: apigw.RequestAuthorizer;
  readonly accessLogs: logs.LogGroup;
  /** `API-Gateway-Execution-Logs_<restApiId>/<stage>`: the group API Gateway writes execution logs to. */
  readonly executionLogs: logs.LogGroup;
  /** The certificate the stage presents to HTTP backends (config `backendClientCertificate`). */
  readonly clientCertificate?: apigw.CfnClientCertificate;
  private readonly integrations = new Map<string, apigw.Integration>();

  constructor(scope: Construct, id: string, props: KeygateApiProps) {
    super(scope, id);
    const { config } = props;
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.authorizer = new apigw.RequestAuthorizer(this, 'KeyAuthorizer', {
      authorizerName: 'keygate',
      handler: props.authorizer,
      resultsCacheTtl: Duration.seconds(config.authorizerCacheTtlSeconds),
      identitySources: identitySources(config.authorizerCacheTtlSeconds),
    });
    if (config.authorizerCacheTtlSeconds === 0) {
      // API Gateway answers 401 without calling the authorizer when ANY listed identity source is
      // missing, so listing both headers would reject `Authorization` alone and `X-API-Key` alone.
      // Without caching the identity sources are optional: list none, and the authorizer sees every
      // request and decides itself (401 when both headers are missing).
      (this.authorizer.node.defaultChild as apigw.CfnAuthorizer).addPropertyDeletionOverride(
        'IdentitySource',
      );
    }

    if (config.backendClientCertificate) {
      // AWS-native proof of origin: API Gateway signs its TLS connection to HTTP backends with this
      // certificate, whose public half the backend reads with `aws apigateway get-client-certificate`.
      this.clientCertificate = new apigw.CfnClientCertificate(this, 'BackendCertificate', {
        description: `keygate-${config.stage}: presented to HTTP backends, which may refuse requests without it`,
      });
    }

    const methodAuth: apigw.MethodOptions = {
      authorizer: this.authorizer,
      authorizationType: apigw.AuthorizationType.CUSTOM,
    };
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `keygate-${config.stage}`,
      description: 'keygate: company APIs behind scoped, expiring API keys',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      // The role is an account-wide setting other APIs may rely on: keep it when this stack goes.
      ...(config.apiGatewayCloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      defaultMethodOptions: methodAuth,
      deployOptions: {
        stageName: config.stage,
        ...(this.clientCertificate ? { clientCertificateId: this.clientCertificate.ref } : {}),
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        // ERROR level only, and never request/response data: the Authorization header holds a secret.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: config.throttling.rateLimit,
        throttlingBurstLimit: config.throttling.burstLimit,
      },
    });
    // API Gateway creates the execution log group itself, on its first write, without retention and
    // outside the stack: made here under the very name it uses, it expires like the other log groups
    // and goes with the stack. The stage waits for it, so API Gateway never creates it first.
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.stage}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(this.executionLogs);
    if (config.apiGatewayCloudWatchRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level API Gateway logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the policy AWS maintains for exactly this role; API Gateway names the log groups it writes itself.',
      });
    }
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers present API keys, which a Cognito authorizer cannot verify; the Lambda REQUEST authorizer verifies keys, and Cognito (or OIDC) ID tokens of root admins with aws-jwt-verify.',
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Path parameters are validated by the gateway (validator "path-parameters"); bodies by the functions, which answer RFC 9457 problems naming each bad field. Gateway body validation would need JSON Schema models duplicating those zod schemas and answers a bare 400.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is an optional, separately priced layer; keygate rejects malformed keys without a database read and throttles every method. Operators can associate a web ACL with the stage.',
      },
    );

    const validator = new apigw.RequestValidator(this, 'PathParameters', {
      restApi: this.api,
      requestValidatorName: 'path-parameters',
      // Bodies are validated by the functions, which answer RFC 9457 problems with field errors.
      validateRequestParameters: true,
      validateRequestBody: false,
    });

    const plan = planProxies(props.catalog, (route) => backendKey(props.backendOf(route)));
    for (const planned of plan.methods) this.addPlanned(planned, props, methodAuth, validator);

    // Everything outside the catalog still meets the authorizer (which denies it: 401 without a valid
    // credential, 403 with the reason otherwise). The mock behind it answers only if that ever changed.
    const notInCatalog = new apigw.MockIntegration({
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestTemplates: { 'application/json': '{"statusCode": 404}' },
      integrationResponses: [
        {
          statusCode: '404',
          responseTemplates: { 'application/json': NOT_FOUND_PROBLEM },
          responseParameters: { 'method.response.header.Content-Type': `'${PROBLEM_CONTENT_TYPE}'` },
        },
      ],
    });
    const notInCatalogOptions: apigw.MethodOptions = {
      ...methodAuth,
      methodResponses: [
        { statusCode: '404', responseParameters: { 'method.response.header.Content-Type': true } },
      ],
    };
    if (this.api.root.node.tryFindChild('ANY') === undefined) {
      this.api.root.addMethod('ANY', notInCatalog, notInCatalogOptions);
    }
    // API Gateway allows one variable child per resource: a catalog with `/{x}/…` at the root has its own.
    if (plan.rootCatchAll) {
      this.api.root.addResource('{proxy+}').addMethod('ANY', notInCatalog, notInCatalogOptions);
    }

    for (const [type, spec] of Object.entries(GATEWAY_RESPONSES) as [
      GatewayResponseType,
      (typeof GATEWAY_RESPONSES)[GatewayResponseType],
    ][]) {
      this.api.addGatewayResponse(`Response${type}`, {
        type: apigw.ResponseType.of(type),
        // Fixed for DEFAULT_4XX/5XX too: their templates cannot know the status, so their body states this one.
        statusCode: String(spec.statusCode),
        responseHeaders: { 'Content-Type': `'${PROBLEM_CONTENT_TYPE}'` },
        templates: { 'application/json': spec.template },
      });
    }
  }

  /** One planned method: a management route's Lambda, or a proxy to a backend. */
  private addPlanned(
    planned: PlannedMethod,
    props: KeygateApiProps,
    methodAuth: apigw.MethodOptions,
    validator: apigw.RequestValidator,
  ): void {
    const resource =
      planned.resourcePath === '/' ? this.api.root : this.api.root.resourceForPath(planned.resourcePath);
    const parameters = pathParameterNames(planned.resourcePath);
    const options: apigw.MethodOptions = {
      ...methodAuth,
      requestValidator: validator,
      requestParameters: Object.fromEntries(parameters.map((name) => [`method.request.path.${name}`, true])),
    };
    if (planned.kind === 'management') {
      const { route } = planned;
      if (route.handler === undefined) throw new Error(`management route ${route.id} names no handler`);
      const handler = props.management[route.handler];
      // Permission per method (not API-wide): a management function can be invoked by its routes only.
      const integration = this.memo(
        `management:${route.handler}`,
        () => new apigw.LambdaIntegration(handler, { allowTestInvoke: false }),
      );
      for (const method of planned.methods) {
        resource.addMethod(method, integration, {
          ...options,
          // The route's operation names its own method; HEAD is the same operation without a body.
          ...(route.operation && method === route.method ? { operationName: route.operation } : {}),
        });
      }
      return;
    }
    const backend = this.backendByKey(planned.backend, props);
    for (const method of planned.methods === 'ANY' ? ['ANY'] : planned.methods) {
      const integration =
        backend.type === 'http'
          ? httpIntegration(planned, method, backend.baseUrl)
          : this.memo(planned.backend, () =>
              backend.type === 'echo'
                ? // One API-scoped permission instead of one per method: many statements would
                  // overflow the function's 20 KB resource policy.
                  new apigw.LambdaIntegration(props.echo(), { scopePermissionToMethod: false })
                : lambdaIntegration(this, this.integrations.size, backend),
            );
      resource.addMethod(method, integration, options);
    }
  }

  /** The backend config behind a plan's backend key. */
  private backendByKey(key: string, props: KeygateApiProps): BackendConfig {
    for (const route of props.catalog.routes) {
      if (route.kind !== 'protected') continue;
      const backend = props.backendOf(route);
      if (backendKey(backend) === key) return backend;
    }
    throw new Error(`no backend ${key} in the catalog`);
  }

  private memo(key: string, make: () => apigw.Integration): apigw.Integration {
    let integration = this.integrations.get(key);
    if (integration === undefined) {
      integration = make();
      this.integrations.set(key, integration);
    }
    return integration;
  }
}

/** See `KeygateConfig.authorizerCacheTtlSeconds` and README "Deploy to AWS" for the trade-off. */
function identitySources(cacheTtlSeconds: number): string[] {
  if (cacheTtlSeconds === 0) return [];
  // The cache key. API Gateway requires every listed source, so with caching only `Authorization`
  // works (X-API-Key alone gets 401); the source IP keeps IP allow-lists exact for cached decisions.
  // The method and the request path make a cached decision serve only the request it was made for:
  // the policy's ARNs match a path parameter with `*`, which in an execute-api ARN also matches `/`,
  // so a decision cached for `GET /users/1` would otherwise allow `GET /users/1/secrets` (another
  // route, other scopes) and paths outside the catalog, without the authorizer ever seeing them.
  return [
    apigw.IdentitySource.header('Authorization'),
    apigw.IdentitySource.context('identity.sourceIp'),
    apigw.IdentitySource.context('httpMethod'),
    apigw.IdentitySource.context('path'),
  ];
}

function lambdaIntegration(
  scope: Construct,
  index: number,
  backend: Extract<BackendConfig, { type: 'lambda' }>,
): apigw.Integration {
  const fn = lambda.Function.fromFunctionAttributes(scope, `Backend${index}`, {
    functionArn: backend.functionArn,
    // Same account and region (the stack refuses others, `lambdaBackendProblems`): lets it add the invoke permission.
    sameEnvironment: true,
  });
  return new apigw.LambdaIntegration(fn, { scopePermissionToMethod: false });
}

/**
 * HTTP proxy to `baseUrl` + the request path: the proxy's resource path with `{proxy+}` filled from
 * the request (its documented trailing slash kept where the route ends at the prefix itself), the
 * caller passed as `X-Keygate-*` headers from the authorizer context (a client's own values
 * overwritten) and each credential header overwritten with a fixed placeholder, since a REST API's
 * parameter mapping cannot remove a header (`backend-headers.ts`).
 */
function httpIntegration(
  planned: Extract<PlannedMethod, { kind: 'proxy' }>,
  method: string,
  baseUrl: string,
): apigw.Integration {
  const path = planned.resourcePath === '/' ? '' : planned.resourcePath.replace('{proxy+}', '{proxy}');
  const backendPath = planned.trailingSlash && !path.endsWith('}') ? `${path}/` : path;
  const parameters = pathParameterNames(planned.resourcePath);
  return new apigw.HttpIntegration(`${baseUrl}${backendPath || '/'}`, {
    httpMethod: method,
    proxy: true,
    options: {
      timeout: Duration.seconds(29),
      requestParameters: {
        ...Object.fromEntries(
          parameters.map((name) => [`integration.request.path.${name}`, `method.request.path.${name}`]),
        ),
        ...Object.fromEntries(
          Object.entries(CALLER_HEADERS).map(([header, field]) => [
            `integration.request.header.${header}`,
            `context.authorizer.${field}`,
          ]),
        ),
        ...Object.fromEntries(
          CREDENTIAL_HEADERS.map((header) => [
            `integration.request.header.${header}`,
            `'${CREDENTIAL_PLACEHOLDER}'`,
          ]),
        ),
      },
    },
  });
}
