import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { DeploymentSettings } from '../functions/registry.js';

/**
 * The local development OIDC issuer: what Cognito is in AWS. It signs root-admin ID tokens with an
 * RS256 key created on first use and kept in `<dataDir>/dev-issuer.json` (mode 0600), so tokens
 * minted by `npm run token` verify against the JWKS `npm start` serves, across restarts.
 */

export const DEV_ISSUER = 'https://keygate.local/dev-issuer';
export const DEV_AUDIENCE = 'keygate-local';
export const DEV_COMPANY_CLAIM = 'custom:companyId';
export const DEV_GROUPS_CLAIM = 'cognito:groups';
export const DEV_ROOT_ADMIN_GROUP = 'root-admins';
/** Where `npm start` serves the issuer's public keys. */
export const JWKS_PATH = '/.well-known/jwks.json';

const KEY_FILE = 'dev-issuer.json';
const DEFAULT_TTL_SECONDS = 12 * 60 * 60;

export interface JsonWebKeySet {
  keys: JWK[];
}

export interface DevIssuer {
  /** The public keys, served at `/.well-known/jwks.json`. */
  jwks(): JsonWebKeySet;
  /** Signs an ID token that makes its bearer a root admin of `companyId` (default lifetime 12 h). */
  mintRootAdminToken(claims: { companyId: string; email?: string; ttlSeconds?: number }): Promise<string>;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Loads the issuer's key from `dataDir`, creating the key (and the directory) on first use. */
export async function loadDevIssuer(dataDir: string): Promise<DevIssuer> {
  const stored = await loadOrCreateKey(dataDir);
  const privateKey = await importJWK(stored.privateJwk, 'RS256');
  const publicJwk: JWK = { ...stored.publicJwk, kid: stored.kid, alg: 'RS256', use: 'sig' };
  return {
    jwks: () => ({ keys: [publicJwk] }),
    async mintRootAdminToken({ companyId, email = 'admin@example.com', ttlSeconds = DEFAULT_TTL_SECONDS }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        email,
        [DEV_COMPANY_CLAIM]: companyId,
        [DEV_GROUPS_CLAIM]: [DEV_ROOT_ADMIN_GROUP],
        token_use: 'id',
      })
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid, typ: 'JWT' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(subjectFor(companyId, email))
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(privateKey);
    },
  };
}

/** The authorizer's OIDC settings for the development issuer, its JWKS served by the gateway at `gatewayUrl`. */
export function devIssuerIdentity(gatewayUrl: string): DeploymentSettings['identity'] {
  return {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    jwksUri: new URL(JWKS_PATH, gatewayUrl).href,
    companyClaim: DEV_COMPANY_CLAIM,
    groupsClaim: DEV_GROUPS_CLAIM,
    rootAdminGroup: DEV_ROOT_ADMIN_GROUP,
    // It mints ID tokens as Cognito does, so the authorizer checks `token_use` locally as in AWS.
    tokenUse: 'id',
  };
}

/** A stable subject per company and email, shaped like Cognito's (a UUID). */
function subjectFor(companyId: string, email: string): string {
  const hex = createHash('sha256').update(`${companyId}\n${email}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

async function loadOrCreateKey(dataDir: string): Promise<StoredKey> {
  const file = join(dataDir, KEY_FILE);
  const existing = await readKey(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const created: StoredKey = {
    kid: randomUUID(),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  // Written whole to a private temporary file, then linked into place: link() fails if the key file
  // exists, so when `npm start` and `npm run token` race on first use one key wins and both use it.
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(created, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKey(file);
    if (!winner) throw new Error(`${file} exists but holds no issuer key`);
    return winner;
  } finally {
    await unlink(temporary);
  }
  return created;
}

async function readKey(file: string): Promise<StoredKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StoredKey>;
  if (typeof parsed.kid !== 'string' || !parsed.privateJwk || !parsed.publicJwk) {
    throw new Error(`${file} is not a development issuer key file: delete it to create a new key`);
  }
  return parsed as StoredKey;
}
