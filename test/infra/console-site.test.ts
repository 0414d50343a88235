import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_HEADERS, consoleCsp, HSTS_MAX_AGE_SECONDS } from '../../console/security-headers.js';
import { CLOUDFRONT_NAME_LIMITS } from '../../infra/cloudfront/account-global-names.js';
import { managementPathPatterns } from '../../infra/cloudfront/management-paths.js';
import {
  DOCS_CSP,
  DOCS_PATH,
  docsAnswer,
  OPENAPI_PATH,
} from '../../shared/adapters/http/openapi/docs-site.js';
import { CATALOG } from '../support/catalog.js';
import { type CfnJson, render, resourcesOf, synthKeygate } from './synth-keygate.js';

/** A function's environment variables in the stateless template. */
function envOf(synth: ReturnType<typeof synthKeygate>, name: 'authorizer' | 'notifier'): CfnJson {
  const fn = resourcesOf(synth.appTemplate, 'AWS::Lambda::Function')[synth.functionId(name)];
  if (fn === undefined) throw new Error(`no ${name} function`);
  return (fn.Properties as CfnJson).Environment.Variables;
}

const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, T];
};

const OIDC = {
  type: 'oidc',
  issuer: 'https://login.acme.example',
  audience: 'keygate-cli',
  jwksUri: 'https://login.acme.example/jwks',
  companyClaim: 'company',
  groupsClaim: 'groups',
  rootAdminGroup: 'admins',
};

