import { forgetCredentials } from '../config.js';

/** `keygate logout`: removes the saved credentials (KEYGATE_URL / KEYGATE_TOKEN are the shell's). */
export async function run(): Promise<void> {
  const { file, removed } = await forgetCredentials();
  process.stderr.write(removed ? `Removed ${file}.\n` : `Not logged in: there is no ${file}.\n`);
}
