import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RouteCatalog } from '../../../domain/catalog/route-catalog.js';
import { renderOpenApiDocument } from './render-openapi-document.js';

/**
 * What `GET /v1/openapi.json` and `GET /docs` serve, without credentials: the document, and a reference
 * page rendered in the browser by Redoc from assets served beside it — no CDN, so it works offline
 * and on a private network. The page's CSP allows only this origin (Redoc injects its styles inline).
 */

export const OPENAPI_PATH = '/v1/openapi.json';
export const DOCS_PATH = '/docs';
export const REDOC_ASSET_PATH = '/docs/redoc.standalone.js';

/** Only this origin; inline styles for Redoc's styled-components; its search worker runs from a blob. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface DocsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>keygate management API</title>
  </head>
  <body>
    <redoc spec-url="${OPENAPI_PATH}" hide-download-button="false"></redoc>
    <script src="${REDOC_ASSET_PATH}"></script>
  </body>
</html>
`;

/**
 * Redoc's footer shows a logo fetched from Redocly's CDN, hard-coded in the bundle. Pointed at an
 * empty `data:` image instead, the page never reaches outside; the logo hides itself on the error,
 * as it does offline. The e2e test in Chromium fails should a new Redoc fetch anything else.
 */
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

let redocBundle: string | undefined;
/** Redoc's standalone bundle from its npm package, read once. */
function redocAsset(): string {
  if (redocBundle === undefined) {
    const bundle = readFileSync(
      createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'),
      'utf8',
    );
    redocBundle = bundle.replaceAll(REDOC_CDN_LOGO, 'data:,');
  }
  return redocBundle;
}

const COMMON = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;

/** The answer to a docs request, or undefined when `method path` is not one. */
export function docsAnswer(catalog: RouteCatalog, method: string, path: string): DocsAnswer | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const normalised = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  switch (normalised) {
    case OPENAPI_PATH:
      return {
        status: 200,
        headers: { ...COMMON, 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
        body: renderOpenApiDocument(catalog),
      };
    case DOCS_PATH:
      return {
        status: 200,
        headers: {
          ...COMMON,
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': DOCS_CSP,
        },
        body: DOCS_PAGE,
      };
    case REDOC_ASSET_PATH:
      return {
        status: 200,
        headers: { ...COMMON, 'Content-Type': 'text/javascript; charset=utf-8' },
        body: redocAsset(),
      };
    default:
      return undefined;
  }
}
