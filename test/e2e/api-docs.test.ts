import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOpenApiDocument } from '../../shared/adapters/http/openapi/render-openapi-document.js';
import { CATALOG } from '../support/catalog.js';
import { launchBrowser } from '../support/console-browser.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { bootLocalGateway, type GatewayUnderTest } from '../support/local-gateway.js';
import { contractViolations } from '../support/openapi-contract.js';

/**
 * `GET /v1/openapi.json` and `GET /docs` over HTTP without credentials; the page loads its renderer
 * from this origin only. And the contract check itself: an answer that does not match the document
 * is reported, so the check on every e2e answer can fail.
 */

let table: TestTable;
let gateway: GatewayUnderTest;

beforeAll(async () => {
  table = await createTestTable();
  gateway = await bootLocalGateway({ dynamoEndpoint: table.endpoint, tableName: table.tableName });
});

afterAll(async () => {
  await gateway?.close();
  await table?.drop();
});

describe('the API reference, served without credentials', () => {
  it('serves the generated document at /v1/openapi.json', async () => {
    const response = await fetch(`${gateway.url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe(renderOpenApiDocument(CATALOG));
  });

  it('serves /docs with a strict CSP and every asset from this origin', async () => {
    const response = await fetch(`${gateway.url}/docs`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = await response.text();
    const sources = [...html.matchAll(/(?:src|href|spec-url)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const source of sources) expect(source, source).toMatch(/^\/[^/]/);
    for (const source of sources) {
      const asset = await fetch(`${gateway.url}${source}`);
      expect(asset.status, source).toBe(200);
    }
    const redoc = await fetch(`${gateway.url}/docs/redoc.standalone.js`);
    expect(redoc.headers.get('content-type')).toMatch(/javascript/);
    expect((await redoc.text()).length).toBeGreaterThan(500_000);
  });

  it('renders in Chromium with every request to this origin (anything else is refused, as offline)', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      // As on a private network: nothing beyond this origin answers.
      await page.route('**/*', (route) =>
        route.request().url().startsWith(gateway.url) ? route.continue() : route.abort(),
      );
      await page.goto(`${gateway.url}/docs`);
      await page.getByRole('heading', { name: /keygate management API/ }).waitFor({ timeout: 20_000 });
      await page.getByRole('heading', { name: 'Create an API key' }).first().waitFor();
      expect(await page.getByText('/v1/settings/notifications').count()).toBeGreaterThan(0);
      expect(requested.length).toBeGreaterThanOrEqual(3);
      for (const url of requested) expect(url, url).toMatch(new RegExp(`^${gateway.url}/|^data:|^blob:`));
    } finally {
      await browser.close();
    }
  });

  it('still needs credentials for the API itself', async () => {
    const response = await fetch(`${gateway.url}/v1/api-keys`);
    expect(response.status).toBe(401);
  });
});

describe('the contract check', () => {
  it('reports an undocumented status, a wrong content type and a body that misses a field', () => {
    expect(
      contractViolations('GET', '/v1/scopes', { status: 418, contentType: 'application/json', body: {} }),
    ).toEqual(['GET /v1/scopes → 418: status 418 is not documented']);
    expect(
      contractViolations('GET', '/v1/api-keys', { status: 401, contentType: 'application/json', body: {} }),
    ).toHaveLength(1);
    const violations = contractViolations('GET', '/v1/settings/notifications', {
      status: 200,
      contentType: 'application/json',
      body: { emails: ['not an address'], extra: 1 },
    });
    expect(violations.join('\n')).toMatch(/format/);
    expect(violations.join('\n')).toMatch(/additional/);
  });
});
