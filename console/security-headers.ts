/**
 * The console's response headers, wherever it is served (local mode's gateway, and in AWS the CDN's
 * response headers policy): a strict Content-Security-Policy — scripts, styles and API calls from the
 * console's own origin only, no inline script, no third-party origin, no framing — and HSTS where
 * the console is served over HTTPS (a browser ignores it over plain HTTP, so local mode omits it).
 */

/**
 * The console's CSP. `connectSources` adds what the console must call besides its own origin: in AWS
 * the identity provider's token endpoint (the code is redeemed from the page), named exactly.
 */
export function consoleCsp(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP local mode serves: the development issuer's endpoints are on the console's origin. */
export const CONSOLE_CSP = consoleCsp();

/** Two years, with subdomains: what the HSTS preload list asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;
export const HSTS = `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;

/** Headers beside the CSP on every console response, in local mode and from the CDN alike. */
export const CONSOLE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
} as const;

/** The headers on every console response; `https` adds HSTS. */
export function consoleSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'content-security-policy': CONSOLE_CSP,
    ...CONSOLE_HEADERS,
    ...(options.https ? { 'strict-transport-security': HSTS } : {}),
  };
}
