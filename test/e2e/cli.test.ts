import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { CLI_SIGN_IN_PATH, cliSignInDocumentSchema } from '../../shared/adapters/http/cli-sign-in.js';

/**
 * The `keygate` CLI as a user runs it: the built bin, spawned without a terminal against a running
 * `npm start` (its own data directory and ports), for every command, with its bad inputs: unknown
 * scope, bad duration, delete without `--yes`, a wrong token, an unreachable URL. Exit codes: 0 ok,
 * 1 the API refused, 2 bad usage.
 */

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'cli/bin/keygate.mjs');
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

let start: ChildProcess;
let startOutput = '';
let dataDir: string;
let configDir: string;
let url: string;

beforeAll(async () => {
  // The bin runs the bundle `npm install` builds; rebuild it so the test runs this commit's CLI.
  await run(process.execPath, [TSX_CLI, 'cli/build.ts'], { cwd: ROOT });
  dataDir = await mkdtemp(join(tmpdir(), 'keygate-cli-data-'));
  configDir = await mkdtemp(join(tmpdir(), 'keygate-cli-config-'));
  const port = await freePort();
  url = `http://localhost:${port}`;
  start = spawn(process.execPath, [TSX_CLI, 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KEYGATE_DATA_DIR: dataDir,
      PORT: String(port),
      SES_PORT: String(await freePort()),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [start.stdout, start.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      startOutput += chunk.toString();
    });
  }
  const deadline = Date.now() + 90_000;
  while (!startOutput.includes('KEY=$(')) {
    if (start.exitCode !== null) throw new Error(`npm start exited:\n${startOutput}`);
    if (Date.now() > deadline) throw new Error(`npm start did not get ready:\n${startOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 120_000);

afterAll(async () => {
  if (start?.pid !== undefined && start.exitCode === null) {
    process.kill(-start.pid, 'SIGTERM');
    await new Promise((resolve) => start.once('exit', resolve));
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(configDir, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `keygate …` with no terminal; `env` adds to (or, as '', clears) the CLI's variables; `input`,
 * when given, is piped to its stdin.
 */
async function keygate(args: string[], env: Record<string, string> = {}, input?: string): Promise<Result> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    KEYGATE_CONFIG_DIR: configDir,
    KEYGATE_DATA_DIR: dataDir,
  };
  delete childEnv.KEYGATE_URL;
  delete childEnv.KEYGATE_TOKEN;
  Object.assign(childEnv, env);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: childEnv, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Runs `keygate …` on a terminal (a pseudo-terminal from util-linux `script`) and types `reply` once
 * the CLI asks; returns everything the terminal showed.
 */
async function onTerminal(args: string[], reply: string): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, KEYGATE_CONFIG_DIR: configDir, KEYGATE_DATA_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let replied = false;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    if (!replied && screen.includes('[y/N]')) {
      replied = true;
      child.stdin.write(`${reply}\n`);
    }
  });
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (exitCode) => resolve(exitCode ?? 1)),
  );
  return { code, screen };
}

/** `keygate …` left running (no terminal), its stderr collected as it comes, for commands that wait. */
function startKeygate(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, KEYGATE_CONFIG_DIR: configDir, KEYGATE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  /** The first line of stderr matching `pattern`, once it is printed. */
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const match = pattern.exec(output.stderr);
      if (match) return match;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`keygate ${args.join(' ')} printed no ${pattern}:\n${output.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { output, exited, waitFor };
}

const unescapeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'",
  );

/**
 * A scripted browser on the development issuer's sign-in: opens the authorize URL, reads the form
 * (hidden fields and the Company field as filled in), signs in, and follows the redirect back to the
 * CLI's loopback port. Returns the Company the page showed and the CLI's answer page.
 */
async function browserSignIn(authorizeUrl: string): Promise<{ company: string; landing: Response }> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] as string;
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(
    /<input (?:type="hidden" )?(?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"/g,
  )) {
    fields.set(name as string, unescapeHtml(value as string));
  }
  const company = fields.get('company') as string;
  const signedIn = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  expect(signedIn.status).toBe(303);
  const back = signedIn.headers.get('location') as string;
  expect(back).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
  return { company, landing: await fetch(back) };
}

const tokenClaims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

const ok = (result: Result) => {
  expect(result.code, result.stderr).toBe(0);
  return result;
};

describe('keygate against npm start', () => {
  let keyId: string;
  let secret: string;

  it('has no credentials before login, and says how to get them (exit 2)', async () => {
    const result = await keygate(['keys', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('KEYGATE_URL and KEYGATE_TOKEN');
    expect(result.stderr).toContain('keygate login');
  });

  it('logs in with the local development issuer, saving the token for the user only', async () => {
    const result = ok(await keygate(['login', '--local', '--company', 'cli-co', '--url', url]));
    expect(result.stderr).toContain(`Logged in to ${url}`);
    const file = join(configDir, 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ url });
    const refused = await keygate(['login', '--local', '--url', url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--company');
    // Without --url, the URL of the npm start running on KEYGATE_DATA_DIR (not localhost:3000).
    expect(ok(await keygate(['login', '--local', '--company', 'cli-co'])).stderr).toContain(
      `Logged in to ${url}`,
    );
  });

  it('saves a token piped on stdin with --token -, and warns when one is given on the command line', async () => {
    const file = join(configDir, 'credentials.json');
    const { token } = JSON.parse(await readFile(file, 'utf8')) as { token: string };
    const piped = ok(await keygate(['login', '--url', url, '--token', '-'], {}, `${token}\n`));
    expect(piped.stderr).toContain(`Logged in to ${url}`);
    expect(piped.stderr).not.toContain('shell history');
    const inline = ok(await keygate(['login', '--url', url, '--token', token]));
    expect(inline.stderr).toContain('shell history');
    const nothing = await keygate(['login', '--url', url, '--token', '-'], {}, '');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing was piped');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ url, token });
  });

  it('serves where to sign in as the stack does: the shared document, JSON, never cached, any loopback port', async () => {
    const answer = await fetch(`${url}${CLI_SIGN_IN_PATH}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const text = await answer.text();
    const head = await fetch(`${url}${CLI_SIGN_IN_PATH}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(await head.text()).toBe('');
    const document = JSON.parse(text);
    expect(cliSignInDocumentSchema.parse(document)).toEqual({
      authorizationEndpoint: '/dev-issuer/authorize',
      tokenEndpoint: '/dev-issuer/token',
      clientId: 'keygate-cli',
      scope: 'openid email',
    });
  });

  it('logs in in the browser: PKCE, a loopback redirect, the company filled in, the token saved 0600', async () => {
    const login = startKeygate(['login', '--url', url, '--company', 'cli-co', '--no-browser']);
    const [authorizeUrl] = await login.waitFor(/http:\/\/\S+\/dev-issuer\/authorize\?\S+/);
    const sent = new URL(authorizeUrl).searchParams;
    expect(Object.fromEntries(sent)).toMatchObject({
      response_type: 'code',
      client_id: 'keygate-cli',
      code_challenge_method: 'S256',
      login_hint: 'cli-co',
    });
    expect(sent.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sent.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const { company, landing } = await browserSignIn(authorizeUrl);
    expect(company).toBe('cli-co');
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in to keygate');
    expect(await login.exited, login.output.stderr).toBe(0);
    expect(login.output.stderr).toContain(`Logged in to ${url}`);
    // --no-browser: it does not pretend to open one.
    expect(login.output.stderr).toContain('To sign in, open this URL in a browser:');
    const file = join(configDir, 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.url).toBe(url);
    expect(tokenClaims(saved.token)).toMatchObject({ 'custom:companyId': 'cli-co', token_use: 'id' });
    ok(await keygate(['keys', 'list']));
  });

  it('refuses a redirect with another state or an issuer error (exit 1), keeping the saved login', async () => {
    const file = join(configDir, 'credentials.json');
    const before = await readFile(file, 'utf8');
    const cases = [
      [(state: string) => ({ code: 'stolen', state: `${state}x` }), 'another state'],
      [
        (state: string) => ({ error: 'access_denied', error_description: 'no', state }),
        'the issuer refused: access_denied (no)',
      ],
    ] as const;
    for (const [query, message] of cases) {
      const login = startKeygate(['login', '--url', url, '--no-browser']);
      const [authorizeUrl] = await login.waitFor(/http:\/\/\S+\/dev-issuer\/authorize\?\S+/);
      const params = new URL(authorizeUrl).searchParams;
      const redirect = new URL(params.get('redirect_uri') as string);
      redirect.search = new URLSearchParams(query(params.get('state') as string)).toString();
      const landing = await fetch(redirect);
      expect(landing.status).toBe(400);
      expect(await login.exited).toBe(1);
      expect(login.output.stderr).toContain(message);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses bad login usage with exit 2', async () => {
    const cases = [
      [['login', '--url', url, '--issuer', 'https://issuer.example'], '--issuer and --client-id go together'],
      [['login', '--url', url, '--company', 'no spaces'], 'is not a company id'],
      [['login', '--url', 'ftp://x'], 'not an http(s) URL'],
    ] as const;
    for (const [args, message] of cases) {
      const result = await keygate([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
  });

  it('creates a key: the secret alone on stdout, the details and a warning on stderr, nothing on disk', async () => {
    const result = ok(
      await keygate([
        'keys',
        'create',
        '--name',
        'CLI key',
        '--scope',
        'messaging:read',
        '--scope',
        'apikeys:read',
        '--expires-in',
        '30d',
        '--allow-ip',
        '127.0.0.1',
        '--allow-ip',
        '::1',
      ]),
    );
    secret = result.stdout.trim();
    expect(result.stdout).toMatch(/^wsk-v1-[A-Za-z0-9]{93}\n$/);
    expect(result.stderr).toContain('only time the secret is shown');
    expect(result.stderr).toContain('CLI key');
    expect(result.stderr).not.toContain(secret);
    keyId = /id\s+(\S+)/.exec(result.stderr)?.[1] as string;
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    for (const dir of [configDir]) {
      for (const name of await readdir(dir)) {
        expect(await readFile(join(dir, name), 'utf8')).not.toContain(secret);
      }
    }
  });

  it('creates with --json (the secret in the document), and with --expires-at', async () => {
    const expiresAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const result = ok(
      await keygate([
        'keys',
        'create',
        '--name',
        'JSON key',
        '--scope',
        'users:read',
        '--expires-at',
        expiresAt,
        '--json',
      ]),
    );
    const created = JSON.parse(result.stdout);
    expect(created).toMatchObject({ name: 'JSON key', scopes: ['users:read'], expiresAt });
    expect(created.key).toMatch(/^wsk-v1-/);
    expect(result.stderr).toContain('only time the secret is shown');
  });

  it('lists keys as a table and as JSON, and gets one', async () => {
    const table = ok(await keygate(['keys', 'list']));
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+STATUS\s+PREFIX\s+SCOPES\s+EXPIRES\s+LAST USED$/,
    );
    expect(table.stdout).toContain('CLI key');
    expect(table.stdout).not.toContain(secret);
    const listed = JSON.parse(ok(await keygate(['keys', 'list', '--json'])).stdout);
    expect(listed.map((key: { name: string }) => key.name)).toEqual(['JSON key', 'CLI key']);
    const got = JSON.parse(ok(await keygate(['keys', 'get', keyId, '--json'])).stdout);
    expect(got).toMatchObject({ id: keyId, allowedIps: ['127.0.0.1/32', '::1/128'] });
    expect(got).not.toHaveProperty('key');
  });

  it('works with an API key as KEYGATE_TOKEN (here one holding apikeys:read)', async () => {
    const result = ok(await keygate(['keys', 'list', '--json'], { KEYGATE_URL: url, KEYGATE_TOKEN: secret }));
    expect(JSON.parse(result.stdout).length).toBeGreaterThanOrEqual(1);
    const refused = await keygate(['settings', 'notifications', 'get'], {
      KEYGATE_URL: url,
      KEYGATE_TOKEN: secret,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Forbidden (403)');
  });

  const createKey = async (name: string) =>
    JSON.parse(
      ok(await keygate(['keys', 'create', '--name', name, '--scope', 'apikeys:read', '--json'])).stdout,
    ) as {
      id: string;
      key: string;
    };
  const asKey = (secret: string) => ({ KEYGATE_URL: url, KEYGATE_TOKEN: secret });

  it('rotates a key: the new secret alone on stdout, the old key ended at once with --grace 0', async () => {
    const old = await createKey('To rotate');
    ok(await keygate(['keys', 'list', '--json'], asKey(old.key)));
    const result = ok(await keygate(['keys', 'rotate', old.id, '--grace', '0']));
    expect(result.stdout).toMatch(/^wsk-v1-[A-Za-z0-9]{93}\n$/);
    const fresh = result.stdout.trim();
    expect(result.stderr).toContain('only time the secret is shown');
    expect(result.stderr).toContain(`The old key ${old.id} stops working now.`);
    expect(result.stderr).toMatch(new RegExp(`rotated from\\s+${old.id}`));
    expect(result.stderr).not.toContain(fresh);
    const newId = /^id\s+(\S+)/m.exec(result.stderr)?.[1] as string;
    expect(JSON.parse(ok(await keygate(['keys', 'get', old.id, '--json'])).stdout)).toMatchObject({
      rotatedTo: newId,
      expired: true,
    });
    const refused = await keygate(['keys', 'list'], asKey(old.key));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Unauthorized (401)');
    ok(await keygate(['keys', 'list'], asKey(fresh)));
    // A key rotates once: its successor is the one to rotate.
    const again = await keygate(['keys', 'rotate', old.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('(409)');
  });

  it('rotates with the default grace (the old key still works) and --json; a bad --grace is refused', async () => {
    const old = await createKey('Graceful');
    const result = ok(await keygate(['keys', 'rotate', old.id, '--json']));
    const rotated = JSON.parse(result.stdout);
    expect(rotated).toMatchObject({ rotatedFrom: old.id, name: 'Graceful', scopes: ['apikeys:read'] });
    expect(rotated.key).toMatch(/^wsk-v1-/);
    expect(result.stderr).toContain('keeps working for the grace period (1 day)');
    ok(await keygate(['keys', 'list'], asKey(old.key)));
    ok(await keygate(['keys', 'list'], asKey(rotated.key)));
    const usage = await keygate(['keys', 'rotate', rotated.id, '--grace', '2 days']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--grace "2 days" is not a duration');
    const tooLong = await keygate(['keys', 'rotate', rotated.id, '--grace', '8d']);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain('/gracePeriodSeconds');
    expect(JSON.parse(ok(await keygate(['keys', 'get', rotated.id, '--json'])).stdout).rotatedTo).toBeNull();
  });

  it('disables a key (refused with 401, shown as disabled) and enables it again', async () => {
    const key = await createKey('Switched');
    const disabled = ok(await keygate(['keys', 'disable', key.id]));
    expect(disabled.stdout).toMatch(/^status\s+disabled$/m);
    const refused = await keygate(['keys', 'list'], asKey(key.key));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Unauthorized (401)');
    expect(ok(await keygate(['keys', 'list'])).stdout).toMatch(
      new RegExp(`^${key.id}\\s+Switched\\s+disabled\\s`, 'm'),
    );
    // Idempotent, as the API is.
    expect(JSON.parse(ok(await keygate(['keys', 'disable', key.id, '--json'])).stdout).enabled).toBe(false);
    const enabled = JSON.parse(ok(await keygate(['keys', 'enable', key.id, '--json'])).stdout);
    expect(enabled).toMatchObject({ id: key.id, enabled: true });
    ok(await keygate(['keys', 'list'], asKey(key.key)));
    const missing = await keygate(['keys', 'disable', '019a1b2c-3d4e-7f60-8a1b-2c3d4e5f6a7b']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Not Found (404)');
  });

  it('renames a key', async () => {
    const result = ok(await keygate(['keys', 'rename', keyId, '--name', 'CLI key (renamed)']));
    expect(result.stdout).toContain('CLI key (renamed)');
    const missing = await keygate(['keys', 'rename', keyId]);
    expect(missing.code).toBe(2);
  });

  it('refuses to delete without --yes when there is no terminal (exit 2), and the key stays', async () => {
    const result = await keygate(['keys', 'delete', keyId]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    ok(await keygate(['keys', 'get', keyId]));
  });

  it('asks on a terminal, naming the key: "n" keeps it, "y" deletes it', async () => {
    const created = JSON.parse(
      ok(await keygate(['keys', 'create', '--name', 'Asked about', '--scope', 'users:read', '--json']))
        .stdout,
    );
    const kept = await onTerminal(['keys', 'delete', created.id], 'n');
    expect(kept.screen).toContain(`Delete key "Asked about" (${created.id})?`);
    expect(kept.screen).toContain('Not deleted.');
    expect(kept.code).toBe(0);
    ok(await keygate(['keys', 'get', created.id]));
    const deleted = await onTerminal(['keys', 'delete', created.id], 'y');
    expect(deleted.screen).toContain(`Deleted ${created.id}.`);
    expect((await keygate(['keys', 'get', created.id])).code).toBe(1);
  });

  it('deletes with --yes; the key is then gone (404, exit 1)', async () => {
    ok(await keygate(['keys', 'delete', keyId, '--yes']));
    const gone = await keygate(['keys', 'get', keyId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Not Found (404)');
  });

  it('refuses an unknown scope with the API’s problem (exit 1), and creates nothing', async () => {
    const before = JSON.parse(ok(await keygate(['keys', 'list', '--json'])).stdout).length;
    const result = await keygate(['keys', 'create', '--name', 'x', '--scope', 'nope:read']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Bad Request (400)');
    expect(result.stderr).toContain('/scopes/0: unknown scope "nope:read"');
    expect(JSON.parse(ok(await keygate(['keys', 'list', '--json'])).stdout)).toHaveLength(before);
  });

  it('refuses bad usage with exit 2: a bad duration, both expiries, no scope, no name, an unknown command', async () => {
    const cases = [
      [
        ['keys', 'create', '--name', 'x', '--scope', 'messaging:read', '--expires-in', '30 days'],
        'not a duration',
      ],
      [
        [
          'keys',
          'create',
          '--name',
          'x',
          '--scope',
          'messaging:read',
          '--expires-in',
          '1d',
          '--expires-at',
          '2030-01-01T00:00:00Z',
        ],
        'not both',
      ],
      [['keys', 'create', '--name', 'x'], '--scope'],
      [['keys', 'create', '--scope', 'messaging:read'], '--name'],
      [['keys', 'lst'], 'unknown command'],
      [['keys', 'get'], 'missing required argument'],
      [['completion', 'fish'], 'bash or keygate completion zsh'],
      // No command at all: the usage, as an error.
      [[], 'Usage: keygate [options] [command]'],
      [['keys'], 'Usage: keygate keys [options] [command]'],
    ] as const;
    for (const [args, message] of cases) {
      const result = await keygate([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    // Help asked for is not an error, at any depth.
    const help = ok(await keygate(['help', 'keys', 'create']));
    expect(help.stdout).toContain('Usage: keygate keys create [options]');
  });

  it('lets the API judge the bounds: 400 for a lifetime over 365 days (exit 1)', async () => {
    const result = await keygate([
      'keys',
      'create',
      '--name',
      'x',
      '--scope',
      'messaging:read',
      '--expires-in',
      '400d',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/expiresIn');
  });

  it('lists scopes, filtered by --search', async () => {
    const all = JSON.parse(ok(await keygate(['scopes', 'list', '--json'])).stdout);
    const found = JSON.parse(ok(await keygate(['scopes', 'list', '--search', 'MESSAGING', '--json'])).stdout);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(all.length);
    for (const { scope, description } of found)
      expect(`${scope} ${description}`.toLowerCase()).toContain('messaging');
    expect(ok(await keygate(['scopes', 'list', '--search', 'messaging'])).stdout).toMatch(/^SCOPE\s+ACCESS/);
  });

  it('sets and gets the expiry email recipients; an invalid address is the API’s 400', async () => {
    ok(await keygate(['settings', 'notifications', 'set', 'sec@example.com', 'ops@example.com']));
    const got = JSON.parse(ok(await keygate(['settings', 'notifications', 'get', '--json'])).stdout);
    expect(got).toEqual({ emails: ['sec@example.com', 'ops@example.com'] });
    const bad = await keygate(['settings', 'notifications', 'set', 'not-an-address']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('/emails/0');
    // No address is a usage error (exit 2), not a silent "email nobody"; that takes --none.
    const none = await keygate(['settings', 'notifications', 'set']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--none');
    expect(JSON.parse(ok(await keygate(['settings', 'notifications', 'get', '--json'])).stdout)).toEqual(got);
    expect(ok(await keygate(['settings', 'notifications', 'set', '--none'])).stderr).toContain('Nobody');
    expect(JSON.parse(ok(await keygate(['settings', 'notifications', 'get', '--json'])).stdout)).toEqual({
      emails: [],
    });
    ok(await keygate(['settings', 'notifications', 'set', 'sec@example.com', 'ops@example.com']));
  });

  it('lists the audit log: a table of AT, ACTION, ACTOR, TARGET, filters by --key and --action, --limit', async () => {
    const table = ok(await keygate(['audit', 'list']));
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+ACTION\s+ACTOR\s+TARGET$/);
    // Newest first: the recipients were set last.
    expect(lines[1]).toMatch(/^\S+Z\s+notification-settings\.updated\s+\S+\s+-$/);
    expect(table.stdout).toContain('api-key.created');
    expect(table.stdout).toContain('api-key.rotated');
    expect(table.stdout).not.toContain(secret);

    const rotations = JSON.parse(
      ok(await keygate(['audit', 'list', '--action', 'api-key.rotated', '--json'])).stdout,
    );
    expect(rotations.length).toBeGreaterThanOrEqual(1);
    expect(rotations.every((event: { action: string }) => event.action === 'api-key.rotated')).toBe(true);

    const about = JSON.parse(ok(await keygate(['audit', 'list', '--key', keyId, '--json'])).stdout);
    expect(about.length).toBeGreaterThanOrEqual(2);
    for (const event of about as Array<{ target: { keyId: string } | null; actor: { keyId?: string } }>) {
      expect([event.target?.keyId, event.actor.keyId]).toContain(keyId);
    }
    const newest = JSON.parse(ok(await keygate(['audit', 'list', '--limit', '1', '--json'])).stdout);
    expect(newest).toHaveLength(1);

    const badAction = await keygate(['audit', 'list', '--action', 'api-key.exploded']);
    expect(badAction.code).toBe(1);
    expect(badAction.stderr).toContain('action');
    expect((await keygate(['audit', 'list', '--limit', '0'])).code).toBe(2);
  });

  it('says the token was refused (exit 1) and names an unreachable URL (exit 1)', async () => {
    const refused = await keygate(['keys', 'list'], { KEYGATE_URL: url, KEYGATE_TOKEN: 'not-a-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Unauthorized (401)');
    expect(refused.stderr).toContain('token was refused');
    const port = await freePort();
    const unreachable = await keygate(['keys', 'list'], {
      KEYGATE_URL: `http://127.0.0.1:${port}`,
      KEYGATE_TOKEN: 'x',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`Cannot reach keygate at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('prints bash and zsh completion for every command; the bash script completes', async () => {
    const bash = ok(await keygate(['completion', 'bash'])).stdout;
    const zsh = ok(await keygate(['completion', 'zsh'])).stdout;
    for (const word of [
      'keys',
      'create',
      'rename',
      'rotate',
      'disable',
      'enable',
      '--grace',
      'scopes',
      'notifications',
      'catalog',
      'check',
      'login',
      '--no-browser',
      '--expires-in',
      '--allow-ip',
      'audit',
      '--action',
    ]) {
      expect(bash).toContain(word);
      expect(zsh).toContain(word);
    }
    expect(zsh).toContain('compdef _keygate keygate');
    const { stdout } = await run('bash', [
      '-c',
      `${bash}\nCOMP_WORDS=(keygate keys cr); COMP_CWORD=2; _keygate; echo "\${COMPREPLY[@]}"\nCOMP_WORDS=(keygate keys create --ex); COMP_CWORD=3; _keygate; echo "\${COMPREPLY[@]}"`,
    ]);
    expect(stdout.split('\n').slice(0, 2)).toEqual(['create', '--expires-in --expires-at']);
  });

  it('shows help (exit 0) and logs out', async () => {
    const help = ok(await keygate(['--help']));
    expect(help.stdout).toContain('Usage: keygate');
    for (const command of [
      'login',
      'logout',
      'keys list',
      'keys get',
      'keys create',
      'keys rename',
      'keys delete',
      'keys rotate',
      'keys disable',
      'keys enable',
      'scopes list',
      'settings notifications get',
      'settings notifications set',
      'catalog check',
      'completion',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  keygate ${command} +\\S`, 'm'));
    }
    expect(ok(await keygate(['logout'])).stderr).toMatch(/^Removed .*credentials\.json\.$/m);
    expect((await keygate(['keys', 'list'])).code).toBe(2);
    // Once more: nothing to remove, and it says so.
    expect(ok(await keygate(['logout'])).stderr).toContain('Not logged in: there is no');
  });
});

describe('keygate catalog check (offline, the loader the stack uses)', () => {
  const write = async (name: string, text: string) => {
    const file = join(configDir, name);
    await writeFile(file, text);
    return file;
  };

  it('accepts the shipped catalogs together: a summary on stdout, exit 0', async () => {
    const result = ok(await keygate(['catalog', 'check', 'catalogs/pbx.json', 'catalogs/cloud.json']));
    expect(result.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+GROUP\s+ROUTES\s+SCOPES$/);
    expect(result.stdout).toMatch(/^trunks\s+pbx\s+\d+\s+\d+$/m);
    expect(result.stdout).toMatch(
      /^Valid: 113 routes in 17 namespaces and 1 group; keys may hold \d+ scopes\.$/m,
    );
    const json = JSON.parse(ok(await keygate(['catalog', 'check', 'catalogs/cloud.json', '--json'])).stdout);
    expect(json).toMatchObject({ valid: true, files: ['catalogs/cloud.json'], routes: 4, groups: [] });
    expect(json.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual([
      'company',
      'messaging',
      'users',
    ]);
    expect(json.scopes).toContain('messaging:read');
    expect(json.scopes).toContain('*:*');
  });

  it('accepts an OpenAPI 3.1 document in YAML', async () => {
    const file = await write(
      'shop.yaml',
      [
        'openapi: 3.1.0',
        'info: { title: Shop, version: "1" }',
        'x-keygate-namespace: shop',
        'paths:',
        '  /orders/{id}:',
        '    get: { operationId: GetOrder, responses: { "200": { description: OK } } }',
        '    delete: { operationId: CancelOrder, responses: { "204": { description: Gone } } }',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(ok(await keygate(['catalog', 'check', file, '--json'])).stdout);
    expect(json).toMatchObject({ valid: true, routes: 2, namespaces: [{ namespace: 'shop', routes: 2 }] });
    expect(json.namespaces[0].scopes).toEqual(['shop:*', 'shop:CancelOrder', 'shop:GetOrder', 'shop:read']);
  });

  it('refuses an invalid file with every error by file and place on stderr, exit 1', async () => {
    const file = await write(
      'bad.yaml',
      [
        'openapi: 3.1.0',
        'info: { title: Bad, version: "1" }',
        'x-keygate-namespace: shop',
        'paths:',
        '  /a/{b:',
        '    get: { responses: { "200": { description: OK } } }',
        '  /v1/api-keys:',
        '    get: { responses: { "200": { description: OK } } }',
        '',
      ].join('\n'),
    );
    const result = await keygate(['catalog', 'check', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: paths./a/{b: bad path template`);
    expect(result.stderr).toContain(
      `${file}: paths./v1/api-keys.get: GET /v1/api-keys clashes with keygate's own route`,
    );
    expect(result.stderr).toContain(`keygate: not a valid catalog: 2 errors in ${file}.`);
    const json = await keygate(['catalog', 'check', file, '--json']);
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document.valid).toBe(false);
    expect(document.errors.map((e: { at: string }) => e.at)).toEqual([
      'paths./a/{b',
      'paths./v1/api-keys.get',
    ]);
  });

  it('names a clash across files and the line of a syntax error', async () => {
    const one = await write(
      'one.json',
      JSON.stringify({ routes: [{ method: 'GET', path: '/x', namespace: 'x' }] }),
    );
    const two = await write(
      'two.json',
      JSON.stringify({ routes: [{ method: 'GET', path: '/x', namespace: 'y' }] }),
    );
    const clash = await keygate(['catalog', 'check', one, two]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`(see ${one}: /routes/0)`);
    const broken = await write('broken.json', '{\n  "routes": [\n    { "method": "GET", }\n');
    const syntax = await keygate(['catalog', 'check', broken]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(new RegExp(`${broken}: line \\d+, column \\d+: `));
  });

  it('is bad usage (exit 2) without a file, or with one that cannot be read', async () => {
    const none = await keygate(['catalog', 'check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('missing required argument');
    const missing = await keygate(['catalog', 'check', join(configDir, 'absent.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.json: no such file');
  });
});
