import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import type { KeygateFunctionName } from '../../functions/registry.js';
import { BUNDLED_CATALOG_FILE } from '../../shared/catalogs/bundled-catalog.js';

export type { KeygateFunctionName };

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The source file a function is bundled from. */
export function functionEntry(name: KeygateFunctionName): string {
  return `${REPO_ROOT}functions/${name}/handler.ts`;
}

/**
 * Lets CommonJS dependencies that call `require` (some transitive AWS SDK and middy code) run inside
 * the ESM bundle.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __keygateCreateRequire } from 'node:module'; const require = __keygateCreateRequire(import.meta.url);";

/**
 * The esbuild settings of every keygate bundle, in one place: the stack bundles with them and the
 * benchmarks measure bundles built with them (`keygateEsbuildOptions`).
 * The AWS SDK is bundled, not taken from the runtime: a pinned, tree-shaken SDK loads faster than the
 * runtime's full copy and behaves the same on Node 20 locally and Node 22 in Lambda.
 */
export const KEYGATE_BUNDLING = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /** Maps name files and lines without carrying the sources: smaller assets, same stack traces. */
  sourcesContent: false,
  /** ESM entry points first, so esbuild can tree-shake the SDK. */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  external: [] as string[],
} as const;

/**
 * `KEYGATE_BUNDLING` as `NodejsFunction` bundling options: local esbuild, never Docker. With
 * `catalogFile`, the loaded catalog is copied beside the bundle as `catalog.json`
 * (`shared/catalogs/bundled-catalog.ts` reads it); it is part of the asset, so a catalog change
 * redeploys the functions that read it.
 */
export function keygateBundlingOptions(catalogFile?: string): BundlingOptions {
  return {
    ...(catalogFile === undefined
      ? {}
      : {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => [
              `cp ${shellQuote(catalogFile)} ${shellQuote(`${outputDir}/${BUNDLED_CATALOG_FILE}`)}`,
            ],
          },
        }),
    target: KEYGATE_BUNDLING.target,
    format: OutputFormat.ESM,
    minify: KEYGATE_BUNDLING.minify,
    sourceMap: KEYGATE_BUNDLING.sourcemap,
    sourcesContent: KEYGATE_BUNDLING.sourcesContent,
    mainFields: [...KEYGATE_BUNDLING.mainFields],
    banner: KEYGATE_BUNDLING.banner,
    externalModules: [...KEYGATE_BUNDLING.external],
    forceDockerBundling: false,
    // esbuild's per-file size listing is noise in synth and test output; warnings and errors still show.
    logLevel: LogLevel.WARNING,
  };
}

const shellQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** `KEYGATE_BUNDLING` as esbuild build options, for building a function's bundle outside CDK. */
export function keygateEsbuildOptions(name: KeygateFunctionName, outfile: string): BuildOptions {
  return {
    entryPoints: [functionEntry(name)],
    outfile,
    bundle: true,
    platform: 'node',
    target: KEYGATE_BUNDLING.target,
    format: KEYGATE_BUNDLING.format,
    minify: KEYGATE_BUNDLING.minify,
    sourcemap: KEYGATE_BUNDLING.sourcemap,
    sourcesContent: KEYGATE_BUNDLING.sourcesContent,
    mainFields: [...KEYGATE_BUNDLING.mainFields],
    banner: { js: KEYGATE_BUNDLING.banner },
    external: [...KEYGATE_BUNDLING.external],
  };
}

export interface KeygateFunctionProps {
  readonly name: KeygateFunctionName;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Exactly the variables the function's env schema (shared/adapters/config/env.ts) names. */
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /** The catalog file to ship beside the bundle (functions that read the catalog). */
  readonly catalogFile?: string;
}

/**
 * One keygate Lambda: Node.js 22 on ARM64, minified ESM bundle with source maps, X-Ray tracing, JSON
 * logs into its own log group with retention, and a role that holds nothing but the right to write
 * that log group until `grant` adds exactly what the function needs.
 */
export class KeygateFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: KeygateFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs go with the stateless stack; the data (table, user pool) is what survives.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of CDK's default, which attaches the AWSLambdaBasicExecutionRole managed
    // policy (logs on every log group in the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `keygate ${props.name} function`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: 'keygate',
        POWERTOOLS_METRICS_NAMESPACE: 'keygate',
        NODE_OPTIONS: '--enable-source-maps',
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      entry: functionEntry(props.name),
      bundling: keygateBundlingOptions(props.catalogFile),
    });
    // CDK adds these two X-Ray actions itself for active tracing; X-Ray has no resource-level permissions.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; "*" is the only resource AWS accepts.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: the project targets Node 20 locally and Node 22 in Lambda; moving to a newer runtime is a tested change, not a drift.',
    });
  }

  /** Adds one least-privilege statement to the function's role. */
  grant(statement: iam.PolicyStatement): void {
    this.role.addToPolicy(statement);
  }
}
