import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogRoute } from '../../../shared/domain/catalog/catalog-types.js';
import { loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';
import { protectedRoute } from '../../../shared/domain/catalog/protected-route.js';
import { jsonErrors, RESERVED, toCatalogJson, toOpenApi, toYaml } from './catalog-files.js';

const NAMESPACES = ['alpha', 'beta-2', 'c0', 'delta'] as const;
/** Each namespace's group (or none), fixed per run so every route of a namespace agrees. */
const groupsArb = fc.tuple(...NAMESPACES.map(() => fc.constantFrom(undefined, 'suite', 'umbrella')));
const literal = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,8}$/).filter((s) => s !== '.' && s !== '..');
const textArb = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0);
const routeArb = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE' as const),
  ns: fc.integer({ min: 0, max: NAMESPACES.length - 1 }),
  rest: fc.array(
    fc.oneof(
      literal,
      literal.map((name) => `{p${name.replace(/[^a-z0-9]/g, '')}}`),
    ),
    { maxLength: 4 },
  ),
  trailingSlash: fc.boolean(),
  operation: fc.option(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,12}$/), { nil: undefined }),
  description: fc.option(textArb, { nil: undefined }),
});

/**
 * Valid catalogs: each route's first segment is unique (`/r0`, `/r1`, …) so no two routes clash,
 * operation names are unique per namespace (an operationId is unique in OpenAPI), and parameters
 * within a template get distinct names.
 */
const catalogArb = fc
  .tuple(groupsArb, fc.array(routeArb, { minLength: 1, maxLength: 25 }))
  .map(([groups, rows]) => {
    const seen = new Set<string>();
    return rows.map((row, i): CatalogRoute => {
      const namespace = NAMESPACES[row.ns] as string;
      const names = new Set<string>();
      const rest = row.rest.map((segment) => {
        if (!segment.startsWith('{')) return segment;
        let name = segment.slice(1, -1);
        while (names.has(name)) name = `${name}x`;
        names.add(name);
        return `{${name}}`;
      });
      const path = `/r${i}${rest.map((s) => `/${s}`).join('')}${row.trailingSlash ? '/' : ''}`;
      const operation =
        row.operation !== undefined && !seen.has(`${namespace}:${row.operation}`) ? row.operation : undefined;
      if (operation) seen.add(`${namespace}:${operation}`);
      const group = groups[row.ns];
      return protectedRoute({
        method: row.method,
        path,
        namespace,
        ...(operation ? { operation } : {}),
        ...(group ? { group } : {}),
        ...(row.description ? { description: row.description } : {}),
      });
    });
  });

const routesOf = (result: ReturnType<typeof loadCatalog>) => {
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
  return result.routes;
};

describe('any valid catalog round-trips', () => {
  it('through keygate catalog JSON', () => {
    fc.assert(
      fc.property(catalogArb, (routes) => {
        expect(
          routesOf(loadCatalog([{ file: 'c.json', text: toCatalogJson(routes) }], { reserved: RESERVED })),
        ).toStrictEqual(routes);
      }),
    );
  });

  it('through OpenAPI, as JSON and as YAML, with namespaces on operations, path items or the root', () => {
    fc.assert(
      fc.property(catalogArb, fc.func(fc.boolean()), (routes, onItem) => {
        const document = toOpenApi(routes, (i) => onItem(i));
        for (const text of [JSON.stringify(document), toYaml(document)]) {
          expect(routesOf(loadCatalog([{ file: 'api', text }], { reserved: RESERVED }))).toStrictEqual(
            routes,
          );
        }
      }),
    );
  });

  it('split over several files, in file order', () => {
    fc.assert(
      fc.property(catalogArb, fc.nat(), (routes, cut) => {
        const at = cut % (routes.length + 1);
        const sources = [
          { file: 'a.json', text: toCatalogJson(routes.slice(0, at)) },
          { file: 'b.yaml', text: toYaml(toOpenApi(routes.slice(at))) },
        ].filter((_, i) => (i === 0 ? at > 0 : at < routes.length));
        expect(routesOf(loadCatalog(sources, { reserved: RESERVED }))).toStrictEqual(routes);
      }),
    );
  });
});

describe('each kind of malformed input gets its precise error', () => {
  const valid = (routes: CatalogRoute[]) =>
    JSON.parse(toCatalogJson(routes)) as { routes: Array<Record<string, unknown>> };
  const mutations: Array<[string, (row: Record<string, unknown>) => void, RegExp]> = [
    [
      'method',
      (row) => {
        row.method = String(row.method).toLowerCase();
      },
      /^c\.json: \/routes\/\d+\/method: method must be one of/,
    ],
    [
      'path',
      (row) => {
        row.path = `${row.path}//x`;
      },
      /^c\.json: \/routes\/\d+\/path: bad path template .*: empty segment \(\/\/\)$/,
    ],
    [
      'dot',
      (row) => {
        row.path = `${row.path}/../x`.replace('//', '/');
      },
      /^c\.json: \/routes\/\d+\/path: bad path template .*: dot segments/,
    ],
    [
      'namespace',
      (row) => {
        row.namespace = String(row.namespace).toUpperCase();
      },
      /^c\.json: \/routes\/\d+\/namespace: bad namespace/,
    ],
    [
      'reserved',
      (row) => {
        row.namespace = 'apikeys';
      },
      /^c\.json: \/routes\/\d+\/namespace: namespace "apikeys" is keygate's own/,
    ],
    [
      'operation',
      (row) => {
        row.operation = 'lower';
      },
      /^c\.json: \/routes\/\d+\/operation: bad operation "lower"/,
    ],
    [
      'unknown member',
      (row) => {
        row.scope = 'x';
      },
      /^c\.json: \/routes\/\d+\/scope: unknown member "scope"/,
    ],
  ];

  it.each(mutations)(
    'a bad %s, wherever it is, is named by its pointer and nothing else is reported',
    (_, mutate, expected) => {
      fc.assert(
        fc.property(catalogArb, fc.nat(), (routes, pick) => {
          const value = valid(routes);
          const index = pick % value.routes.length;
          mutate(value.routes[index] as Record<string, unknown>);
          const errors = jsonErrors(value);
          expect(errors).toHaveLength(1);
          expect(errors[0]).toMatch(expected);
          expect(errors[0]).toContain(`/routes/${index}/`);
        }),
      );
    },
  );

  it('a duplicated route is named at the copy, with the original as the other side', () => {
    fc.assert(
      fc.property(catalogArb, fc.nat(), (routes, pick) => {
        const value = valid(routes);
        const index = pick % value.routes.length;
        value.routes.push({ ...value.routes[index] });
        expect(jsonErrors(value)).toEqual([
          `c.json: /routes/${routes.length}: duplicate route ${routes[index]?.id} (see c.json: /routes/${index})`,
        ]);
      }),
    );
  });
});
