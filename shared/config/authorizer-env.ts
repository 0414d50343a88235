import type { AuthorizerEnv } from './env.js';
import { InvalidEnvironmentError } from './invalid-environment.js';

/**
 * The authorizer's environment, validated at cold start by hand with exactly the rules of
 * `authorizerEnvSchema` (env.ts, which stays the one contract: the stack and the tests read it).
 * The authorizer alone skips zod: zod is the largest library in its bundle, and issue 5 caps the
 * authorizer at the floor + 60 KiB. A property test holds this parser and the schema in agreement.
 */

type Env = Readonly<Record<string, string | undefined>>;

const KEY_PREFIX_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*-$/;

/** Parses the authorizer's variables or throws `InvalidEnvironmentError` naming each bad one. */
export function loadAuthorizerEnv(env: Env = process.env): AuthorizerEnv {
  const issues: string[] = [];
  const field = <T>(
    name: string,
    parse: (value: string) => T | undefined,
    problem: string,
  ): T | undefined => {
    const value = env[name];
    if (value === undefined) {
      issues.push(`${name}: required`);
      return undefined;
    }
    const parsed = parse(value);
    if (parsed === undefined) issues.push(`${name}: ${problem}`);
    return parsed;
  };
  const text = (name: string) => field(name, nonEmpty, 'must not be empty');
  const url = (name: string) => field(name, parseUrl, 'must be a URL');
  const integer = (name: string, min: number, max: number) =>
    field(name, (value) => parseInteger(value, min, max), `must be an integer from ${min} to ${max}`);

  const result = {
    TABLE_NAME: text('TABLE_NAME'),
    ...(env.DYNAMODB_ENDPOINT === undefined ? {} : { DYNAMODB_ENDPOINT: url('DYNAMODB_ENDPOINT') }),
    KEY_PREFIX: field(
      'KEY_PREFIX',
      (value) => (KEY_PREFIX_PATTERN.test(value) ? value : undefined),
      'lowercase words joined and ended by "-"',
    ),
    OIDC_ISSUER: url('OIDC_ISSUER'),
    OIDC_AUDIENCE: text('OIDC_AUDIENCE'),
    OIDC_JWKS_URI: url('OIDC_JWKS_URI'),
    OIDC_COMPANY_CLAIM: text('OIDC_COMPANY_CLAIM'),
    OIDC_GROUPS_CLAIM: text('OIDC_GROUPS_CLAIM'),
    OIDC_ROOT_ADMIN_GROUP: text('OIDC_ROOT_ADMIN_GROUP'),
    ...(env.OIDC_EXPECTED_USE === undefined ? {} : { OIDC_EXPECTED_USE: text('OIDC_EXPECTED_USE') }),
    LAST_USED_INTERVAL_SECONDS: integer('LAST_USED_INTERVAL_SECONDS', 1, Number.MAX_SAFE_INTEGER),
    AUTHORIZER_CACHE_TTL_SECONDS: integer('AUTHORIZER_CACHE_TTL_SECONDS', 0, 3600),
  };
  if (issues.length > 0) throw new InvalidEnvironmentError(issues);
  return result as AuthorizerEnv;
}

/** As `z.string().trim().min(1)`. */
function nonEmpty(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/** As `z.url()`: what the WHATWG URL parser accepts, trimmed, with tabs and newlines removed. */
function parseUrl(value: string): string | undefined {
  const trimmed = value.trim();
  return URL.canParse(trimmed) ? trimmed.replace(/[\t\n\r]/g, '') : undefined;
}

/** As `z.coerce.number().int()` with bounds: `Number(value)`, a safe whole number within them. */
function parseInteger(value: string, min: number, max: number): number | undefined {
  const number = Number(value);
  return Number.isSafeInteger(number) && number >= min && number <= max ? number : undefined;
}
