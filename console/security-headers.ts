/**
 * The console's response headers, wherever it is served (local mode's gateway, and in AWS the CDN's
 * response headers policy): a strict Content-Security-Policy — scripts, styles and API calls from the
 * console's own origin only, no inline script, no third-party origin, no framing — and HSTS where
 * the console is served over HTTPS (a browser ignores it over plain HTTP, so local mode omits it).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, with subdomains: what the HSTS preload list asks for. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** The headers on every console response; `https` adds HSTS. */
export function consoleSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    ...(options.https ? { 'strict-transport-security': HSTS } : {}),
  };
}
