import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_HEADERS, consoleCsp, HSTS_MAX_AGE_SECONDS } from '../../console/security-headers.js';
import { CLI_SIGN_IN_PATH, type CliSignInDocument } from '../../shared/adapters/http/cli-sign-in.js';
import {
  DOCS_CSP,
  DOCS_PATH,
  docsAnswer,
  OPENAPI_PATH,
  REDOC_ASSET_PATH,
} from '../../shared/adapters/http/openapi/docs-site.js';
import type { RouteCatalog } from '../../shared/domain/catalog/route-catalog.js';
import { accountGlobalName, CLOUDFRONT_NAME_LIMITS } from '../cloudfront/account-global-names.js';
import { managementPathPatterns } from '../cloudfront/management-paths.js';
import type { ConsoleSignInSettings } from './console-sign-in.js';

export interface ConsoleSiteProps {
  /** The REST API whose management routes the distribution forwards (same origin as the console). */
  readonly api: apigw.IRestApi;
  /** The API's stage: the origin path. */
  readonly stageName: string;
  readonly catalog: RouteCatalog;
  /** The built console (Vite's output with `index.html`). */
  readonly consoleDist: string;
  /** The identity provider's token endpoint: the one other address the console's CSP lets it call. */
  readonly tokenEndpoint?: string;
  /** Retention of the deployment handler's logs, as of every other log group of the stack. */
  readonly logRetention: logs.RetentionDays;
}

/** What the console reads from `config.json` (`console/src/auth/sign-in-config.ts`). */
export type ConsoleRuntimeConfig = ConsoleSignInSettings & { readonly apiBaseUrl: string };

const ROUTER_FILE = fileURLToPath(new URL('../cloudfront/site-router.js', import.meta.url));

/** The console's security headers as a CloudFront policy, with `csp` as its Content-Security-Policy. */
function securityHeaders(csp: string | undefined): cloudfront.ResponseSecurityHeadersBehavior {
  return {
    ...(csp === undefined ? {} : { contentSecurityPolicy: { contentSecurityPolicy: csp, override: true } }),
    strictTransportSecurity: {
      accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
      includeSubdomains: true,
      override: true,
    },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
  };
}

