/**
 * `npm run build:cli` (and `npm install`, through `prepare`): bundles the CLI with esbuild into
 * `cli/dist/`, split per command so `keygate --help` loads the parser and the table only.
 */
import { build } from 'esbuild';

await build({
  entryPoints: { keygate: new URL('main.ts', import.meta.url).pathname },
  outdir: new URL('dist/', import.meta.url).pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // Node's CommonJS interop needs `require` in an ESM bundle of CommonJS packages (commander, jose).
  banner: {
    js: "import { createRequire as __keygateRequire } from 'node:module'; const require = __keygateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
