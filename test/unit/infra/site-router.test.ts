import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { managementPathPatterns } from '../../../infra/cloudfront/management-paths.js';
import { CATALOG } from '../../support/catalog.js';

interface CloudFrontRequest {
  uri: string;
}
type Answer = CloudFrontRequest | { statusCode: number; headers?: Record<string, { value: string }> };

/** The CloudFront Function's file, run as CloudFront runs it: a script defining `handler`. */
const handler = new Function(
  `${readFileSync(new URL('../../../infra/cloudfront/site-router.js', import.meta.url), 'utf8')}\nreturn handler;`,
)() as (event: { request: CloudFrontRequest }) => Answer;

const route = (uri: string) => handler({ request: { uri } });

describe('the console origin router (CloudFront Function)', () => {
  it('sends / and /console to the console, with a permanent redirect that keeps the method', () => {
    for (const uri of ['/', '/console']) {
      expect(route(uri)).toEqual({
        statusCode: 308,
        statusDescription: 'Permanent Redirect',
        headers: { location: { value: '/console/' } },
      });
    }
  });

  it('maps the console directory to its index.html and leaves its files alone', () => {
    expect(route('/console/')).toEqual({ uri: '/console/index.html' });
    expect(route('/console/config.json')).toEqual({ uri: '/console/config.json' });
    expect(route('/console/assets/index-abc123.js')).toEqual({ uri: '/console/assets/index-abc123.js' });
  });

  it('serves /docs and /v1/openapi.json from the objects the docs deployment writes', () => {
    expect(route('/docs')).toEqual({ uri: '/docs/index.html' });
    expect(route('/docs/')).toEqual({ uri: '/docs/index.html' });
    expect(route('/docs/redoc.standalone.js')).toEqual({ uri: '/docs/redoc.standalone.js' });
    expect(route('/v1/openapi.json')).toEqual({ uri: '/docs/openapi.json' });
  });

  it('answers 404 itself for everything else, so no other key of the bucket is ever asked for', () => {
    for (const uri of ['/index.html', '/consolex', '/docsx', '/v1/openapi.yaml', '/console.json', '/x/']) {
      expect(route(uri)).toMatchObject({ statusCode: 404 });
    }
  });
});

describe('management path patterns', () => {
  const patterns = managementPathPatterns(CATALOG);
  /** CloudFront's pattern match: `*` is any run of characters, the rest literal, case-sensitive. */
  const matches = (pattern: string, path: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path);
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'abc');

  it('covers every management route of the catalog and no protected route', () => {
    for (const r of CATALOG.routes) {
      const routed = patterns.some((pattern) => matches(pattern, concrete(r.path)));
      expect(routed, `${r.method} ${r.path}`).toBe(r.kind === 'management');
    }
  });

  it('is each static prefix exactly and below it, once, without the docs paths', () => {
    expect(patterns).toEqual(expect.arrayContaining(['/v1/api-keys', '/v1/api-keys/*', '/v1/scopes']));
    expect(new Set(patterns).size).toBe(patterns.length);
    // Not `/v1/*`: a company route under /v1 of a custom catalog would pass through the console origin.
    expect(patterns).not.toContain('/v1/*');
    expect(patterns.some((pattern) => matches(pattern, '/v1/openapi.json'))).toBe(false);
  });
});
