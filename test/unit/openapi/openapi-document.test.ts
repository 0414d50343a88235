import { readFile } from 'node:fs/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import { renderOpenApiDocument } from '../../../shared/adapters/http/openapi/render-openapi-document.js';
import { DEFAULT_KEY_PREFIX, parseApiKey } from '../../../shared/domain/keys/key-format.js';
import type {
  notificationSettingsViewSchema,
  scopeCatalogSchema,
} from '../../../shared/domain/management/response-schemas.js';
import type { NotificationSettings } from '../../../shared/domain/notify/notification-settings.js';
import { acceptingScopes } from '../../../shared/domain/scopes/scope-coverage.js';
import type { ScopeCatalogDescription } from '../../../shared/domain/scopes/scope-presentation.js';
import { CATALOG } from '../../support/catalog.js';
import { componentValidator, OPENAPI_DOCUMENT } from '../../support/openapi-contract.js';

/**
 * The generated document: every management route of the catalog, each with its schemas, problem
 * answers and credentials; examples that validate against their own schemas; and the committed
 * `docs/openapi.json` equal to what the generator writes now.
 */

// biome-ignore lint/suspicious/noExplicitAny: the document is JSON read generically.
const doc: any = OPENAPI_DOCUMENT;
const managementRoutes = CATALOG.routes.filter((route) => route.kind === 'management');
const operations = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, item]) =>
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  Object.entries<any>(item).map(([method, operation]) => ({ path, method, operation })),
);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes exactly the catalog’s management routes', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(managementRoutes.length).toBeGreaterThanOrEqual(8);
    const documented = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
    expect(documented).toEqual(managementRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('gives every operation an id, a success answer, problem+json errors and the credentials its route takes', () => {
    for (const route of managementRoutes) {
      const operation = doc.paths[route.path][route.method.toLowerCase()];
      expect(operation.operationId, route.id).toBe(
        `${route.operation?.charAt(0).toLowerCase()}${route.operation?.slice(1)}`,
      );
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => status.startsWith('2')),
        route.id,
      ).toBe(true);
      for (const status of ['401', '403', '500']) expect(statuses, route.id).toContain(status);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(Object.keys(operation.responses[status].content), `${route.id} ${status}`).toEqual([
          'application/problem+json',
        ]);
      }
      const schemes = operation.security.map((requirement: object) => Object.keys(requirement)[0]);
      if (route.auth === 'root-admin') expect(schemes, route.id).toEqual(['rootAdmin']);
      else expect(schemes, route.id).toEqual(['rootAdmin', 'apiKey', 'apiKeyHeader']);
      if (route.auth === 'scoped') {
        for (const scope of acceptingScopes(route)) expect(operation.description).toContain(`\`${scope}\``);
      }
    }
  });

  it('describes the scope catalog and the settings with the types their use cases return (checked by tsc)', () => {
    // Types the domain declares itself are pinned to the schemas here, so neither can change alone.
    expectTypeOf<z.infer<typeof scopeCatalogSchema>>().toEqualTypeOf<ScopeCatalogDescription>();
    expectTypeOf<z.infer<typeof notificationSettingsViewSchema>>().toEqualTypeOf<NotificationSettings>();
  });

  it('declares bearer JWT for root admins and the API key as bearer and as X-API-Key', () => {
    expect(doc.components.securitySchemes).toEqual({
      rootAdmin: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
  });

  it('has request and response examples that validate against their schemas, and a fake secret', () => {
    let checked = 0;
    for (const { operation } of operations) {
      const bodies = [
        operation.requestBody?.content['application/json'],
        ...Object.values(operation.responses).map(
          // biome-ignore lint/suspicious/noExplicitAny: as above.
          (response: any) => response.content?.['application/json'],
        ),
      ].filter((content) => content?.example !== undefined);
      for (const content of bodies) {
        const validate = componentValidator(content.schema.$ref.split('/').pop());
        expect(validate(content.example), JSON.stringify(validate.errors)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    const secret = doc.paths['/v1/api-keys'].post.responses['201'].content['application/json'].example.key;
    expect(secret).toContain('NOT0A0REAL0KEY');
    expect(parseApiKey(secret, DEFAULT_KEY_PREFIX).ok).toBe(false);
  });

  it('is committed as docs/openapi.json exactly as generated (run `npm run openapi` after an API change)', async () => {
    const committed = await readFile(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderOpenApiDocument(CATALOG));
  });
});

describe('the CLI client types', () => {
  it('are what openapi-typescript generates from docs/openapi.json now (run `npm run openapi`)', async () => {
    const { OPENAPI_TYPES_FILE, renderClientTypes } = await import('../../../scripts/openapi-files.js');
    const committed = await readFile(OPENAPI_TYPES_FILE, 'utf8');
    expect(committed).toBe(await renderClientTypes(renderOpenApiDocument(CATALOG)));
  });
});
