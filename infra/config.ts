import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { authorizerEnvSchema } from '../shared/adapters/config/env.js';
import { builtInCatalog } from '../shared/catalogs/built-in-catalog.js';

/**
 * The deployment's one typed config, validated at synth. Read from `keygate.config.json` (or the file
 * named by the `keygate:config` context value) and then from the `keygate` context object, which wins
 * field by field. Every field has a documented default except where a deployment must decide.
 * Format: see `keygate.config.example.json` and README "Deploy to AWS".
 */

/** Placeholders `npm run synth` uses when no config is given: synth works, the app warns. */
export const PLACEHOLDER_SENDER = 'keygate@example.com';

/** The retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];

const lambdaArn = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;

const integrationSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('http'),
      /** The backend's base URL; the route's path is appended (`https://pbx.example.com/api` + `/v2/…`). */
      baseUrl: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        .refine((url) => !url.endsWith('/'), 'must not end with "/" (the route path starts with one)'),
    })
    .strict(),
  z
    .object({
      type: z.literal('lambda'),
      /** A Lambda function in the same account and region, invoked with the API Gateway proxy event. */
      functionArn: z.string().regex(lambdaArn, 'must be a Lambda function ARN'),
    })
    .strict(),
]);

const cognitoSchema = z.object({ type: z.literal('cognito') }).strict();

