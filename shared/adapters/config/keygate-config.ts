import { z } from 'zod';
import { authorizerEnvSchema, EVENT_BUS_NAME } from './env.js';

/**
 * The deployment's one typed config: what `keygate.config.json` (or the file `KEYGATE_CONFIG` names)
 * may say, with its documented defaults. Pure: no file system here (see `keygate-deployment.ts`,
 * which reads the file and its catalog files). Format: `keygate.config.example.json` and README.
 */

/** Placeholders `npm run synth` uses when no config is given: synth works, the app warns. */
export const PLACEHOLDER_SENDER = 'keygate@example.com';

/** The bus lifecycle events go to when `eventBusName` is not set: the account's default bus. */
export const DEFAULT_EVENT_BUS = 'default';

/** The retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];

const lambdaArn = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;

const httpBackendSchema = z
  .object({
    type: z.literal('http'),
    /** The backend's base URL; the request path is appended (`https://pbx.example.com/api` + `/v2/…`). */
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .refine((url) => !url.endsWith('/'), 'must not end with "/" (the request path starts with one)')
      // The request path is appended to it: a query or fragment would swallow the path.
      .refine(
        (url) => !url.includes('?') && !url.includes('#'),
        'must not hold a query (?) or a fragment (#): the request path and query are appended to it',
      ),
  })
  .strict();

const lambdaBackendSchema = z
  .object({
    type: z.literal('lambda'),
    /** A Lambda function in the same account and region, invoked with the API Gateway proxy event. */
    functionArn: z.string().regex(lambdaArn, 'must be a Lambda function ARN'),
  })
  .strict();

/** keygate's echo Lambda: answers with the caller; for trying a catalog before its backends exist. */
const echoBackendSchema = z.object({ type: z.literal('echo') }).strict();

const backendSchema = z.discriminatedUnion('type', [
  httpBackendSchema,
  lambdaBackendSchema,
  echoBackendSchema,
]);

const cognitoSchema = z.object({ type: z.literal('cognito') }).strict();

const oidcSchema = z
  .object({
    type: z.literal('oidc'),
    issuer: z.url(),
    audience: z.string().trim().min(1),
    /** Where the authorizer fetches the issuer's keys: https only (the authorizer refuses anything else). */
    jwksUri: z.url({
      protocol: /^https$/,
      error: 'must be an https URL: the authorizer refuses to fetch signing keys over plain http',
    }),
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
    /**
     * How `keygate login` signs in with this issuer (the stack serves it at
     * `/.well-known/keygate-cli.json`); unset: no browser sign-in, admins set KEYGATE_TOKEN.
     */
    cli: z
      .object({
        /**
         * The CLI's public client (code + PKCE, no secret) whose redirect URIs are exactly
         * `http://127.0.0.1:28431/callback`, `…:28432/…` and `…:28433/…`; default: `audience`.
         */
        clientId: z.string().trim().min(1).optional(),
        authorizationEndpoint: z.url({ protocol: /^https$/ }),
        tokenEndpoint: z.url({ protocol: /^https$/ }),
        /** Must include `openid`: the CLI keeps the ID token. */
        scope: z
          .string()
          .trim()
          .min(1)
          .refine((scope) => scope.split(/\s+/).includes('openid'), 'must include openid')
          .default('openid email'),
      })
      .strict()
      .optional(),
  })
  .strict();

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
    /** Days an audit event is kept (DynamoDB TTL) before it is removed; up to ten years. */
    auditRetentionDays: z.number().int().min(1).max(3653).default(365),
    /** The verified SES identity the expiry email is sent from. */
    senderAddress: z.email().default(PLACEHOLDER_SENDER),
    /** Where the expiry email sends admins to rotate keys; default: the console the stack deploys. */
    consoleUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Root admins' identity provider: a Cognito user pool created by the stack, or an external OIDC issuer. */
    identityProvider: z.discriminatedUnion('type', [cognitoSchema, oidcSchema]).default({ type: 'cognito' }),
    /**
     * The catalog files, relative to the config file: keygate catalog JSON or OpenAPI 3.0/3.1 (JSON or
     * YAML). Unset: the shipped examples, `catalogs/cloud.json` and `catalogs/pbx.json`.
     */
    catalog: z.array(z.string().trim().min(1, 'a catalog file name')).min(1).optional(),
    /** Backend of protected routes by namespace (e.g. `messaging`) or group (e.g. `pbx`). */
    integrations: z.record(z.string(), backendSchema).default({}),
    /**
     * The backend of namespaces `integrations` does not name. Unset: with the shipped catalog, echo;
     * with a catalog of your own, every namespace must have a backend (a synth error names the others).
     */
    defaultBackend: backendSchema.optional(),
    /**
     * true: the stage presents an API Gateway client certificate to HTTP backends, so a backend can
     * refuse every request that did not come through keygate (README "Protect your API").
     */
    backendClientCertificate: z.boolean().default(false),
    /**
     * API Gateway's authorizer result cache. 0 (default): every request is decided afresh, a deleted key
     * fails on the very next request. > 0: fewer authorizer invocations, but revocation takes up to this long.
     */
    authorizerCacheTtlSeconds: z.number().int().min(0).max(3600).default(0),
    /** `lastUsedAt` is written at most once per this many seconds per key. */
    lastUsedIntervalSeconds: z.number().int().min(1).max(86_400).default(60),
    /**
     * The EventBridge bus (in the stack's account and region) that lifecycle events go to: a bus name,
     * not an ARN. Unset: the account's default bus.
     */
    eventBusName: z
      .string()
      .regex(EVENT_BUS_NAME, 'an EventBridge event bus name: 1-256 letters, digits, ".", "-", "_" or "/"')
      .optional(),
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
    /** Retention of every log group of the app stack: functions, API access and execution logs, console deployment. */
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
  .strict();

export type KeygateConfig = z.infer<typeof keygateConfigSchema>;
/** A backend of protected routes: an HTTP base URL, a Lambda function, or keygate's echo. */
export type BackendConfig = z.infer<typeof backendSchema>;
export type OidcConfig = z.infer<typeof oidcSchema>;

/** The config is wrong; the message names the source and every bad field. */
export class InvalidKeygateConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
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
  if (config.identityProvider.type === 'oidc' && config.identityProvider.cli === undefined) {
    warnings.push(
      'identityProvider.cli is not set: keygate login cannot sign in in the browser (admins set KEYGATE_TOKEN instead)',
    );
  }
  if (config.alarmEmail === undefined) {
    warnings.push(
      'alarmEmail is not set: the alarms (authorizer errors, API 5xx, notifier failures, dead letters) publish to the alarm topic (AlarmTopicArn output) with no subscriber; set alarmEmail or subscribe to the topic',
    );
  }
  const backends = [
    ...Object.entries(config.integrations).map(
      ([namespace, backend]) => [`integrations.${namespace}`, backend] as const,
    ),
    ...(config.defaultBackend ? [['defaultBackend', config.defaultBackend] as const] : []),
  ];
  for (const [where, backend] of backends) {
    if (backend.type === 'http' && isLoopback(backend.baseUrl)) {
      warnings.push(
        `${where}.baseUrl ${backend.baseUrl} is a loopback address: npm start reaches it, API Gateway in AWS never will (every request there gets 502/504); deploy with the backend's public or private URL`,
      );
    }
  }
  return warnings;
}

/** Whether a URL names this machine (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`, `0.0.0.0`). */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === '[::1]' ||
    host === '0.0.0.0'
  );
}
