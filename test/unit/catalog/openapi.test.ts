import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';
import { operationNameOf } from '../../../shared/domain/catalog/operation-name.js';
import { errorsOf, toYaml } from './catalog-files.js';

const ok = { responses: { '200': { description: 'OK' } } };
const doc = (paths: Record<string, unknown>, root: Record<string, unknown> = {}) => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  ...root,
  paths,
});
const load = (value: unknown, file = 'api.json') => loadCatalog([{ file, text: JSON.stringify(value) }]);
const errors = (value: unknown) => errorsOf([{ file: 'api.json', text: JSON.stringify(value) }]);
const summary = (value: unknown) => {
  const result = load(value);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.routes.map((r) => [r.id, r.namespace, r.operation, r.group, r.access, r.description]);
};

describe('OpenAPI documents', () => {
  it('makes every operation a route; namespace and group from the operation, else the path item, else the root', () => {
    const value = doc(
      {
        '/a': {
          'x-keygate-namespace': 'item-ns',
          get: { operationId: 'listThings', summary: ' List things ', ...ok },
          post: { 'x-keygate-namespace': 'op-ns', 'x-keygate-group': 'op-group', ...ok },
        },
        '/a/{id}': {
          head: { operationId: 'thing-exists', ...ok },
          delete: { 'x-keygate-operation': 'Drop', ...ok },
        },
      },
      { 'x-keygate-namespace': 'root-ns', 'x-keygate-group': 'suite' },
    );
    expect(summary(value)).toEqual([
      ['GET /a', 'item-ns', 'ListThings', 'suite', 'read', 'List things'],
      ['POST /a', 'op-ns', undefined, 'op-group', 'write', undefined],
      ['DELETE /a/{id}', 'root-ns', 'Drop', 'suite', 'write', undefined],
      ['HEAD /a/{id}', 'root-ns', 'ThingExists', 'suite', 'read', undefined],
    ]);
  });

  it('reads YAML as well as JSON, and OpenAPI 3.1 path items behind a local $ref', () => {
    const value = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      'x-keygate-namespace': 'ns',
      paths: { '/b': { $ref: '#/components/pathItems/B' } },
      components: { pathItems: { B: { get: { operationId: 'GetB', ...ok } } } },
    };
    const result = loadCatalog([{ file: 'api.yaml', text: toYaml(value) }]);
    expect(result.ok && result.routes.map((r) => `${r.id} ${r.namespace}:${r.operation}`)).toEqual([
      'GET /b ns:GetB',
    ]);
  });

  it('ignores servers and prefixes x-keygate-base-path', () => {
    const value = doc(
      { '/c': { get: ok } },
      {
        'x-keygate-namespace': 'ns',
        servers: [{ url: 'https://api.example.com/v9' }],
        'x-keygate-base-path': '/v2/',
      },
    );
    expect(summary(value).map(([id]) => id)).toEqual(['GET /v2/c']);
    expect(
      summary(doc({ '/c': { get: ok } }, { 'x-keygate-namespace': 'ns', servers: [{ url: '/v9' }] })),
    ).toEqual([['GET /c', 'ns', undefined, undefined, 'read', undefined]]);
  });

  it('names every operation without a namespace, and each bad name, by its place', () => {
    expect(
      errors(
        doc({
          '/x': { get: ok, put: { 'x-keygate-namespace': 'Bad', ...ok } },
          '/y/{id}': {
            'x-keygate-group': 'apikeys',
            delete: { 'x-keygate-namespace': 'ns', operationId: '1st', ...ok },
          },
        }),
      ),
    ).toEqual([
      'api.json: paths./x.get: no namespace: set x-keygate-namespace on the operation, its path item or the document root',
      'api.json: paths./x.put.x-keygate-namespace: bad namespace "Bad": expected lower-case letters, digits and hyphens, starting with a letter ([a-z][a-z0-9-]*)',
      `api.json: paths./y/{id}.x-keygate-group: group "apikeys" is keygate's own management API and cannot be used by a catalog`,
    ]);
    expect(
      errors(doc({ '/y': { delete: { operationId: '1st', ...ok } } }, { 'x-keygate-namespace': 'ns' })),
    ).toEqual([
      'api.json: paths./y.delete.operationId: operationId "1st" gives bad operation "1st": expected a letter A-Z, then letters and digits ([A-Z][A-Za-z0-9]*); name it with x-keygate-operation',
    ]);
  });

  it('refuses two operationIds that become one scope, OPTIONS/TRACE, bad templates, other versions and Swagger 2', () => {
    const root = { 'x-keygate-namespace': 'ns' };
    expect(
      errors(
        doc(
          { '/a': { get: { operationId: 'getA', ...ok } }, '/b': { get: { operationId: 'get-a', ...ok } } },
          root,
        ),
      ),
    ).toEqual([
      'api.json: paths./b.get.operationId: operationIds "getA" and "get-a" both become the scope ns:GetA; name one with x-keygate-operation (see api.json: paths./a.get.operationId)',
    ]);
    expect(errors(doc({ '/a': { options: ok, trace: ok } }, root))).toEqual([
      'api.json: paths./a.options: OPTIONS operations are not supported (keygate routes GET, HEAD, POST, PUT, PATCH and DELETE)',
      'api.json: paths./a.trace: TRACE operations are not supported (keygate routes GET, HEAD, POST, PUT, PATCH and DELETE)',
    ]);
    expect(errors(doc({ '/files/{name}.json': { get: ok } }, root))).toEqual([
      'api.json: paths./files/{name}.json: bad path template "/files/{name}.json": segment "{name}.json": a parameter must be a whole segment named [A-Za-z_][A-Za-z0-9_-]* (no {name+}, no text beside it)',
    ]);
    expect(errors({ ...doc({}), openapi: '3.2.0' })).toEqual([
      'api.json: openapi: only OpenAPI 3.0 and 3.1 are read, not "3.2.0"',
    ]);
    expect(errors({ swagger: '2.0', paths: {} })).toEqual([
      'api.json: swagger: Swagger 2.0 is not read: convert the document to OpenAPI 3',
    ]);
    expect(errors(doc({}, root))).toEqual(['api.json: paths: the document has no paths, so no routes']);
    expect(errors(doc({ '/a': { $ref: 'other.yaml#/B' } }, root))).toEqual([
      'api.json: paths./a.$ref: only local $refs (#/…) are read; bundle the document first',
    ]);
  });

  it('refuses duplicates across an OpenAPI file and a catalog JSON, naming both', () => {
    expect(
      errorsOf([
        { file: 'api.yaml', text: toYaml(doc({ '/a/{id}': { get: ok } }, { 'x-keygate-namespace': 'ns' })) },
        {
          file: 'more.json',
          text: JSON.stringify({ routes: [{ method: 'HEAD', path: '/a/{key}', namespace: 'ns' }] }),
        },
      ]),
    ).toEqual([
      'more.json: /routes/0: HEAD /a/{key} duplicates GET /a/{id}: HEAD is answered wherever GET is, with the same scopes (see api.yaml: paths./a/{id}.get)',
    ]);
  });
});

describe('operation names from operationIds', () => {
  it.each([
    ['listChannels', 'ListChannels'],
    ['ListChannels', 'ListChannels'],
    ['get-stations', 'GetStations'],
    ['repos/get-content', 'ReposGetContent'],
    ['create_APIKey', 'CreateAPIKey'],
  ])('%s becomes %s', (operationId, name) => {
    expect(operationNameOf(operationId, 'ns')).toEqual({ ok: true, name });
  });
});
