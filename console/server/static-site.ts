import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { consoleSecurityHeaders } from '../security-headers.js';

/**
 * Serves the built console under `/console/` from `distDir`, with the console's security headers on
 * every answer, and `/console/config.json` (where the console signs in) from `config`. Only GET and
 * HEAD; no directory listings; nothing outside `distDir`. Returns false for paths it does not own.
 */

export const CONSOLE_PATH = '/console/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticSiteOptions {
  distDir: string;
  /** The body of `/console/config.json`. */
  config: () => unknown;
}

export function consoleSite(options: StaticSiteOptions) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path !== '/console' && !path.startsWith(CONSOLE_PATH)) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const https = req.headers['x-forwarded-proto'] === 'https';
    const headers = consoleSecurityHeaders({ https });
    // HEAD gets no body, but the Content-Length the GET's has (RFC 9110 §9.3.2).
    const send = (status: number, extra: Record<string, string>, body = '') => {
      res.writeHead(status, { ...headers, ...extra, 'content-length': String(Buffer.byteLength(body)) });
      res.end(method === 'HEAD' ? undefined : body);
    };
    if (method !== 'GET' && method !== 'HEAD') {
      send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n');
      return true;
    }
    if (path === '/console') {
      send(308, { location: CONSOLE_PATH });
      return true;
    }
    if (path === `${CONSOLE_PATH}config.json`) {
      send(
        200,
        { 'content-type': TYPES['.json'] as string, 'cache-control': 'no-store' },
        JSON.stringify(options.config()),
      );
      return true;
    }
    const relative = path === CONSOLE_PATH ? 'index.html' : safeRelative(path.slice(CONSOLE_PATH.length));
    const file = relative === undefined ? undefined : join(options.distDir, relative);
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile() || relative?.startsWith('.')) {
      const missing = info === undefined && relative === 'index.html';
      send(
        missing ? 503 : 404,
        { 'content-type': 'text/plain; charset=utf-8' },
        missing ? 'The console is not built: run npm install (or restart npm start).\n' : 'Not Found\n',
      );
      return true;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      // Hashed asset names never change content; the page itself is always checked again.
      'cache-control': relative?.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}

/** A request path below `/console/` as a relative file path, or undefined if it would leave the directory. */
function safeRelative(raw: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const normalised = normalize(decoded);
  if (normalised.startsWith('..') || normalised.startsWith(sep) || normalised.split(sep).includes('..'))
    return undefined;
  return normalised;
}
