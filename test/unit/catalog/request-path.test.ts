import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRequest } from '../../../shared/domain/catalog/match-request.js';
import { checkRequestPath } from '../../../shared/domain/catalog/request-path.js';
import { RouteCatalog } from '../../../shared/domain/catalog/route-catalog.js';
import { scopesCoverRoute } from '../../../shared/domain/scopes/scope-coverage.js';
import { CATALOG } from '../../support/catalog.js';

const reason = (path: string) => {
  const check = checkRequestPath(path);
  return check.ok ? 'ok' : check.reason;
};

/** A catalog where a parameter at the end would catch anything a dot or slash trick produced. */
const CATCH_ALL = new RouteCatalog(
  ['/a/{x}', '/a/{x}/{y}', '/a/{x}/{y}/{z}', '/{x}', '/{x}/{y}', '/{x}/{y}/{z}', '/a/secret'].map(
    (path, i) => ({
      id: `GET ${path}`,
      method: 'GET' as const,
      path,
      namespace: `ns${i}`,
      access: 'read' as const,
      kind: 'protected' as const,
      auth: 'scoped' as const,
    }),
  ),
);

describe('request path safety', () => {
  it.each([
    ['/a/b', 'ok'],
    ['/a/b/', 'ok'],
    ['/', 'ok'],
    ['/a/caf%C3%A9/%20x%3B%25', 'ok'],
    ['a/b', 'not-absolute'],
    ['/a//b', 'empty-segment'],
    ['//a', 'empty-segment'],
    ['/a//', 'empty-segment'],
    ['/a/./b', 'dot-segment'],
    ['/a/../b', 'dot-segment'],
    ['/a/..', 'dot-segment'],
    ['/a/%2e%2e/b', 'dot-segment'],
    ['/a/.%2E/b', 'dot-segment'],
    ['/a/%2E', 'dot-segment'],
    ['/a%2fb', 'encoded-slash'],
    ['/a%2Fb', 'encoded-slash'],
    ['/a%5cb', 'encoded-slash'],
    ['/a\\b', 'backslash'],
    ['/a\u0000b', 'control-character'],
    ['/a%00b', 'control-character'],
    ['/a%0a', 'control-character'],
    ['/a\tb', 'control-character'],
    ['/a%7F', 'control-character'],
    ['/a;jsessionid=1', 'semicolon'],
    ['/a/..;/b', 'semicolon'],
    ['/a/%73ecret', 'non-canonical-encoding'],
    ['/a%zz', 'invalid-percent-encoding'],
    ['/a%4', 'invalid-percent-encoding'],
    ['/a%C3', 'invalid-percent-encoding'],
    ['/a/ b', 'disallowed-character'],
    ['/a/é', 'disallowed-character'],
    ['/a/{x}', 'disallowed-character'],
    [`/${'a'.repeat(9000)}`, 'too-long'],
  ])('%j: %s', (path, expected) => {
    expect(reason(path)).toBe(expected);
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const trick = fc.constantFrom(
    '.',
    '..',
    '%2e',
    '%2E',
    '.%2e',
    '%2e.',
    '%2E%2E',
    'a%2fb',
    'a%2Fb',
    'a%5Cb',
    '%2f',
    '',
  );
  const pathWithTrick = fc
    .tuple(fc.array(segment, { maxLength: 3 }), trick, fc.array(segment, { minLength: 1, maxLength: 3 }))
    .map(([before, bad, after]) => `/${[...before, bad, ...after].join('/')}`);

  it('dot segments, encoded slashes and empty segments never match, however they are spelled', () => {
    fc.assert(
      fc.property(pathWithTrick, fc.constantFrom('GET', 'HEAD'), (path, method) => {
        expect(matchRequest(CATCH_ALL, method, path).kind).toBe('refused');
        expect(matchRequest(CATALOG, method, path).kind).toBe('refused');
      }),
    );
  });

  it('a plain path is never refused and matches as the catalog matches it', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), (segments, slash) => {
        const path = `/${segments.join('/')}${slash ? '/' : ''}`;
        const match = matchRequest(CATCH_ALL, 'GET', path);
        expect(match.kind).toBe('route');
        expect(match.kind === 'route' && match.route).toBe(CATCH_ALL.match('GET', path)?.route);
      }),
    );
  });

  it('a literal encoded so a backend would decode it into a literal never reaches the parameter route', () => {
    expect(matchRequest(CATCH_ALL, 'GET', '/a/secret')).toMatchObject({
      kind: 'route',
      route: { id: 'GET /a/secret' },
    });
    expect(matchRequest(CATCH_ALL, 'GET', '/a/%73ecret')).toMatchObject({
      kind: 'refused',
      reason: 'non-canonical-encoding',
    });
    expect(matchRequest(CATCH_ALL, 'GET', '/a/secret;x')).toMatchObject({
      kind: 'refused',
      reason: 'semicolon',
    });
  });

  it('decodes parameters of a safe path', () => {
    expect(matchRequest(CATCH_ALL, 'GET', '/a/caf%C3%A9')).toMatchObject({
      kind: 'route',
      pathParameters: { x: 'café' },
    });
  });
});

describe('HEAD', () => {
  const gets = CATALOG.routes.filter((route) => route.method === 'GET');

  it('matches every GET route of the shipped catalog, the same route with the same scopes', () => {
    expect(gets.length).toBeGreaterThan(50);
    for (const route of gets) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x1');
      const head = matchRequest(CATALOG, 'HEAD', path);
      expect(head.kind === 'route' && head.route).toBe(CATALOG.match('GET', path)?.route);
    }
  });

  it('is allowed exactly when GET is, for any scopes', () => {
    const scopes = fc.subarray([
      '*:*',
      'pbx:read',
      'pbx:*',
      'colleagues:read',
      'messaging:ListChannels',
      'users:*',
      'apikeys:read',
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...gets), scopes, (route, held) => {
        const path = route.path.replace(/\{[^}]+\}/g, 'x1');
        const head = matchRequest(CATALOG, 'HEAD', path);
        const get = matchRequest(CATALOG, 'GET', path);
        if (head.kind !== 'route' || get.kind !== 'route') throw new Error(`no match for ${path}`);
        expect(scopesCoverRoute(held, head.route)).toBe(scopesCoverRoute(held, get.route));
      }),
    );
  });

  it('does not stand in for any other method', () => {
    expect(CATALOG.match('HEAD', '/v1/settings/notifications')?.route.method).toBe('GET');
    const writes = CATALOG.routes.filter((route) => route.method !== 'GET' && route.method !== 'HEAD');
    for (const route of writes) {
      const path = route.path.replace(/\{[^}]+\}/g, 'x1');
      expect(CATALOG.match('HEAD', path)?.route.method ?? 'none').not.toBe(route.method);
      expect(CATALOG.match('GET', '/api/v1/pbx/system/reboot/')).toBeUndefined();
    }
  });
});
