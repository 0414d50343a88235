import type { BuildOptions } from 'esbuild';

/**
 * How the CLI is bundled (`cli/dist/`): split per command, so `keygate --help` loads the parser and
 * the command table only and each command's module loads when it runs.
 */
export const CLI_BUILD_OPTIONS = {
  entryPoints: { keygate: new URL('main.ts', import.meta.url).pathname },
  outdir: new URL('dist/', import.meta.url).pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // An ESM bundle of CommonJS packages (commander) needs `require`, which Node's ESM scope lacks.
  banner: {
    js: "import { createRequire as __keygateRequire } from 'node:module'; const require = __keygateRequire(import.meta.url);",
  },
  logLevel: 'warning',
} satisfies BuildOptions;
