import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../../console/build.js';
import { consoleSite } from '../../console/server/static-site.js';

/**
 * The built console on a loopback server with a stand-in for everything it talks to: a sign-in issuer
 * on the same origin (authorize redirects straight back with a code, token returns an ID token) and
 * whatever management routes a test gives as `routes`. For console tests of API behaviour the real
 * one does not have yet, or cannot easily be made to answer (a 404, a 403).
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorized: boolean;
}

export type FakeRoute = (request: FakeRequest) => { status: number; body: unknown } | undefined;

export interface FakeConsole {
  consoleUrl: string;
  /** Every API request the console made, in order. */
  requests: FakeRequest[];
  close(): Promise<void>;
}

const base64Url = (text: string) => Buffer.from(text).toString('base64url');

/** Starts the server on a free loopback port; `routes` answers API paths (undefined: 404). */
export async function startFakeConsole(routes: FakeRoute, company = 'acme'): Promise<FakeConsole> {
  await ensureConsoleBuilt();
  const requests: FakeRequest[] = [];
  let origin = '';
  const token = `${base64Url('{"alg":"RS256"}')}.${base64Url(
    JSON.stringify({
      sub: 'admin-1',
      email: `root@${company}.test`,
      'custom:companyId': company,
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
  )}.c2ln`;
  const site = consoleSite({
    distDir: CONSOLE_DIST,
    config: () => ({
      authorizationEndpoint: `${origin}/oauth2/authorize`,
      tokenEndpoint: `${origin}/oauth2/token`,
      clientId: 'console',
      scope: 'openid email',
      apiBaseUrl: '',
    }),
  });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/oauth2/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? origin);
      back.search = new URLSearchParams({
        code: randomUUID(),
        state: url.searchParams.get('state') ?? '',
      }).toString();
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/oauth2/token') {
      req.resume();
      req.on('end', () => json(res, 200, { id_token: token, expires_in: 3600, token_type: 'Bearer' }));
      return;
    }
    if (url.pathname.startsWith('/v1/')) {
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        authorized: req.headers.authorization === `Bearer ${token}`,
      };
      requests.push(request);
      if (!request.authorized) return json(res, 401, { status: 401, title: 'Unauthorized' });
      const answer = routes(request);
      if (answer === undefined) return json(res, 404, { status: 404, title: 'Not Found' });
      return json(res, answer.status, answer.body);
    }
    site(req, res, url.pathname).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    consoleUrl: `${origin}/console/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
