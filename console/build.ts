import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the console (`console/dist/`) with Vite when its sources are newer than the last build, so
 * `npm install` (the `prepare` script), `npm start` and a test run all serve the current code with no
 * extra step. A build goes to a fresh directory that then replaces `dist/`, so a server reading
 * `dist/` never sees a half-written build.
 */

const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(CONSOLE_DIR);
/** Where the built console lives. */
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
const STAMP = '.built';
/** What the build reads: the app, its config, the domain modules it imports, and the lock file. */
const SOURCES = [
  join(CONSOLE_DIR, 'src'),
  join(CONSOLE_DIR, 'index.html'),
  join(CONSOLE_DIR, 'public'),
  join(CONSOLE_DIR, 'vite.config.ts'),
  join(ROOT, 'shared'),
  join(ROOT, 'package-lock.json'),
];

/** Builds into `outDir` (default: a temporary directory that replaces `console/dist/`). */
export async function buildConsole(outDir?: string): Promise<string> {
  const { build } = await import('vite');
  const target = outDir ?? join(CONSOLE_DIR, `.dist-${process.pid}-${randomUUID().slice(0, 8)}`);
  await build({
    configFile: join(CONSOLE_DIR, 'vite.config.ts'),
    build: { outDir: target, emptyOutDir: true },
  });
  if (outDir) return outDir;
  await writeFile(join(target, STAMP), `${new Date().toISOString()}\n`);
  const old = `${CONSOLE_DIST}.old-${randomUUID().slice(0, 8)}`;
  try {
    if (existsSync(CONSOLE_DIST)) await rename(CONSOLE_DIST, old);
    await rename(target, CONSOLE_DIST);
  } catch (error) {
    // Another process built at the same moment and its build is in place: keep that one.
    if (!existsSync(join(CONSOLE_DIST, STAMP))) throw error;
    await rm(target, { recursive: true, force: true });
  }
  await rm(old, { recursive: true, force: true });
  return CONSOLE_DIST;
}

/** Builds the console unless `console/dist/` is newer than every source. Returns whether it built. */
export async function ensureConsoleBuilt(): Promise<boolean> {
  const built = await mtime(join(CONSOLE_DIST, STAMP));
  if (built !== undefined) {
    let newest = 0;
    for (const source of SOURCES) newest = Math.max(newest, await newestMtime(source));
    if (newest <= built) return false;
  }
  await buildConsole();
  return true;
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

// `tsx console/build.ts` (the `prepare` script): build now if stale.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureConsoleBuilt().then(
    (built) => console.log(built ? 'console: built console/dist/' : 'console: console/dist/ is up to date'),
    (error: unknown) => {
      console.error('console: the build failed:', error);
      process.exit(1);
    },
  );
}
