/** `npm run build:cli` (and `npm install`, through `prepare`): bundles the CLI into `cli/dist/`. */
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { CLI_BUILD_OPTIONS } from './build-options.js';

// Stale chunks of an earlier build would only take space; the entry names the current ones.
await rm(CLI_BUILD_OPTIONS.outdir, { recursive: true, force: true });
await build(CLI_BUILD_OPTIONS);
