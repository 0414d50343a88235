import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSite } from '../../../console/server/static-site.js';

let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'keygate-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(join(dist, '.built'), 'stamp');
  await writeFile(join(tmpdir(), 'keygate-outside.txt'), 'secret');
  const site = consoleSite({ distDir: dist, config: () => ({ clientId: 'keygate-console' }) });
  server = createServer((req, res) => {
    const path = new URL(`http://localhost${req.url ?? '/'}`).pathname;
    site(req, res, path).then((handled) => {
      if (!handled) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dist, { recursive: true, force: true });
  await rm(join(tmpdir(), 'keygate-outside.txt'), { force: true });
});

describe('console static site', () => {
  it('serves the app with a strict CSP, no HSTS over plain HTTP, HSTS behind HTTPS', async () => {
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const https = await fetch(`${base}/console/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8}/);
    const asset = await fetch(`${base}/console/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${base}/console/config.json`)).json()).toEqual({
      clientId: 'keygate-console',
    });
  });

  it("answers HEAD with no body and the GET's Content-Length, files and generated answers alike", async () => {
    for (const path of ['/console/', '/console/config.json', '/console/missing.js']) {
      const get = await fetch(`${base}${path}`);
      const bytes = (await get.arrayBuffer()).byteLength;
      const head = await fetch(`${base}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(get.status);
      expect(head.headers.get('content-length')).toBe(String(bytes));
      expect(await head.text()).toBe('');
    }
  });

  it('redirects /console to /console/, and leaves other paths to the API', async () => {
    const answer = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe('/console/');
    expect((await fetch(`${base}/v1/api-keys`)).status).toBe(418);
  });

  it('serves nothing outside the build, no dotfiles, and only GET and HEAD', async () => {
    for (const path of [
      '/console/..%2fkeygate-outside.txt',
      '/console/assets/..%2f..%2f..%2fkeygate-outside.txt',
      '/console/.built',
    ]) {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    }
    expect((await fetch(`${base}/console/`, { method: 'POST' })).status).toBe(405);
  });
});
