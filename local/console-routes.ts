import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_DIST } from '../console/build.js';
import { consoleSite } from '../console/server/static-site.js';
import { CLI_SCOPE, CLI_SIGN_IN_PATH, type CliSignInDocument } from '../shared/adapters/http/cli-sign-in.js';
import type { DevIssuer } from './dev-issuer.js';
import {
  AUTHORIZE_PATH,
  DEV_CLI_CLIENT_ID,
  DEV_CLIENT_ID,
  devIssuerLogin,
  TOKEN_PATH,
} from './dev-issuer-login.js';

/**
 * What local mode serves beside the API on the gateway's port: the web console at `/console/`
 * (signing in with the development issuer), the issuer's sign-in endpoints, and where `keygate
 * login` signs in (`/.well-known/keygate-cli.json`, unauthenticated, as the console's config.json).
 */
export function consoleRoutes(issuer: DevIssuer) {
  const site = consoleSite({
    distDir: CONSOLE_DIST,
    config: () => ({
      authorizationEndpoint: AUTHORIZE_PATH,
      tokenEndpoint: TOKEN_PATH,
      clientId: DEV_CLIENT_ID,
      scope: 'openid email',
      apiBaseUrl: '',
    }),
  });
  const login = devIssuerLogin(issuer);
  // No `redirectUris`: the development issuer takes a loopback redirect on any port (RFC 8252 §7.3),
  // so the CLI lets the system pick a free one (Cognito in AWS needs the fixed ones).
  const cliSignIn: CliSignInDocument = {
    authorizationEndpoint: AUTHORIZE_PATH,
    tokenEndpoint: TOKEN_PATH,
    clientId: DEV_CLI_CLIENT_ID,
    scope: CLI_SCOPE,
  };
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path === CLI_SIGN_IN_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      const body = JSON.stringify(cliSignIn);
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    return (await site(req, res, path)) || (await login(req, res, path));
  };
}
