import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's build: a static site served under `/console/` (by local mode, and in AWS from the
 * same path). Nothing is inlined as a data: URI and no module-preload polyfill is injected, so the
 * strict Content-Security-Policy (`script-src 'self'`, no `data:`) holds for every byte it ships.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
