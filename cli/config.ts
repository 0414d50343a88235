import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Where the CLI finds the API and its credentials: `KEYGATE_URL` and `KEYGATE_TOKEN` (a root-admin
 * token or an API key) win; otherwise what `keygate login` saved in `~/.config/keygate/credentials.json`
 * (`$XDG_CONFIG_HOME`, or `KEYGATE_CONFIG_DIR`), readable by the user only. API key secrets that
 * `keys create` prints are never written there or anywhere else.
 */

export interface Credentials {
  url: string;
  token: string;
}

export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYGATE_CONFIG_DIR) return env.KEYGATE_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'keygate');
}

const credentialsFile = (env: NodeJS.ProcessEnv) => join(configDirectory(env), 'credentials.json');

/** The URL and token to call the API with; a usage error saying how to provide them when missing. */
export async function loadCredentials(env: NodeJS.ProcessEnv = process.env): Promise<Credentials> {
  let saved: Partial<Credentials> = {};
  try {
    saved = JSON.parse(await readFile(credentialsFile(env), 'utf8')) as Partial<Credentials>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`${credentialsFile(env)} is unreadable: run keygate logout, then keygate login.`);
    }
  }
  const url = env.KEYGATE_URL || saved.url;
  const token = env.KEYGATE_TOKEN || saved.token;
  if (!url || !token) {
    throw new UsageError(
      'No credentials: set KEYGATE_URL and KEYGATE_TOKEN (a root-admin token or an API key), or run keygate login.',
    );
  }
  return { url: checkUrl(url), token };
}

/** A usable base URL (http or https), without a trailing slash. */
export function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a URL; KEYGATE_URL looks like http://localhost:3000.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`"${url}" is not an http(s) URL.`);
  }
  return parsed.href.replace(/\/+$/, '');
}

export async function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env) {
  const dir = configDirectory(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = credentialsFile(env);
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

export async function forgetCredentials(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ file: string; removed: boolean }> {
  const file = credentialsFile(env);
  try {
    await rm(file);
    return { file, removed: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, removed: false };
    throw error;
  }
}
