import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export const ISSUER = 'https://issuer.keygate.test/pool-1';
export const AUDIENCE = 'keygate-console';
export const COMPANY_CLAIM = 'custom:companyId';
export const GROUPS_CLAIM = 'cognito:groups';
export const ROOT_ADMIN_GROUP = 'root-admins';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * A tiny OIDC issuer for tests: an RS256 key pair and its JWKS served over http on 127.0.0.1
 * (an ephemeral port). `mode` switches the JWKS endpoint to failing answers; `hits` counts fetches.
 */
export interface TestIssuer {
  jwksUri: string;
  hits: number;
  mode: 'ok' | 'error-500' | 'garbage';
  /** Signs a token with the issuer's key; claims and header fields override the valid defaults. */
  mint(
    claims?: JWTPayload,
    options?: {
      kid?: string;
      key?: SigningKey;
      /** An expiry (jose's forms), or `null` for a token without `exp`. */
      expiresIn?: string | number | null;
      /** `iat` in seconds; by default now. */
      issuedAt?: number;
      /** Extra protected-header parameters (e.g. `crit`); jose is told it understands the critical ones. */
      header?: Record<string, unknown>;
    },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = 'test-key-1';
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const issuer: Omit<TestIssuer, 'jwksUri' | 'close'> = {
    hits: 0,
    mode: 'ok',
    async mint(claims = {}, options = {}) {
      const jwt = new SignJWT({
        [COMPANY_CLAIM]: 'acme',
        [GROUPS_CLAIM]: [ROOT_ADMIN_GROUP],
        email: 'root@acme.test',
        token_use: 'id',
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT', ...options.header })
        .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
        .setAudience(claims.aud ?? AUDIENCE)
        .setSubject(typeof claims.sub === 'string' ? claims.sub : 'admin-1')
        .setIssuedAt(options.issuedAt);
      if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '1h');
      const critical = options.header?.crit;
      const crit = Array.isArray(critical)
        ? Object.fromEntries(critical.map((name) => [String(name), true]))
        : undefined;
      return jwt.sign(options.key ?? privateKey, crit ? { crit } : {});
    },
  };
  const server: Server = createServer((req, res) => {
    issuer.hits += 1;
    if (req.url !== '/jwks.json' || issuer.mode === 'error-500') {
      res.writeHead(req.url === '/jwks.json' ? 500 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(issuer.mode === 'garbage' ? '{"not":"a jwks"' : JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(issuer as TestIssuer, {
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A URL on 127.0.0.1 where nothing listens (a port that was just freed). */
export async function closedPortUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

export { generateKeyPair };
