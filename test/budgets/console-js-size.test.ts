import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.js';

/**
 * The web console's JavaScript budget: at most 150 KB gzipped, all of it, measured on a fresh
 * production build of the current sources (not whatever `console/dist/` holds).
 */

const BUDGET_BYTES = 150 * 1024;
let outDir: string | undefined;

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function files(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) found.push(...(await files(path)));
    else found.push(path);
  }
  return found;
}

describe('console bundle', () => {
  it('ships at most 150 KB of gzipped JavaScript, and nothing inline in its page', async () => {
    outDir = await buildConsole(await mkdtemp(join(tmpdir(), 'keygate-console-build-')));
    const all = await files(outDir);
    const scripts = all.filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const file of scripts) gzipped += gzipSync(await readFile(file), { level: 9 }).length;
    console.log(`console JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    // The CSP allows scripts from the console's origin only: the page itself must carry none inline.
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    expect(
      html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/console\/assets\/[^"]+\.js"/.test(tag)),
    ).toBe(true);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\sstyle="/);
  }, 120_000);
});
