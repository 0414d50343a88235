import { describe, expect, it } from 'vitest';
import {
  authorizerEnvSchema,
  InvalidEnvironmentError,
  loadEnv,
} from '../../../shared/adapters/config/env.js';

/**
 * The authorizer validates its environment with `authorizerEnvSchema`, like every other function (the
 * hand-written twin it had for bundle bytes is gone: one implementation of the rule).
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

const problems = (env: Record<string, string>): string[] => {
  try {
    loadEnv(authorizerEnvSchema, env);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    return error.message.replace(/^invalid environment: /, '').split('; ');
  }
};

describe("the authorizer's environment", () => {
  it('accepts the deployed environment, with its numbers as numbers', () => {
    expect(loadEnv(authorizerEnvSchema, VALID)).toMatchObject({
      TABLE_NAME: 'keygate',
      LAST_USED_INTERVAL_SECONDS: 60,
      AUTHORIZER_CACHE_TTL_SECONDS: 0,
    });
  });

  it('names every missing variable; only the local endpoint is optional', () => {
    const named = problems({}).map((issue) => issue.slice(0, issue.indexOf(':')));
    expect(named.sort()).toEqual(
      Object.keys(VALID)
        .filter((name) => name !== 'DYNAMODB_ENDPOINT')
        .sort(),
    );
  });

  it('refuses values out of their rules, naming the variable', () => {
    for (const [name, value] of [
      ['KEY_PREFIX', 'WSK-'],
      ['OIDC_ISSUER', 'not a url'],
      ['LAST_USED_INTERVAL_SECONDS', '0'],
      ['AUTHORIZER_CACHE_TTL_SECONDS', '3601'],
      ['AUTHORIZER_CACHE_TTL_SECONDS', '1.5'],
      ['OIDC_AUDIENCE', '   '],
    ] as const) {
      expect(problems({ ...VALID, [name]: value }).map((issue) => issue.split(':')[0])).toEqual([name]);
    }
  });
});
