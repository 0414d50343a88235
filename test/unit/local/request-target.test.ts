import { describe, expect, it } from 'vitest';
import { parseRequestTarget, requestPath } from '../../../local/request-target.js';

describe('parseRequestTarget', () => {
  it.each([
    ['/', '/', ''],
    ['/v1/api-keys?limit=5', '/v1/api-keys', '?limit=5'],
    // A path that looks like a network path stays a path on this host.
    ['//evil.example/x', '//evil.example/x', ''],
    ['/[bad', '/[bad', ''],
    ['/%E0%A4%A', '/%E0%A4%A', ''],
  ])('accepts the origin-form %s', (target, pathname, search) => {
    const url = parseRequestTarget(target);
    expect(url?.pathname).toBe(pathname);
    expect(url?.search).toBe(search);
    expect(url?.host).toBe('localhost');
  });

  it.each([
    ['the asterisk-form', '*'],
    ['an absolute-form target', 'http://localhost/v1/api-keys'],
    ['an absolute-form target with a broken host', 'http://[bad/'],
    ['an authority-form target', 'localhost:3000'],
    ['a relative path', 'v1/api-keys'],
    ['an empty target', ''],
  ])('refuses %s', (_, target) => {
    expect(parseRequestTarget(target)).toBeUndefined();
  });
});

describe('requestPath', () => {
  it.each([
    ['/v1/api-keys?limit=5', '/v1/api-keys'],
    ['/orders', '/orders'],
    // Left as sent, where the URL parser would resolve or rewrite them.
    ['/x/%2E%2E/orders?a=1', '/x/%2E%2E/orders'],
    ['/x/../orders', '/x/../orders'],
    ['/orders/.', '/orders/.'],
    ['/x\\..\\orders', '/x\\..\\orders'],
    ['/a#b', '/a'],
  ])('is %s → %s', (target, path) => {
    expect(requestPath(target)).toBe(path);
    expect(parseRequestTarget(target)).toBeDefined();
  });
});
