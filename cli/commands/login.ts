import { signInWithBrowser } from '../browser-sign-in.js';
import { answer, clientFor } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { checkUrl, saveCredentials } from '../config.js';
import { UsageError } from '../errors.js';
import { discoverSignIn } from '../sign-in-config.js';

const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const DEFAULT_URL = 'http://localhost:3000';

/**
 * `keygate login`: signs in and saves the URL and the token for later commands, after checking that
 * the API accepts the token. By default in the browser (authorization code with PKCE, a loopback
 * redirect), where the API's `/.well-known/keygate-cli.json` or `--issuer`/`--client-id` say;
 * `--company` fills in the development issuer's Company field (`login_hint`). `--token -` saves a
 * token piped on stdin (`--token <token>` too, with a warning: a command line is kept in shell history
 * and npm's logs); `--local` signs one with the development issuer's key in KEYGATE_DATA_DIR, no
 * browser. Without `--url` or KEYGATE_URL, the URL is that of the `npm start` running on
 * KEYGATE_DATA_DIR (`.keygate/local-stack.json`), else http://localhost:3000.
 */
export async function run({ options }: CommandInput): Promise<void> {
  const url = checkUrl(
    (options.url as string | undefined) ??
      process.env.KEYGATE_URL ??
      (await localGatewayUrl()) ??
      DEFAULT_URL,
  );
  const company = options.company as string | undefined;
  if (company !== undefined && !COMPANY_ID.test(company)) {
    throw new UsageError(`--company "${company}" is not a company id (letters, digits, . _ : @ -).`);
  }
  let token: string;
  if (options.token === '-') {
    token = await tokenFromStdin();
  } else if (typeof options.token === 'string') {
    token = options.token;
    process.stderr.write(
      'keygate: a token on the command line stays in your shell history (and, through npx, in npm\'s debug log); pipe it instead: printf %s "$TOKEN" | keygate login --token -\n',
    );
  } else if (options.local) {
    if (company === undefined) {
      throw new UsageError('--local needs --company <id>: keygate login --local --company demo.');
    }
    const { dataDirectory } = await import('../../local/local-environment.js');
    const { loadDevIssuer } = await import('../../local/dev-issuer.js');
    const issuer = await loadDevIssuer(dataDirectory());
    const email = options.email as string | undefined;
    token = await issuer.mintRootAdminToken({ companyId: company, ...(email ? { email } : {}) });
  } else {
    const config = await discoverSignIn({
      url,
      ...(typeof options.issuer === 'string' ? { issuer: options.issuer } : {}),
      ...(typeof options.clientId === 'string' ? { clientId: options.clientId } : {}),
    });
    token = await signInWithBrowser({
      config,
      ...(company !== undefined ? { loginHint: company } : {}),
      openBrowser: options.browser !== false,
      tell: (line) => process.stderr.write(`${line}\n`),
    });
  }
  // Checked before saving: a token the API refuses is not worth keeping.
  answer(await clientFor(url, token).GET('/v1/scopes'));
  const file = await saveCredentials({ url, token });
  process.stderr.write(`Logged in to ${url}; saved in ${file} (readable by you only).\n`);
}

/** The URL of the `npm start` running on this data directory (KEYGATE_DATA_DIR), when one runs. */
async function localGatewayUrl(): Promise<string | undefined> {
  const { dataDirectory, readLocalStackFile } = await import('../../local/local-environment.js');
  return (await readLocalStackFile(dataDirectory()))?.gatewayUrl;
}

/** `--token -`: the token piped on stdin, so that it is never part of a command line. */
async function tokenFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      '--token - reads the token from stdin: printf %s "$TOKEN" | keygate login --token -',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const token = Buffer.concat(chunks).toString('utf8').trim();
  if (token === '') throw new UsageError('--token -: nothing was piped on stdin.');
  return token;
}
