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
 * `--company` fills in the development issuer's Company field (`login_hint`). `--token` saves a
 * token given; `--local` signs one with the development issuer's key in KEYGATE_DATA_DIR, no browser.
 */
export async function run({ options }: CommandInput): Promise<void> {
  const url = checkUrl((options.url as string | undefined) ?? process.env.KEYGATE_URL ?? DEFAULT_URL);
  const company = options.company as string | undefined;
  if (company !== undefined && !COMPANY_ID.test(company)) {
    throw new UsageError(`--company "${company}" is not a company id (letters, digits, . _ : @ -).`);
  }
  let token: string;
  if (typeof options.token === 'string') {
    token = options.token;
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