/**
 * The web console, the reference docs and the management API on one HTTPS origin, a CloudFront
 * distribution (docs/adr/0006-console-and-management-api-on-one-origin.md):
 * - `/console/*`: the built console from a private S3 bucket (origin access control; the bucket
 *   blocks all public access and refuses plain HTTP), with `config.json` written beside it at
 *   deploy time; a strict CSP, HSTS, no framing, no referrer;
 * - `/docs`, `/v1/openapi.json`: the same document and Redoc page local mode serves, from the bucket;
 * - the management routes' paths: API Gateway, uncached, every viewer header but Host forwarded;
 * - `/.well-known/keygate-cli.json`, where `keygate login` signs in, when the stack has a CLI client;
 * - anything else: 404 from the edge (`infra/cloudfront/site-router.js`), `/` redirects to the console.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`. */
  readonly origin: string;
  /** `https://<distribution domain>/console/`: the callback URL, and `consoleUrl`'s default. */
  readonly consoleUrl: string;
  readonly consoleHeaders: cloudfront.ResponseHeadersPolicy;
  /** Where CDK's BucketDeployment handler logs (otherwise `/aws/lambda/…`, created by Lambda, never expiring). */
  readonly deploymentLogs: logs.LogGroup;
  private readonly props: ConsoleSiteProps;
  private readonly bucketOrigin: cloudfront.IOrigin;
  private readonly apiHeaders: cloudfront.IResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    this.props = props;
    if (!existsSync(join(props.consoleDist, 'index.html'))) {
      throw new Error(
        `the console is not built (${props.consoleDist} has no index.html): run npm install, or npx tsx console/build.ts`,
      );
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Rebuilt from the repository at every deploy: nothing here is state. The deployments empty
      // their prefixes when they go (`retainOnDelete: false`), so the bucket goes with the stack
      // without CDK's auto-delete function.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // One group for the handler all the deployments below share (a singleton: the first one's props make it).
    this.deploymentLogs = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const stack = Stack.of(this);
    // Policy and origin access control names are unique per account: each names its stack and region.
    const headersPolicyName = (purpose: string) =>
      accountGlobalName(this, purpose, CLOUDFRONT_NAME_LIMITS.responseHeadersPolicy);
    this.consoleHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      responseHeadersPolicyName: headersPolicyName('console-headers'),
      comment: 'keygate console: strict CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: securityHeaders(
        consoleCsp(props.tokenEndpoint === undefined ? [] : [props.tokenEndpoint]),
      ),
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Cross-Origin-Opener-Policy',
            value: CONSOLE_HEADERS['cross-origin-opener-policy'],
            override: true,
          },
          { header: 'Permissions-Policy', value: CONSOLE_HEADERS['permissions-policy'], override: true },
        ],
      },
    });
    const docsHeaders = new cloudfront.ResponseHeadersPolicy(this, 'DocsHeaders', {
      responseHeadersPolicyName: headersPolicyName('docs-headers'),
      comment: 'keygate reference docs: this origin only, HSTS, no framing',
      securityHeadersBehavior: securityHeaders(DOCS_CSP),
    });
    const openApiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'OpenApiHeaders', {
      responseHeadersPolicyName: headersPolicyName('openapi-headers'),
      comment: 'keygate OpenAPI document: readable from any origin (it is public), HSTS',
      securityHeadersBehavior: securityHeaders(undefined),
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowOrigins: ['*'],
        originOverride: true,
      },
    });
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      responseHeadersPolicyName: headersPolicyName('api-headers'),
      comment: 'keygate management API through the console origin: HSTS, nosniff, no framing',
      securityHeadersBehavior: securityHeaders(undefined),
    });
    this.apiHeaders = apiHeaders;

    const router = new cloudfront.Function(this, 'Router', {
      comment: 'keygate: console and docs addresses to their objects, 404 for the rest',
      code: cloudfront.FunctionCode.fromFile({ filePath: ROUTER_FILE }),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const bucketOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket, {
      originAccessControl: new cloudfront.S3OriginAccessControl(this, 'BucketAccess', {
        originAccessControlName: accountGlobalName(
          this,
          'console-bucket',
          CLOUDFRONT_NAME_LIMITS.originAccessControl,
        ),
        description: 'keygate console bucket: CloudFront signs every request (SigV4)',
      }),
    });
    this.bucketOrigin = bucketOrigin;
    const site = (policy: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
      origin: bucketOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: policy,
      functionAssociations: [{ function: router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    });
    // The API by its execute-api host and stage (not `api.url`, whose deployment depends on the
    // authorizer, which depends on the console's app client, which depends on this distribution).
    const apiOrigin = new origins.HttpOrigin(
      `${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
      {
        originPath: `/${props.stageName}`,
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );
    const management: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      // A redirect would turn a POST into a GET: plain HTTP is refused instead.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // Never cached; with caching off CloudFront forwards Authorization with the other headers.
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };
    const docs = site(docsHeaders);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `keygate ${props.stageName}: console, docs, management API`,
      defaultBehavior: site(this.consoleHeaders),
      additionalBehaviors: {
        '/console/*': site(this.consoleHeaders),
        [DOCS_PATH]: docs,
        [`${DOCS_PATH}/*`]: docs,
        [OPENAPI_PATH]: site(openApiHeaders),
        ...Object.fromEntries(managementPathPatterns(props.catalog).map((pattern) => [pattern, management])),
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.consoleUrl = `${this.origin}/console/`;

    // The docs: exactly what local mode serves at the same paths.
    const docsFile = (path: string) => {
      const answer = docsAnswer(props.catalog, 'GET', path);
      if (answer === undefined) throw new Error(`no docs answer for ${path}`);
      return answer.body;
    };
    new s3deploy.BucketDeployment(this, 'DeployDocs', {
      sources: [
        s3deploy.Source.data('index.html', docsFile(DOCS_PATH)),
        s3deploy.Source.data('redoc.standalone.js', docsFile(REDOC_ASSET_PATH)),
        s3deploy.Source.data('openapi.json', docsFile(OPENAPI_PATH)),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'docs/',
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [DOCS_PATH, `${DOCS_PATH}/*`, OPENAPI_PATH],
      retainOnDelete: false,
      memoryLimit: 256,
      logGroup: this.deploymentLogs,
    });

    acknowledgeDeploymentHandler(stack, this.bucket);
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          'The bucket holds only the built console and docs, public by design through CloudFront and rebuilt at every deploy; requests are visible in CloudFront and API Gateway logs.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Root admins sign in from wherever they work; access is decided by sign-in, not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'WAF is an optional, separately priced layer (as for the API stage); the API behind it throttles every method and an operator can attach a web ACL.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Standard logging needs an ACL-enabled log bucket; the management calls are logged by API Gateway (access log) and the static files need no audit trail.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot set a minimum TLS version; a custom domain with its certificate (TLSv1.2_2021) is the way to raise it.',
      },
    );
  }

  /**
   * Deploys the console with its runtime `config.json` (sign-in settings, the API on this origin):
   * written by the deployment beside the bundle, so the same build runs locally and in any stack.
   */
  deployConsole(signIn: ConsoleSignInSettings): s3deploy.BucketDeployment {
    const config: ConsoleRuntimeConfig = { ...signIn, apiBaseUrl: '' };
    return new s3deploy.BucketDeployment(this, 'DeployConsole', {
      sources: [
        s3deploy.Source.asset(this.props.consoleDist, { exclude: ['.built'] }),
        s3deploy.Source.jsonData('config.json', config),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'console/',
      // Checked again on every load (ETag): a deploy shows at once, and config.json is never stale.
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/console/*'],
      retainOnDelete: false,
      memoryLimit: 256,
      logGroup: this.deploymentLogs,
    });
  }

  /**
   * Serves where `keygate login` signs in at {@link CLI_SIGN_IN_PATH}, written at deploy time from the
   * linked client id and endpoints: JSON, `no-cache` (revalidated on every read, so a redeploy shows
   * at once) and invalidated by the deployment. Its own behaviour, without the router (the path is the
   * object's key), with the API's headers policy (HSTS, nosniff; no CSP for JSON) rather than a new
   * one, as an account may hold only 20 response headers policies.
   */
  deployCliSignIn(document: CliSignInDocument): s3deploy.BucketDeployment {
    this.distribution.addBehavior(CLI_SIGN_IN_PATH, this.bucketOrigin, {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.apiHeaders,
    });
    const [, prefix, name] = /^\/(.+\/)([^/]+)$/.exec(CLI_SIGN_IN_PATH) as RegExpExecArray;
    return new s3deploy.BucketDeployment(this, 'DeployCliSignIn', {
      sources: [s3deploy.Source.jsonData(name as string, document)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: prefix as string,
      contentType: 'application/json',
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [CLI_SIGN_IN_PATH],
      retainOnDelete: false,
      memoryLimit: 256,
      logGroup: this.deploymentLogs,
    });
  }
}

const orPseudo = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

/**
 * The BucketDeployment's handler is CDK's own singleton (Python runtime, AWS-managed basic execution
 * policy, the grants `grantRead`/`grantReadWrite` write): each finding acknowledged by name.
 */
function acknowledgeDeploymentHandler(stack: Stack, bucket: s3.Bucket): void {
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler === undefined) throw new Error('the BucketDeployment handler was not found in the stack');
  const grants =
    'CDK grants the deployment handler read of the CDK asset bucket and read-write of the console bucket with these action groups; it copies and prunes objects under one prefix at deploy time only.';
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The deployment handler is CDK’s BucketDeployment singleton; it logs with the AWS-managed basic execution policy, which grants only CloudWatch Logs writes.',
    },
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: grants,
    })),
    {
      // As cdk-nag prints it: the account and region concrete when the deployment knows them.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${orPseudo(stack.account, 'AWS::AccountId')}-${orPseudo(stack.region, 'AWS::Region')}/*]`,
      reason: `${grants} The asset objects are named by content hash, so the grant is to the asset bucket's objects.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason: `${grants} The console bucket holds nothing but what these deployments write.`,
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudfront:CreateInvalidation and GetInvalidation as CDK grants them to the deployment handler, to refresh the console and docs after a deploy.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib (pinned in package.json) and moves with it; keygate does not run its own code there.',
    },
  );
}
