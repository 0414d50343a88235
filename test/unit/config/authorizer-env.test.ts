import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAuthorizerEnv } from '../../../shared/adapters/config/authorizer-env.js';
import {
  authorizerEnvSchema,
  InvalidEnvironmentError,
  loadEnv,
} from '../../../shared/adapters/config/env.js';

/**
 * The authorizer validates its environment by hand (no zod in its bundle); `authorizerEnvSchema` is the
 * contract. Both must accept the same environments, produce the same values and name the same variables.
 */

const VALID = {
  TABLE_NAME: 'keygate',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
  KEY_PREFIX: 'wsk-v1-',
  OIDC_ISSUER: 'https://issuer.example.com/pool',
  OIDC_AUDIENCE: 'client-id',
  OIDC_JWKS_URI: 'https://issuer.example.com/pool/.well-known/jwks.json',
  OIDC_COMPANY_CLAIM: 'custom:companyId',
  OIDC_GROUPS_CLAIM: 'cognito:groups',
  OIDC_ROOT_ADMIN_GROUP: 'root-admins',
  LAST_USED_INTERVAL_SECONDS: '60',
  AUTHORIZER_CACHE_TTL_SECONDS: '0',
};

type Outcome = { ok: true; value: unknown } | { ok: false; names: string[] };

function outcome(parse: () => unknown): Outcome {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    const names = error.message
      .replace(/^invalid environment: /, '')
      .split('; ')
      .map((issue) => issue.slice(0, issue.indexOf(':')));
    return { ok: false, names: [...new Set(names)].sort() };
  }
}

const variants = fc.constantFrom(
  undefined,
  '',
  '   ',
  ' keygate ',
  'wsk-v1-',
  'WSK-',
  'a-b-',
  'http://localhost:3000',
  ' https://example.com/x ',
  'https://exa\tmple.com',
  'not a url',
  'mailto:a@b.c',
  '0',
  '1',
  '60',
  ' 12 ',
  '3600',
  '3601',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  'Infinity',
  '9007199254740993',
);

describe('loadAuthorizerEnv', () => {
  it('accepts the deployed environment and returns what the schema returns', () => {
    expect(loadAuthorizerEnv(VALID)).toEqual(loadEnv(authorizerEnvSchema, VALID));
  });

  it('names every missing variable', () => {
    const result = outcome(() => loadAuthorizerEnv({}));
    expect(result).toEqual(outcome(() => loadEnv(authorizerEnvSchema, {})));
  });

  it('agrees with authorizerEnvSchema on any environment', () => {
    const names = Object.keys(VALID);
    fc.assert(
      fc.property(
        fc.record(
          Object.fromEntries(
            names.map((name) => [name, fc.oneof(fc.constant(VALID[name as keyof typeof VALID]), variants)]),
          ),
        ),
        (overrides) => {
          const env = Object.fromEntries(
            Object.entries(overrides).filter(([, value]) => value !== undefined),
          ) as Record<string, string>;
          expect(outcome(() => loadAuthorizerEnv(env))).toEqual(
            outcome(() => loadEnv(authorizerEnvSchema, env)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
