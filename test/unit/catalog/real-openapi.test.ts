import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../../../shared/domain/catalog/load-catalog.js';
import { RouteCatalog } from '../../../shared/domain/catalog/route-catalog.js';
import { validateScopes } from '../../../shared/domain/scopes/scope-normalisation.js';
import { describeScopeCatalog } from '../../../shared/domain/scopes/scope-presentation.js';
import { RESERVED, toYaml } from './catalog-files.js';

/**
 * A real public OpenAPI document, not written for keygate: ReadMe's own API (api.readme.com/v2),
 * OpenAPI 3.1 in YAML, as @readme/oas-examples ships it (54 operations on 28 paths).
 */
const FILE = createRequire(import.meta.url).resolve('@readme/oas-examples/3.1/yaml/readme.yaml');
const TEXT = readFileSync(FILE, 'utf8');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

describe('ReadMe API (OpenAPI 3.1, @readme/oas-examples 8.2.2)', () => {
  it('without annotation names every operation that lacks a namespace', () => {
    const result = loadCatalog([{ file: 'readme.yaml', text: TEXT }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(54);
    expect(result.errors[0]).toEqual({
      file: 'readme.yaml',
      at: 'paths./projects/{subdomain}/apikeys.get',
      message: 'no namespace: set x-keygate-namespace on the operation, its path item or the document root',
    });
  });

  it('with an overlay that sets x-keygate-namespace at the root yields 54 routes in one namespace', () => {
    const result = loadCatalog([{ file: 'readme.yaml', text: `x-keygate-namespace: readme\n${TEXT}` }], {
      reserved: RESERVED,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.routes).toHaveLength(54);
    expect(new Set(result.routes.map((route) => route.namespace))).toEqual(new Set(['readme']));
    expect(result.routes.filter((route) => route.access === 'read')).toHaveLength(
      result.routes.filter((route) => route.method === 'GET').length,
    );
    const catalog = new RouteCatalog([...RESERVED, ...result.routes]);
    expect(catalog.match('GET', '/projects/acme/apikeys')?.route.operation).toBe('GetAPIKeys');
    expect(catalog.match('HEAD', '/projects/acme/apikeys')?.route.operation).toBe('GetAPIKeys');
    expect(validateScopes(['readme:CreateAPIKey', 'readme:read'], catalog)).toEqual({
      ok: true,
      scopes: ['readme:CreateAPIKey', 'readme:read'],
    });
    // 54 operation scopes + readme:read + readme:* + *:*, and keygate's own apikeys scopes.
    const scopes = describeScopeCatalog(catalog).scopes.map((s) => s.scope);
    expect(scopes.filter((scope) => scope.startsWith('readme:'))).toHaveLength(56);
  });

  it('with namespaces derived from each operation first tag yields 54 routes in 15 namespaces of group readme', () => {
    const value = parse(TEXT) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const kebab = (tag: string) =>
      tag
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    for (const item of Object.values(value.paths)) {
      for (const method of METHODS) {
        const operation = item[method] as Record<string, unknown> | undefined;
        const tag = (operation?.tags as string[] | undefined)?.[0];
        if (operation && tag) operation['x-keygate-namespace'] = kebab(tag);
      }
    }
    const text = toYaml({ ...value, 'x-keygate-group': 'readme' });
    const result = loadCatalog([{ file: 'readme.yaml', text }], { reserved: RESERVED });
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.routes).toHaveLength(54);
    const namespaces = new RouteCatalog(result.routes).namespaces();
    expect(namespaces).toHaveLength(15);
    expect(namespaces.map((n) => n.namespace)).toContain('api-keys');
    expect(new RouteCatalog(result.routes).groups().get('readme')).toHaveLength(15);
  });
});
