import * as z from 'zod';
import { InvalidEnvironmentError } from './invalid-environment.js';

/**
 * Environment of every keygate Lambda, validated once at cold start. Required values have no
 * defaults: a function deployed without them fails at once, with the names of what is missing.
 * Each function reads only the group it needs.
 */

const nonEmpty = z.string().trim().min(1);
const positiveInt = z.coerce.number().int().positive();

const storeEnv = z.object({
  TABLE_NAME: nonEmpty,
  /** Local mode and tests only: DynamoDB Local's URL. Unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
});

const keyFormatEnv = z.object({
  /** Deployment's key prefix, e.g. `wsk-v1-`. */
  KEY_PREFIX: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*-$/, 'lowercase words joined and ended by "-"'),
});

export const authorizerEnvSchema = storeEnv.extend(keyFormatEnv.shape).extend({
  OIDC_ISSUER: z.url(),
  OIDC_AUDIENCE: nonEmpty,
  OIDC_JWKS_URI: z.url(),
  /** Claim holding the root admin's company id, e.g. `custom:companyId`. */
  OIDC_COMPANY_CLAIM: nonEmpty,
  /** Claim holding the caller's groups, e.g. `cognito:groups`. */
  OIDC_GROUPS_CLAIM: nonEmpty,
  /** Group that makes a caller a root admin, e.g. `root-admins`. */
  OIDC_ROOT_ADMIN_GROUP: nonEmpty,
  /** `lastUsedAt` is written at most once per this many seconds per key. */
  LAST_USED_INTERVAL_SECONDS: positiveInt,
  /** API Gateway's authorizer result TTL; when > 0 the policy must cover every route the key may call. */
  AUTHORIZER_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600),
});

export const managementEnvSchema = storeEnv.extend(keyFormatEnv.shape).extend({
  /** Days an expired key is kept (listed, marked expired) before DynamoDB TTL removes it. */
  RETENTION_DAYS: positiveInt,
});

export const notifierEnvSchema = storeEnv.extend({
  SES_SENDER: z.email(),
  CONSOLE_URL: z.url(),
  /** Local mode and tests only: the SES emulator's URL. Unset in AWS. */
  SES_ENDPOINT: z.url().optional(),
});

export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
export type ManagementEnv = z.infer<typeof managementEnvSchema>;
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;

// In its own zod-free module so the authorizer's hand-written parser (authorizer-env.ts) can throw it.
export { InvalidEnvironmentError };

/** Parses `env` with `schema` or throws `InvalidEnvironmentError` naming each bad variable. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return result.data;
}
