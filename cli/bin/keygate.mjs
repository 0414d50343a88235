#!/usr/bin/env node
// The `keygate` command: runs the CLI bundle that `npm install` (the prepare script) builds.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/keygate.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('keygate: the CLI is not built; run npm install (or npm run build:cli) first.\n');
  process.exit(2);
}
const { main } = await import(bundle.href);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`keygate: unexpected failure: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
