import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';
import { errorsOf, jsonErrors, RESERVED } from './catalog-files.js';

const route = (fields: Record<string, unknown> = {}) => ({
  method: 'GET',
  path: '/a/',
  namespace: 'ns',
  ...fields,
});
const one = (fields: Record<string, unknown>) => jsonErrors({ routes: [route(fields)] });

describe('keygate catalog JSON', () => {
  it('builds protected, scoped routes with access from the method and the given fields', () => {
    const result = loadCatalog([
      {
        file: 'c.json',
        text: JSON.stringify({
          routes: [
            route({ operation: 'ListA', description: 'List a', group: 'suite' }),
            { method: 'DELETE', path: '/a/{id}', namespace: 'ns', group: 'suite' },
          ],
          scopes: { 'ns:read': 'Read a' },
        }),
      },
    ]);
    expect(result).toStrictEqual({
      ok: true,
      routes: [
        {
          id: 'GET /a/',
          method: 'GET',
          path: '/a/',
          namespace: 'ns',
          operation: 'ListA',
          access: 'read',
          group: 'suite',
          kind: 'protected',
          auth: 'scoped',
          description: 'List a',
        },
        {
          id: 'DELETE /a/{id}',
          method: 'DELETE',
          path: '/a/{id}',
          namespace: 'ns',
          access: 'write',
          group: 'suite',
          kind: 'protected',
          auth: 'scoped',
        },
      ],
      scopeDescriptions: new Map([['ns:read', 'Read a']]),
    });
  });

  it.each([
    [
      { method: 'get' },
      'c.json: /routes/0/method: method must be one of GET, HEAD, POST, PUT, PATCH, DELETE (upper case), not "get"',
    ],
    [
      { method: 'OPTIONS' },
      'c.json: /routes/0/method: method must be one of GET, HEAD, POST, PUT, PATCH, DELETE (upper case), not "OPTIONS"',
    ],
    [{ path: 'a/' }, 'c.json: /routes/0/path: bad path template "a/": must start with /'],
    [{ path: '/a//b' }, 'c.json: /routes/0/path: bad path template "/a//b": empty segment (//)'],
    [
      { path: '/a/../b' },
      'c.json: /routes/0/path: bad path template "/a/../b": dot segments (. and ..) are not allowed',
    ],
    [
      { path: '/a/{id}.json' },
      'c.json: /routes/0/path: bad path template "/a/{id}.json": segment "{id}.json": a parameter must be a whole segment named [A-Za-z_][A-Za-z0-9_-]* (no {name+}, no text beside it)',
    ],
    [
      { path: '/a/{proxy+}' },
      'c.json: /routes/0/path: bad path template "/a/{proxy+}": segment "{proxy+}": a parameter must be a whole segment named [A-Za-z_][A-Za-z0-9_-]* (no {name+}, no text beside it)',
    ],
    [
      { path: '/a/{id}/b/{id}' },
      'c.json: /routes/0/path: bad path template "/a/{id}/b/{id}": parameter {id} appears twice',
    ],
    [
      { path: '/a b' },
      `c.json: /routes/0/path: bad path template "/a b": segment "a b" has a character a request would percent-encode, or ; (literal segments use A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)`,
    ],
    [
      { path: '/a;v=1' },
      `c.json: /routes/0/path: bad path template "/a;v=1": segment "a;v=1" has a character a request would percent-encode, or ; (literal segments use A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)`,
    ],
    [
      { path: '/a?x=1' },
      'c.json: /routes/0/path: bad path template "/a?x=1": a template has no query string or fragment',
    ],
    [
      { namespace: 'Bad_NS' },
      'c.json: /routes/0/namespace: bad namespace "Bad_NS": expected lower-case letters, digits and hyphens, starting with a letter ([a-z][a-z0-9-]*)',
    ],
    [
      { namespace: 'apikeys' },
      `c.json: /routes/0/namespace: namespace "apikeys" is keygate's own management API and cannot be used by a catalog`,
    ],
    [{ namespace: 7 }, 'c.json: /routes/0/namespace: namespace must be a string'],
    [
      { operation: 'listA' },
      'c.json: /routes/0/operation: bad operation "listA": expected a letter A-Z, then letters and digits ([A-Z][A-Za-z0-9]*)',
    ],
    [
      { operation: `A${'b'.repeat(130)}` },
      `c.json: /routes/0/operation: operation "A${'b'.repeat(130)}" makes the scope "ns:A${'b'.repeat(130)}" longer than 128 characters`,
    ],
    [
      { group: 'apikeys' },
      `c.json: /routes/0/group: group "apikeys" is keygate's own management API and cannot be used by a catalog`,
    ],
    [
      { namepsace: 'ns' },
      'c.json: /routes/0/namepsace: unknown member "namepsace" (a route has method, path, namespace, operation, group, description)',
    ],
    [{ description: 3 }, 'c.json: /routes/0/description: description must be a string'],
  ])('refuses %j with its precise error', (fields, message) => {
    expect(one(fields)).toEqual([message]);
  });

  it('collects every error of every route instead of stopping at the first', () => {
    expect(
      jsonErrors({
        routes: [route({ method: 'get', path: 'x' }), route({ path: '/b', namespace: 'X' })],
        extra: 1,
      }),
    ).toEqual([
      'c.json: /extra: unknown member "extra" (a catalog has "routes" and "scopes")',
      'c.json: /routes/0/method: method must be one of GET, HEAD, POST, PUT, PATCH, DELETE (upper case), not "get"',
      'c.json: /routes/0/path: bad path template "x": must start with /',
      'c.json: /routes/1/namespace: bad namespace "X": expected lower-case letters, digits and hyphens, starting with a letter ([a-z][a-z0-9-]*)',
    ]);
  });

  it('refuses a file that is not a catalog, has no routes, or does not parse (with line and column)', () => {
    expect(jsonErrors([])).toEqual([
      'c.json: : a catalog is an object with "routes" (and optionally "scopes")',
    ]);
    expect(jsonErrors({ routes: [] })).toEqual(['c.json: /routes: a catalog lists at least one route']);
    expect(errorsOf([{ file: 'c.json', text: '{"routes": [\n  {"method": "GET",}' }])[0]).toMatch(
      /^c\.json: line 2, column \d+: /,
    );
    expect(errorsOf([{ file: 'c.json', text: '{"routes": [], "routes": []}' }])).toEqual([
      'c.json: line 1, column 16: Map keys must be unique',
    ]);
  });

  it('refuses duplicates and clashing templates, naming both places and which wins', () => {
    expect(jsonErrors({ routes: [route(), route()] })).toEqual([
      'c.json: /routes/1: duplicate route GET /a/ (see c.json: /routes/0)',
    ]);
    expect(jsonErrors({ routes: [route({ path: '/a' }), route()] })).toEqual([
      'c.json: /routes/1: GET /a/ and GET /a are one route: a trailing slash is not significant (see c.json: /routes/0)',
    ]);
    expect(jsonErrors({ routes: [route({ path: '/a/{x}' }), route({ path: '/a/{y}' })] })).toEqual([
      'c.json: /routes/1: clashing templates: GET /a/{y} and GET /a/{x} match the same requests; keep one (see c.json: /routes/0)',
    ]);
    expect(jsonErrors({ routes: [route({ path: '/{a}/b' }), route({ path: '/a/{b}' })] })).toEqual([
      'c.json: /routes/1: clashing templates: GET /a/{b} and GET /{a}/b both match /a/b and neither is more specific; a literal segment beats a parameter at the first position they differ, so GET /a/{b} would win over GET /{a}/b. Make one template more specific (see c.json: /routes/0)',
    ]);
    expect(jsonErrors({ routes: [route({ path: '/a' }), route({ method: 'HEAD', path: '/a' })] })).toEqual([
      'c.json: /routes/1: HEAD /a duplicates GET /a: HEAD is answered wherever GET is, with the same scopes (see c.json: /routes/0)',
    ]);
  });

  it('accepts a literal beside a parameter (the literal wins, as intended) and the same path for other methods', () => {
    expect(
      jsonErrors({
        routes: [
          route({ path: '/a/{id}' }),
          route({ path: '/a/me' }),
          route({ method: 'PUT', path: '/a/{id}' }),
        ],
      }),
    ).toEqual([]);
  });

  it('refuses a clash with keygate own routes, a namespace split across groups and a group that is a namespace', () => {
    expect(jsonErrors({ routes: [route({ path: '/v1/scopes' })] })).toEqual([
      "c.json: /routes/0: GET /v1/scopes clashes with keygate's own route GET /v1/scopes (see keygate (built in): GET /v1/scopes)",
    ]);
    expect(jsonErrors({ routes: [route({ path: '/v1/api-keys/{key}' })] })).toEqual([
      "c.json: /routes/0: GET /v1/api-keys/{key} clashes with keygate's own route GET /v1/api-keys/{id} (see keygate (built in): GET /v1/api-keys/{id})",
    ]);
    // Paths keygate serves itself beside the API: the console, its API document, sign-in documents.
    // In AWS CloudFront sends all of /docs/* to the docs bucket, so /docs/{page} never reaches an API.
    const served = [
      '/console/app',
      '/docs',
      '/docs/{page}',
      '/docs/redoc.standalone.js',
      '/v1/openapi.json',
      '/.well-known/keygate-cli.json',
    ];
    for (const path of served) {
      expect(jsonErrors({ routes: [route({ path })] }), path).toEqual([
        `c.json: /routes/0: GET ${path} is on a path keygate serves itself (/console/…, /docs/…, /v1/openapi.json, /.well-known/…): choose another path`,
      ]);
    }
    // A path that only begins like one of them is the API's.
    expect(jsonErrors({ routes: [route({ path: '/docsearch' }), route({ path: '/consoles' })] })).toEqual([]);
    expect(jsonErrors({ routes: [route({ group: 'suite' }), route({ path: '/b' })] })).toEqual([
      'c.json: /routes/1: namespace "ns" is in no group here but in group "suite" at its first route; every route of a namespace is in the same group (see c.json: /routes/0)',
    ]);
    expect(
      jsonErrors({ routes: [route({ group: 'other' }), route({ path: '/b', namespace: 'other' })] }),
    ).toEqual([
      'c.json: /routes/0: group "other" is also a namespace, so "other:*" would mean two things (see c.json: /routes/1)',
    ]);
  });

  it('checks scope descriptions: well-formed, non-empty, made by some route, given once', () => {
    expect(
      jsonErrors({ routes: [route()], scopes: { 'ns:Nope': 'x', 'bad scope': 'x', 'ns:*': '' } }),
    ).toEqual([
      'c.json: /scopes/bad scope: malformed scope "bad scope": expected namespace:*, namespace:read or namespace:Operation',
      'c.json: /scopes/ns:*: a scope description must be a non-empty string',
      'c.json: /scopes/ns:Nope: scope ns:Nope is described but no route makes it',
    ]);
    expect(jsonErrors({ routes: [route()], scopes: { 'ns:Nope': 'x' } })).toEqual([
      'c.json: /scopes/ns:Nope: scope ns:Nope is described but no route makes it',
    ]);
    const described = (file: string, path: string) => ({
      file,
      text: JSON.stringify({ routes: [route({ path })], scopes: { 'ns:read': 'Read ns' } }),
    });
    expect(errorsOf([described('a.json', '/a'), described('b.json', '/b')])).toEqual([
      'b.json: /scopes/ns:read: scope ns:read is described twice (see a.json: /scopes/ns:read)',
    ]);
  });

  it('merges several files into one catalog; a cross-file duplicate names both files', () => {
    const a = { file: 'a.json', text: JSON.stringify({ routes: [route()] }) };
    const b = {
      file: 'b.json',
      text: JSON.stringify({ routes: [route({ path: '/b' }), route({ path: '/a/' })] }),
    };
    expect(errorsOf([a, b])).toEqual(['b.json: /routes/1: duplicate route GET /a/ (see a.json: /routes/0)']);
    const merged = loadCatalog(
      [a, { file: 'c.json', text: JSON.stringify({ routes: [route({ path: '/c' })] }) }],
      {
        reserved: RESERVED,
      },
    );
    expect(merged.ok && merged.routes.map((r) => r.id)).toEqual(['GET /a/', 'GET /c']);
  });
});