describe('the console origin (CloudFront + S3) with Cognito', () => {
  const synth = synthKeygate({ consoleUrl: undefined });
  const { appTemplate: template, dataTemplate } = synth;
  const [bucketId, bucket] = only(resourcesOf(template, 'AWS::S3::Bucket'));
  const [distributionId, distribution] = only(resourcesOf(template, 'AWS::CloudFront::Distribution'));
  const config = (distribution.Properties as CfnJson).DistributionConfig;
  const behaviours: CfnJson[] = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
  const byPattern = new Map<string, CfnJson>(config.CacheBehaviors.map((b: CfnJson) => [b.PathPattern, b]));
  const origins = new Map<string, CfnJson>(config.Origins.map((o: CfnJson) => [o.Id, o]));
  const policies = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy');
  const policyOf = (behaviour: CfnJson): CfnJson =>
    (policies[behaviour.ResponseHeadersPolicyId.Ref] as CfnJson).Properties.ResponseHeadersPolicyConfig;
  // The managed login's base URL, read from the data stack's SSM link (never an export).
  const loginBaseUrl = /^<Ref:SsmParameterValuekeygateprodmanagedloginurl[0-9A-F]+Parameter>/;

  it('keeps the bucket private: all public access blocked, plain HTTP refused, readable only by this distribution', () => {
    expect((bucket.Properties as CfnJson).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const [, policy] = only(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    const statements: CfnJson[] = (policy.Properties as CfnJson).PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const reads = statements.filter(
      (s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:GetObject'),
    );
    expect(reads).toHaveLength(1);
    expect(reads[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(render(reads[0].Condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:<Ref:AWS::Partition>:cloudfront::<Ref:AWS::AccountId>:distribution/<Ref:${distributionId}>`,
    );
    expect(render(reads[0].Resource)).toBe(`<${bucketId}.Arn>/*`);
    // Nothing is granted to everyone.
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      expect(statement.Principal).not.toEqual('*');
      expect(statement.Principal).not.toEqual({ AWS: '*' });
    }
  });

  it('reaches the bucket with origin access control (SigV4 on every request), not a legacy OAI', () => {
    const [oacId, oac] = only(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl'));
    expect((oac.Properties as CfnJson).OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(resourcesOf(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual({});
    const s3Origins = [...origins.values()].filter((o) => o.S3OriginConfig !== undefined);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('serves HTTPS only: the site redirects plain HTTP, the API behaviours refuse it', () => {
    for (const behaviour of behaviours) {
      expect(['redirect-to-https', 'https-only']).toContain(behaviour.ViewerProtocolPolicy);
    }
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(byPattern.get('/console/*').ViewerProtocolPolicy).toBe('redirect-to-https');
    for (const origin of origins.values()) {
      if (origin.CustomOriginConfig) {
        expect(origin.CustomOriginConfig).toMatchObject({
          OriginProtocolPolicy: 'https-only',
          OriginSSLProtocols: ['TLSv1.2'],
        });
      }
    }
  });

  it('sends the console a strict CSP naming only its origin and the token endpoint, HSTS, nosniff, no framing, no referrer', () => {
    const policy = policyOf(byPattern.get('/console/*'));
    expect(policyOf(config.DefaultCacheBehavior)).toEqual(policy);
    const headers = policy.SecurityHeadersConfig;
    const csp = render(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const tokenEndpoint = csp.match(/connect-src 'self' (\S+);/)?.[1] as string;
    expect(tokenEndpoint).toMatch(new RegExp(`${loginBaseUrl.source}/oauth2/token$`));
    expect(csp).toBe(consoleCsp([tokenEndpoint]));
    const directives = Object.fromEntries(
      csp.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]),
    );
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toHaveLength(2);
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'blob:', 'https:']) {
      expect(Object.values(directives).flat()).not.toContain(loose);
    }
    expect(headers.ContentSecurityPolicy.Override).toBe(true);
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(policy.CustomHeadersConfig.Items).toEqual([
      {
        Header: 'Cross-Origin-Opener-Policy',
        Value: CONSOLE_HEADERS['cross-origin-opener-policy'],
        Override: true,
      },
      { Header: 'Permissions-Policy', Value: CONSOLE_HEADERS['permissions-policy'], Override: true },
    ]);
  });

  it('forwards the management routes, and only those, to API Gateway: uncached, every header but Host', () => {
    const patterns = managementPathPatterns(CATALOG);
    const forwarded = config.CacheBehaviors.filter(
      (b: CfnJson) => origins.get(b.TargetOriginId).CustomOriginConfig,
    );
    expect(forwarded.map((b: CfnJson) => b.PathPattern).sort()).toEqual([...patterns].sort());
    for (const behaviour of forwarded) {
      expect(behaviour).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        // The managed CachingDisabled and AllViewerExceptHostHeader policies.
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
      expect(behaviour.FunctionAssociations).toBeUndefined();
    }
    const apiOrigin = origins.get(forwarded[0].TargetOriginId);
    const [apiId] = only(resourcesOf(template, 'AWS::ApiGateway::RestApi'));
    expect(render(apiOrigin.DomainName)).toBe(
      `<Ref:${apiId}>.execute-api.<Ref:AWS::Region>.<Ref:AWS::URLSuffix>`,
    );
    expect(apiOrigin.OriginPath).toBe('/prod');
  });

  it('serves /docs and /v1/openapi.json from the bucket, with the docs CSP, through the router', () => {
    const [routerId, router] = only(resourcesOf(template, 'AWS::CloudFront::Function'));
    expect((router.Properties as CfnJson).FunctionCode).toBe(
      readFileSync(new URL('../../infra/cloudfront/site-router.js', import.meta.url), 'utf8'),
    );
    expect((router.Properties as CfnJson).FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    for (const pattern of [DOCS_PATH, `${DOCS_PATH}/*`, OPENAPI_PATH, '/console/*']) {
      const behaviour = byPattern.get(pattern);
      expect(origins.get(behaviour.TargetOriginId).S3OriginConfig, pattern).toBeDefined();
      expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(behaviour.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [routerId, 'FunctionARN'] } },
      ]);
    }
    expect(config.DefaultCacheBehavior.FunctionAssociations[0].FunctionARN).toEqual({
      'Fn::GetAtt': [routerId, 'FunctionARN'],
    });
    const docs = policyOf(byPattern.get(DOCS_PATH)).SecurityHeadersConfig;
    expect(docs.ContentSecurityPolicy.ContentSecurityPolicy).toBe(DOCS_CSP);
    expect(docs.StrictTransportSecurity.AccessControlMaxAgeSec).toBe(HSTS_MAX_AGE_SECONDS);
    const openApi = policyOf(byPattern.get(OPENAPI_PATH));
    expect(openApi.CorsConfig).toMatchObject({
      AccessControlAllowCredentials: false,
      AccessControlAllowOrigins: { Items: ['*'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
    });
  });

  const deployments = Object.values(resourcesOf(template, 'Custom::CDKBucketDeployment')).map(
    (d) => d.Properties as CfnJson,
  );
  const deployment = (prefix: string) => {
    const found = deployments.filter((d) => d.DestinationBucketKeyPrefix === prefix);
    expect(found).toHaveLength(1);
    return found[0];
  };
  /** The staged directory of the n-th source of a deployment (assets are named by their hash). */
  const sourceDir = (d: CfnJson, index: number) => {
    const hash = (d.SourceObjectKeys[index] as string).replace(/\.zip$/, '');
    const dir = join(synth.app.outdir, `asset.${hash}`);
    expect(existsSync(dir), dir).toBe(true);
    return dir;
  };

  it('deploys the Vite build and a config.json written at deploy time, then invalidates the console', () => {
    const console = deployment('console/');
    expect(render(console.DestinationBucketName)).toBe(`<Ref:${bucketId}>`);
    expect(console.DistributionId).toEqual({ Ref: distributionId });
    expect(console.DistributionPaths).toEqual(['/console/*']);
    expect(console.Prune).toBe(true);
    expect(console.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    const build = readdirSync(sourceDir(console, 0));
    expect(build).toEqual(expect.arrayContaining(['index.html', 'assets']));
    expect(build).not.toContain('.built');
    const configFile = JSON.parse(readFileSync(join(sourceDir(console, 1), 'config.json'), 'utf8'));
    const markers = console.SourceMarkers[1] as Record<string, CfnJson>;
    const value = (text: string) =>
      text.replace(/<<marker:0xbaba:\d+>>/g, (marker) => render(markers[marker]));
    expect(Object.fromEntries(Object.entries(configFile).map(([k, v]) => [k, value(v as string)]))).toEqual({
      authorizationEndpoint: expect.stringMatching(new RegExp(`${loginBaseUrl.source}/oauth2/authorize$`)),
      tokenEndpoint: expect.stringMatching(new RegExp(`${loginBaseUrl.source}/oauth2/token$`)),
      logoutEndpoint: expect.stringMatching(new RegExp(`${loginBaseUrl.source}/logout$`)),
      clientId: expect.stringMatching(/^<Ref:ConsoleSignInClient[0-9A-F]+>$/),
      scope: 'openid email',
      apiBaseUrl: '',
    });
  });

  it('deploys exactly the docs local mode serves: the OpenAPI document, the Redoc page and its bundle', () => {
    const docs = deployment('docs/');
    expect(docs.DistributionPaths).toEqual([DOCS_PATH, `${DOCS_PATH}/*`, OPENAPI_PATH]);
    const files = new Map<string, string>();
    for (const index of docs.SourceObjectKeys.keys()) {
      const dir = sourceDir(docs, index);
      for (const name of readdirSync(dir)) files.set(name, readFileSync(join(dir, name), 'utf8'));
    }
    const body = (path: string) => docsAnswer(CATALOG, 'GET', path)?.body;
    expect(files.get('openapi.json')).toBe(body(OPENAPI_PATH));
    expect(files.get('index.html')).toBe(body(DOCS_PATH));
    expect(files.get('redoc.standalone.js')).toBe(body('/docs/redoc.standalone.js'));
    expect(files.get('redoc.standalone.js')).not.toContain('cdn.redoc.ly');
  });

  it('signs in with Cognito managed login: a public code-flow client whose one callback is the console', () => {
    const [, client] = only(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    const props = client.Properties as CfnJson;
    expect(props.GenerateSecret).toBe(false);
    // In the data stack's pool, named through its SSM link (never an export).
    expect(render(props.UserPoolId)).toMatch(
      /^<Ref:SsmParameterValuekeygateproduserpoolid[0-9A-F]+Parameter>$/,
    );
    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(props.AllowedOAuthScopes).toEqual(['openid', 'email']);
    expect(props.SupportedIdentityProviders).toEqual(['COGNITO']);
    const consoleUrl = `https://<${distributionId}.DomainName>/console/`;
    expect(props.CallbackURLs.map(render)).toEqual([consoleUrl]);
    expect(props.LogoutURLs.map(render)).toEqual([consoleUrl]);
    const [, branding] = only(resourcesOf(template, 'AWS::Cognito::ManagedLoginBranding'));
    expect((branding.Properties as CfnJson).UseCognitoProvidedValues).toBe(true);
    const [, domain] = only(resourcesOf(dataTemplate, 'AWS::Cognito::UserPoolDomain'));
    expect((domain.Properties as CfnJson).ManagedLoginVersion).toBe(2);
  });

  it('lets the authorizer accept the console client’s ID tokens beside the API and CLI clients’', () => {
    const env = envOf(synth, 'authorizer');
    expect(render(env.OIDC_AUDIENCE)).toMatch(
      /^<Ref:SsmParameterValuekeygateprodoidcaudience[0-9A-F]+Parameter>,<Ref:SsmParameterValuekeygateprodcliclientid[0-9A-F]+Parameter>,<Ref:ConsoleSignInClient[0-9A-F]+>$/,
    );
  });

  it('links the expiry email to the console by default', () => {
    const env = envOf(synth, 'notifier');
    expect(render(env.CONSOLE_URL)).toBe(`https://<${distributionId}.DomainName>/console/`);
  });
});

describe('the console with other settings', () => {
  it('keeps a configured consoleUrl for the expiry email', () => {
    const synth = synthKeygate({ consoleUrl: 'https://keys.acme.example/' });
    expect(envOf(synth, 'notifier').CONSOLE_URL).toBe('https://keys.acme.example/');
  });

  it('signs in with an OIDC issuer’s console settings: its token endpoint in the CSP, its client an audience', () => {
    const synth = synthKeygate({
      identityProvider: {
        ...OIDC,
        console: {
          clientId: 'keygate-console',
          authorizationEndpoint: 'https://login.acme.example/authorize',
          tokenEndpoint: 'https://login.acme.example/token',
        },
      },
    });
    expect(envOf(synth, 'authorizer').OIDC_AUDIENCE).toBe('keygate-cli,keygate-console');
    const policy = Object.values(
      resourcesOf(synth.appTemplate, 'AWS::CloudFront::ResponseHeadersPolicy'),
    ).find((p) =>
      (p.Properties as CfnJson).ResponseHeadersPolicyConfig.Comment.startsWith('keygate console'),
    );
    expect(
      (policy as CfnJson).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
    ).toBe(consoleCsp(['https://login.acme.example/token']));
    expect(resourcesOf(synth.appTemplate, 'AWS::Cognito::UserPoolClient')).toEqual({});
    const prefixes = Object.values(resourcesOf(synth.appTemplate, 'Custom::CDKBucketDeployment')).map(
      (d) => (d.Properties as CfnJson).DestinationBucketKeyPrefix,
    );
    expect(prefixes.sort()).toEqual(['console/', 'docs/']);
  });

  it('deploys no console for an OIDC issuer without console settings, and says so', async () => {
    const synth = synthKeygate({ identityProvider: OIDC });
    const prefixes = Object.values(resourcesOf(synth.appTemplate, 'Custom::CDKBucketDeployment')).map(
      (d) => (d.Properties as CfnJson).DestinationBucketKeyPrefix,
    );
    expect(prefixes).toEqual(['docs/']);
    expect(envOf(synth, 'authorizer').OIDC_AUDIENCE).toBe('keygate-cli');
    const { configWarnings } = await import('../../shared/adapters/config/keygate-config.js');
    expect(configWarnings(synth.config).join('\n')).toMatch(/identityProvider\.console is not set/);
  });
});

describe('CloudFront names, which are unique per account, not per region', () => {
  /** Each CloudFront resource's name, with its limit: policies, origin access control, function. */
  const namesOf = (synth: ReturnType<typeof synthKeygate>): Array<{ name: CfnJson; limit: number }> =>
    Object.values(resourcesOf(synth.appTemplate)).flatMap((resource) => {
      const props = resource.Properties as CfnJson;
      switch (resource.Type) {
        case 'AWS::CloudFront::CachePolicy':
          return [{ name: props.CachePolicyConfig.Name, limit: CLOUDFRONT_NAME_LIMITS.cachePolicy }];
        case 'AWS::CloudFront::OriginRequestPolicy':
          return [
            { name: props.OriginRequestPolicyConfig.Name, limit: CLOUDFRONT_NAME_LIMITS.originRequestPolicy },
          ];
        case 'AWS::CloudFront::ResponseHeadersPolicy':
          return [
            {
              name: props.ResponseHeadersPolicyConfig.Name,
              limit: CLOUDFRONT_NAME_LIMITS.responseHeadersPolicy,
            },
          ];
        case 'AWS::CloudFront::OriginAccessControl':
          return [
            { name: props.OriginAccessControlConfig.Name, limit: CLOUDFRONT_NAME_LIMITS.originAccessControl },
          ];
        case 'AWS::CloudFront::Function':
          return [{ name: props.Name, limit: 64 }];
        default:
          return [];
      }
    });

  it('names each with its region and stack, so one stack deploys to two regions of one account', () => {
    const inRegion = (region: string) => namesOf(synthKeygate({ region })).map(({ name }) => name as string);
    const west = inRegion('eu-west-1');
    const east = inRegion('us-east-1');
    // Four response headers policies, the bucket's origin access control, the router function.
    expect(west).toHaveLength(6);
    for (const name of west) expect(name).toContain('eu-west-1');
    for (const name of east) expect(name).toContain('us-east-1');
    expect(new Set([...west, ...east]).size).toBe(west.length + east.length);
    // The stack's name (CDK's own name for the function drops its hyphens).
    for (const name of west) expect(name.replaceAll('-', '')).toContain('keygateprodapp');
    const otherStage = namesOf(synthKeygate({ region: 'eu-west-1', stage: 'dev' })).map(({ name }) => name);
    for (const name of otherStage) expect(west).not.toContain(name);
  });

  it('names each with the deploy-time region when the stack is environment-agnostic', () => {
    for (const { name } of namesOf(synthKeygate())) {
      expect(render(name)).toContain('<Ref:AWS::Region>');
    }
  });

  it('stays within CloudFront’s name limits with the longest stage and a long region, and unique', () => {
    const stage = 'a-very-long-stage-00';
    const region = 'ap-southeasternmost-1';
    const names = namesOf(synthKeygate({ stage, region }));
    for (const { name, limit } of names) {
      expect(name.length, name).toBeLessThanOrEqual(limit);
      expect(name).toContain(region);
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(new Set(names.map(({ name }) => name)).size).toBe(names.length);
  });
});
