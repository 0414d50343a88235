import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../../shared/catalogs/built-in-catalog.js';
import { loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';
import { RouteCatalog } from '../../../shared/domain/catalog/route-catalog.js';
import { describeScopeCatalog } from '../../../shared/domain/scopes/scope-presentation.js';
import { RESERVED } from './catalog-files.js';

const read = (name: string) => ({ file: `catalogs/${name}`, text: readFileSync(`catalogs/${name}`, 'utf8') });

describe('the shipped catalogs as data (catalogs/*.json)', () => {
  const tables = builtInCatalog();
  const loaded = loadCatalog([read('cloud.json'), read('pbx.json')], { reserved: RESERVED });

  it('load without errors: 4 cloud routes and 109 PBX routes', () => {
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.routes).toHaveLength(113);
    expect(loaded.routes.filter((route) => route.group === 'pbx')).toHaveLength(109);
  });

  it('give exactly the route objects the TypeScript tables build, in the same order', () => {
    if (!loaded.ok) throw new Error('did not load');
    expect(loaded.routes).toStrictEqual(tables.routes.filter((route) => route.kind === 'protected'));
  });

  it('give the same GET /v1/scopes body and the same matches as the tables', () => {
    if (!loaded.ok) throw new Error('did not load');
    const catalog = new RouteCatalog([...RESERVED, ...loaded.routes]);
    expect(describeScopeCatalog(catalog)).toStrictEqual(describeScopeCatalog(tables));
    expect(catalog.namespaces()).toStrictEqual(tables.namespaces());
    for (const route of tables.routes) {
      expect(catalog.match(route.method, route.path)?.route).toStrictEqual(route);
    }
  });
});
