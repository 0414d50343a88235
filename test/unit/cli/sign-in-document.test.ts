import { describe, expect, it } from 'vitest';
import {
  CLI_LOOPBACK_PORTS,
  CLI_REDIRECT_URIS,
  CLI_SCOPE,
  CLI_SIGN_IN_PATH,
  cliSignInDocumentSchema,
} from '../../../shared/adapters/http/cli-sign-in.js';

/** The one shape of `/.well-known/keygate-cli.json`, as local mode, the stack and the CLI share it. */

const LOCAL = {
  authorizationEndpoint: '/dev-issuer/authorize',
  tokenEndpoint: '/dev-issuer/token',
  clientId: 'keygate-cli',
  scope: 'openid email',
};
const STACK = {
  authorizationEndpoint: 'https://keygate-prod-1a2b3c4d.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
  tokenEndpoint: 'https://keygate-prod-1a2b3c4d.auth.eu-west-1.amazoncognito.com/oauth2/token',
  clientId: '4j0example0client',
  scope: CLI_SCOPE,
  redirectUris: [...CLI_REDIRECT_URIS],
};

const problems = (value: unknown) => {
  const result = cliSignInDocumentSchema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the CLI sign-in document', () => {
  it('lives at /.well-known/keygate-cli.json', () => {
    expect(CLI_SIGN_IN_PATH).toBe('/.well-known/keygate-cli.json');
  });

  it('registers three fixed loopback redirect URIs on the IP literal, each a valid one', () => {
    expect(CLI_REDIRECT_URIS).toEqual([
      'http://127.0.0.1:28431/callback',
      'http://127.0.0.1:28432/callback',
      'http://127.0.0.1:28433/callback',
    ]);
    expect(new Set(CLI_LOOPBACK_PORTS).size).toBe(3);
    for (const port of CLI_LOOPBACK_PORTS) {
      // Not a privileged port, and below the IANA dynamic range most systems hand out at random.
      expect(port).toBeGreaterThan(1023);
      expect(port).toBeLessThan(49152);
    }
  });

  it('accepts what local mode serves (relative endpoints, any port) and what the stack serves (absolute, fixed URIs)', () => {
    expect(cliSignInDocumentSchema.parse(LOCAL)).toEqual(LOCAL);
    expect(cliSignInDocumentSchema.parse(STACK)).toEqual(STACK);
    expect(
      cliSignInDocumentSchema.parse({ ...STACK, redirectUris: ['http://[::1]:5000/cb'] }).redirectUris,
    ).toEqual(['http://[::1]:5000/cb']);
  });

  it('ignores fields it does not know, so a newer stack does not break an older CLI', () => {
    expect(cliSignInDocumentSchema.parse({ ...STACK, logoutEndpoint: 'https://x.example/logout' })).toEqual(
      STACK,
    );
  });

  it('refuses a document without its fields, or whose scope lacks openid', () => {
    for (const field of ['authorizationEndpoint', 'tokenEndpoint', 'clientId', 'scope'] as const) {
      const { [field]: _, ...without } = STACK;
      expect(problems(without), field).toEqual([
        `${field}: Invalid input: expected string, received undefined`,
      ]);
    }
    expect(problems({ ...STACK, clientId: '  ' })).toHaveLength(1);
    expect(problems({ ...STACK, scope: 'email profile' })).toEqual(['scope: must include openid']);
    expect(problems({ ...STACK, tokenEndpoint: 'dev-issuer/token' })).toEqual([
      'tokenEndpoint: an absolute URL or a path from /',
    ]);
    expect(problems([STACK])).toHaveLength(1);
  });

  it('accepts only loopback IP literal redirect URIs with a port, a path and nothing else', () => {
    const bad = [
      'http://localhost:28431/callback',
      'https://127.0.0.1:28431/callback',
      'http://127.0.0.1/callback',
      'http://127.0.0.1:28431/',
      'http://127.0.0.1:28431/callback?x=1',
      'http://127.0.0.1:28431/callback#x',
      'http://user:pw@127.0.0.1:28431/callback',
      'http://127.0.0.2:28431/callback',
      'http://127.0.0.1:028431/callback',
      'http://keygate.example:28431/callback',
      'not a url',
    ];
    for (const uri of bad) {
      expect(problems({ ...STACK, redirectUris: [uri] }), uri).toEqual([
        'redirectUris.0: a loopback redirect URI such as http://127.0.0.1:28431/callback',
      ]);
    }
    expect(problems({ ...STACK, redirectUris: [] })).toHaveLength(1);
  });
});
