import { answer, clientFor } from '../client.js';
import type { CommandInput } from '../command-table.js';
import { checkUrl, saveCredentials } from '../config.js';
import { UsageError } from '../errors.js';

const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/**
 * `keygate login`: saves a URL and a token for later commands, after checking that the API accepts
 * the token. `--local` signs a root-admin token for `--company` with the development issuer of
 * `npm start` (its key in KEYGATE_DATA_DIR, default `.keygate/`); `--token` saves a token given.
 * Browser sign-in (Cognito/OIDC with PKCE) is not built yet: it says so and how to log in instead.
 */
export async function run({ options }: CommandInput): Promise<void> {
  const local = await import('../../local/local-environment.js');
  const url = checkUrl((options.url as string | undefined) ?? `http://localhost:${local.DEFAULT_PORT}`);
  let token: string;
  if (options.local) {
    const company = options.company as string | undefined;
    if (company === undefined)
      throw new UsageError('--local needs --company <id>: keygate login --local --company demo.');
    if (!COMPANY_ID.test(company))
      throw new UsageError(`--company "${company}" is not a company id (letters, digits, . _ : @ -).`);
    const { loadDevIssuer } = await import('../../local/dev-issuer.js');
    const issuer = await loadDevIssuer(local.dataDirectory());
    const email = options.email as string | undefined;
    token = await issuer.mintRootAdminToken({ companyId: company, ...(email ? { email } : {}) });
  } else if (typeof options.token === 'string') {
    token = options.token;
  } else {
    throw new UsageError(
      'browser sign-in (Cognito/OIDC) is not built yet. Use keygate login --local --company <id> with npm start, or keygate login --url <url> --token <ID token or API key>, or set KEYGATE_URL and KEYGATE_TOKEN.',
    );
  }
  // Checked before saving: a token the API refuses is not worth keeping.
  const client = clientFor(url, token);
  answer(await client.GET('/v1/scopes'));
  const file = await saveCredentials({ url, token });
  process.stderr.write(`Logged in to ${url}; saved in ${file} (readable by you only).\n`);
}
