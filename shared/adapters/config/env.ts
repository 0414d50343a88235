import * as z from 'zod/mini';
import '../../domain/zod-english.js';

/**
 * Environment of every keygate Lambda, validated once at cold start. Required values have no
 * defaults: a function deployed without them fails at once, with the names of what is missing.
 * Each function reads only the group it needs.
 */

const nonEmpty = z.string().check(z.trim(), z.minLength(1));
/** An integer from the environment's text (`z.coerce.number().int()` in zod's classic API). */
const integer = (...checks: Parameters<ReturnType<typeof z.int>['check']>) =>
  z.pipe(z.coerce.number(), z.int().check(...checks));
const positiveInt = integer(z.positive());

/** What every function that reaches the table reads (the notification settings functions: only this). */
export const storeEnvSchema = z.object({
  TABLE_NAME: nonEmpty,
  /** Local mode and tests only: DynamoDB Local's URL. Unset in AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
});

const keyFormatEnv = {
  /** Deployment's key prefix, e.g. `wsk-v1-`. */
  KEY_PREFIX: z
    .string()
    .check(z.regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*-$/, 'lowercase words joined and ended by "-"')),
};

export const authorizerEnvSchema = z.extend(storeEnvSchema, {
  ...keyFormatEnv,
  OIDC_ISSUER: z.url(),
  /** The accepted `aud` of admin tokens: one, or several separated by commas (the CLI's and the console's clients). */
  OIDC_AUDIENCE: nonEmpty,
  OIDC_JWKS_URI: z.url(),
  /** Claim holding the root admin's company id, e.g. `custom:companyId`. */
  OIDC_COMPANY_CLAIM: nonEmpty,
  /** Claim holding the caller's groups, e.g. `cognito:groups`. */
  OIDC_GROUPS_CLAIM: nonEmpty,
  /** Group that makes a caller a root admin, e.g. `root-admins`. */
  OIDC_ROOT_ADMIN_GROUP: nonEmpty,
  /** The value the `token_use` claim of an admin token must have (`id` for Cognito); unset: the claim is not read. */
  OIDC_EXPECTED_USE: z.optional(nonEmpty),
  /** `lastUsedAt` is written at most once per this many seconds per key. */
  LAST_USED_INTERVAL_SECONDS: positiveInt,
  /** API Gateway's authorizer result TTL; when > 0 the policy must cover every route the key may call. */
  AUTHORIZER_CACHE_TTL_SECONDS: integer(z.minimum(0), z.maximum(3600)),
});

/** What every function that writes audit events reads (the notification settings writer: only this). */
export const auditEnvSchema = z.extend(storeEnvSchema, {
  /** Days an audit event is kept before DynamoDB TTL removes it. */
  AUDIT_RETENTION_DAYS: integer(z.minimum(1), z.maximum(3653)),
});

export const managementEnvSchema = z.extend(auditEnvSchema, {
  ...keyFormatEnv,
  /** Days an expired key is kept (listed, marked expired) before DynamoDB TTL removes it. */
  RETENTION_DAYS: positiveInt,
});

/**
 * The event bus keygate publishes to: a bus name (`default`: the account's default bus). The same
 * grammar as the config's `eventBusName` (EventBridge's: 1-256 of letters, digits, `.`, `-`, `_`, `/`).
 */
export const EVENT_BUS_NAME = /^[A-Za-z0-9._/-]{1,256}$/;

const eventsEnv = {
  EVENT_BUS_NAME: z.string().check(z.regex(EVENT_BUS_NAME, 'an EventBridge event bus name')),
  /** Tests only: a PutEvents server's URL. Unset in AWS. */
  EVENTBRIDGE_ENDPOINT: z.optional(z.url()),
};

/** The audit event publisher: it reads no table (its events come in the stream records), only the bus. */
export const publisherEnvSchema = z.object(eventsEnv);

export const notifierEnvSchema = z.extend(storeEnvSchema, {
  ...eventsEnv,
  SES_SENDER: z.email(),
  CONSOLE_URL: z.url(),
  /** Local mode and tests only: the SES emulator's URL. Unset in AWS. */
  SES_ENDPOINT: z.optional(z.url()),
});

export type StoreEnv = z.infer<typeof storeEnvSchema>;
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
export type AuditEnv = z.infer<typeof auditEnvSchema>;
export type ManagementEnv = z.infer<typeof managementEnvSchema>;
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;
export type PublisherEnv = z.infer<typeof publisherEnvSchema>;

/** Thrown at cold start when the environment is incomplete or wrong; names every bad variable. */
export class InvalidEnvironmentError extends Error {
  constructor(issues: string[]) {
    super(`invalid environment: ${issues.join('; ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parses `env` with `schema` or throws `InvalidEnvironmentError` naming each bad variable. */
export function loadEnv<S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return result.data;
}