const oidcSchema = z
  .object({
    type: z.literal('oidc'),
    issuer: z.url(),
    audience: z.string().trim().min(1),
    jwksUri: z.url(),
    companyClaim: z.string().trim().min(1),
    groupsClaim: z.string().trim().min(1),
    rootAdminGroup: z.string().trim().min(1),
    /** The `token_use` claim tokens must carry, for issuers that set one; unset: the claim is not read. */
    tokenUse: z.string().trim().min(1).optional(),
    /** How the web console signs in with this issuer; unset: the console is not deployed. */
    console: z
      .object({
        /** The console's public client (code + PKCE, no secret); default: `audience`. */
        clientId: z.string().trim().min(1).optional(),
        authorizationEndpoint: z.url({ protocol: /^https$/ }),
        tokenEndpoint: z.url({ protocol: /^https$/ }),
        /** Where sign-out ends the issuer's session (`client_id` and `logout_uri` are sent), if it has one. */
        logoutEndpoint: z.url({ protocol: /^https$/ }).optional(),
        scope: z.string().trim().min(1).default('openid email'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The namespaces and groups of the shipped catalog's protected routes: what an integration may name. */
const integrationTargets = (catalog = builtInCatalog()): Set<string> =>
  new Set([
    ...catalog.routes.filter((route) => route.kind === 'protected').map((route) => route.namespace),
    ...catalog.groups().keys(),
  ]);

export const keygateConfigSchema = z
  .object({
    /** Names the stacks and the API stage: `keygate-<stage>-data`, `keygate-<stage>-app`. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, 'lowercase letters, digits and "-", starting with a letter, ≤ 20')
      .default('prod'),
    /** AWS region to deploy to; default: the CLI's (`AWS_REGION`/profile), or environment-agnostic. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
      .optional(),
    keyPrefix: z._default(authorizerEnvSchema.shape.KEY_PREFIX, 'wsk-v1-'),
    /** Days an expired key stays listed (marked expired) before DynamoDB TTL removes it. */
    retentionDays: z.number().int().min(1).max(365).default(30),
    /** The verified SES identity the expiry email is sent from. */
    senderAddress: z.email().default(PLACEHOLDER_SENDER),
    /** Where the expiry email sends admins to rotate keys; default: the console the stack deploys. */
    consoleUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Root admins' identity provider: a Cognito user pool created by the stack, or an external OIDC issuer. */
    identityProvider: z.discriminatedUnion('type', [cognitoSchema, oidcSchema]).default({ type: 'cognito' }),
    /** Backend of protected routes by namespace (e.g. `messaging`) or group (e.g. `pbx`); default: echo. */
    integrations: z.record(z.string(), integrationSchema).default({}),
    /**
     * API Gateway's authorizer result cache. 0 (default): every request is decided afresh, a deleted key
     * fails on the very next request. > 0: fewer authorizer invocations, but revocation takes up to this long.
     */
    authorizerCacheTtlSeconds: z.number().int().min(0).max(3600).default(0),
    /** `lastUsedAt` is written at most once per this many seconds per key. */
    lastUsedIntervalSeconds: z.number().int().min(1).max(86_400).default(60),
    /** Receives the alarms (an SNS email subscription; confirm the mail AWS sends). */
    alarmEmail: z.email().optional(),
    /** Stage-wide default method throttling. */
    throttling: z
      .object({
        rateLimit: z.number().int().min(1).max(10_000).default(500),
        burstLimit: z.number().int().min(1).max(5_000).default(1_000),
      })
      .strict()
      .default({ rateLimit: 500, burstLimit: 1_000 }),
    /** Retention of the functions' logs and the API access log. */
    logRetentionDays: z
      .number()
      .int()
      .refine((days) => LOG_RETENTION_DAYS.includes(days), `one of ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(30),
    /**
     * API Gateway writes access and execution logs through ONE role set in the account's API Gateway
     * settings. true (default): this stack creates that role and sets it (retained on deletion, as other
     * APIs in the account may rely on it). false: the account already has one (e.g. from another stack).
     */
    apiGatewayCloudWatchRole: z.boolean().default(true),
  })
  .strict()
  .superRefine((config, ctx) => {
    const known = integrationTargets();
    for (const target of Object.keys(config.integrations)) {
      if (!known.has(target)) {
        ctx.addIssue({
          code: 'custom',
          path: ['integrations', target],
          message: `"${target}" is not a namespace or group of protected routes; known: ${[...known].sort().join(', ')}`,
        });
      }
    }
  });

export type KeygateConfig = z.infer<typeof keygateConfigSchema>;
export type IntegrationConfig = z.infer<typeof integrationSchema>;
export type OidcConfig = z.infer<typeof oidcSchema>;

/** The config is wrong; the message names the source and every bad field. */
export class InvalidKeygateConfigError extends Error {
  constructor(source: string, issues: string[]) {
    super(`invalid keygate config (${source}):\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'InvalidKeygateConfigError';
  }
}

/** Validates a raw config object; throws `InvalidKeygateConfigError` naming each bad field. */
export function parseKeygateConfig(raw: unknown, source = 'config'): KeygateConfig {
  const result = keygateConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new InvalidKeygateConfigError(
      source,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** What must be fixed before a real deployment works, e.g. the placeholder sender. */
export function configWarnings(config: KeygateConfig): string[] {
  const warnings: string[] = [];
  if (config.senderAddress === PLACEHOLDER_SENDER) {
    warnings.push(
      `senderAddress is not set: using the placeholder ${PLACEHOLDER_SENDER}; expiry emails fail until it names a verified SES identity`,
    );
  }
  if (config.identityProvider.type === 'oidc' && config.identityProvider.console === undefined) {
    warnings.push(
      'identityProvider.console is not set: the web console is not deployed (it has no way to sign in)' +
        (config.consoleUrl === undefined ? ', yet expiry emails link to it: set consoleUrl' : ''),
    );
  }
  return warnings;
}

/**
 * Reads the config as `cdk synth`/`cdk deploy` see it: the JSON file (default `keygate.config.json`
 * in `cwd`, or the `keygate:config` context value; a missing default file is fine, a missing named
 * file is not), overlaid with the `keygate` context object (`cdk.json` or `-c keygate='{…}'`).
 */
export function loadKeygateConfig(
  tryGetContext: (key: string) => unknown,
  cwd: string = process.cwd(),
): { config: KeygateConfig; source: string } {
  const named = tryGetContext('keygate:config');
  if (named !== undefined && typeof named !== 'string') {
    throw new InvalidKeygateConfigError('context keygate:config', ['must be a file path']);
  }
  const path = resolve(cwd, named ?? 'keygate.config.json');
  let fromFile: Record<string, unknown> = {};
  const sources: string[] = [];
  if (existsSync(path)) {
    fromFile = readJsonObject(readFileSync(path, 'utf8'), path);
    sources.push(path);
  } else if (named !== undefined) {
    throw new InvalidKeygateConfigError(path, ['file not found']);
  }
  let fromContext = tryGetContext('keygate');
  if (typeof fromContext === 'string') fromContext = readJsonObject(fromContext, 'context keygate');
  if (fromContext !== undefined) {
    if (typeof fromContext !== 'object' || fromContext === null || Array.isArray(fromContext)) {
      throw new InvalidKeygateConfigError('context keygate', ['must be a JSON object']);
    }
    sources.push('context keygate');
  }
  const source = sources.length > 0 ? sources.join(' + ') : 'defaults';
  return { config: parseKeygateConfig({ ...fromFile, ...(fromContext as object) }, source), source };
}

function readJsonObject(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidKeygateConfigError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidKeygateConfigError(source, ['must be a JSON object']);
  }
  return value as Record<string, unknown>;
}
