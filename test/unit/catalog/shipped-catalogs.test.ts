import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogFromDocument } from '../../../shared/catalogs/catalog-document.js';
import { loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';
import { describeScopeCatalog } from '../../../shared/domain/scopes/scope-presentation.js';
import { SHIPPED } from '../../support/catalog.js';
import { RESERVED } from './catalog-files.js';

const read = (name: string) => ({ file: `catalogs/${name}`, text: readFileSync(`catalogs/${name}`, 'utf8') });

describe('the shipped catalogs as data (catalogs/*.json)', () => {
  const loaded = loadCatalog([read('cloud.json'), read('pbx.json')], { reserved: RESERVED });

  it('load without errors: 4 cloud routes and 109 PBX routes', () => {
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.routes).toHaveLength(113);
    expect(loaded.routes.filter((route) => route.group === 'pbx')).toHaveLength(109);
  });

  it('are the catalog of a config without "catalog": keygate routes first, then the files in order', () => {
    if (!loaded.ok) throw new Error('did not load');
    expect(SHIPPED.ownCatalog).toBe(false);
    expect(SHIPPED.catalogFiles.map((file) => file.split('/').slice(-2).join('/'))).toEqual([
      'catalogs/cloud.json',
      'catalogs/pbx.json',
    ]);
    expect(SHIPPED.catalog.routes).toStrictEqual([...RESERVED, ...loaded.routes]);
  });

  it('reach the functions as a document that gives back the same catalog (routes, matches, GET /v1/scopes)', () => {
    // What synth writes as catalog.json beside each bundle, through JSON text as the function reads it.
    const bundled = catalogFromDocument(JSON.parse(JSON.stringify(SHIPPED.catalogDocument)), 'catalog.json');
    expect(bundled.routes).toStrictEqual(SHIPPED.catalog.routes);
    expect(describeScopeCatalog(bundled)).toStrictEqual(describeScopeCatalog(SHIPPED.catalog));
    for (const route of SHIPPED.catalog.routes) {
      expect(bundled.match(route.method, route.path)?.route).toStrictEqual(route);
    }
  });

  it('refuses a bundled document that is not a catalog, naming the problem', () => {
    expect(() => catalogFromDocument({ routes: [{ method: 'GET', path: 'x' }] }, 'catalog.json')).toThrow(
      /not a keygate catalog:\ncatalog\.json: \/routes\/0/,
    );
  });
});
