import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_DIST } from '../console/build.js';
import { consoleSite } from '../console/server/static-site.js';
import type { DevIssuer } from './dev-issuer.js';
import { AUTHORIZE_PATH, DEV_CLIENT_ID, devIssuerLogin, TOKEN_PATH } from './dev-issuer-login.js';

/**
 * What local mode serves beside the API on the gateway's port: the web console at `/console/`
 * (signing in with the development issuer) and the issuer's sign-in endpoints.
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
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> =>
    (await site(req, res, path)) || (await login(req, res, path));
}
