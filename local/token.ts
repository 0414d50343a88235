/**
 * `npm run token -- --company <id> [--email <address>]`: prints a root-admin token for a company,
 * signed by the local development issuer whose key lives in the data directory (KEYGATE_DATA_DIR),
 * so it works against a running `npm start`. Prints only the token, for `TOKEN=$(npm run -s token …)`.
 */
import { parseArgs } from 'node:util';
import { loadDevIssuer } from './dev-issuer.js';
import { dataDirectory } from './local-environment.js';

const USAGE = 'usage: npm run token -- --company <id> [--email <address>]';
/** The company ids the authorizer accepts from a token's claim. */
const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { company?: string; email?: string };
  try {
    ({ values } = parseArgs({
      options: { company: { type: 'string' }, email: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const { company, email } = values;
  if (company === undefined) usage('--company is required.');
  if (!COMPANY_ID.test(company))
    usage(`--company "${company}" is not a company id (letters, digits, . _ : @ -).`);
  if (email !== undefined && !EMAIL.test(email)) usage(`--email "${email}" is not an email address.`);
  const issuer = await loadDevIssuer(dataDirectory());
  const token = await issuer.mintRootAdminToken({
    companyId: company,
    ...(email === undefined ? {} : { email }),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error('could not mint a token:', error instanceof Error ? error.message : error);
  process.exit(1);
});
