import { forgetCredentials } from '../config.js';

/** `keygate logout`: removes the saved credentials (KEYGATE_URL / KEYGATE_TOKEN are the shell's). */
export async function run(): Promise<void> {
  process.stderr.write(`Removed ${await forgetCredentials()}.\n`);
}
