import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKeygateConfig } from '../../infra/config.js';
import { InvalidKeygateConfigError } from '../../shared/adapters/config/keygate-config.js';
import { loadKeygateDeployment } from '../../shared/adapters/config/keygate-deployment.js';
import { toYaml } from '../unit/catalog/catalog-files.js';
import { resourcesOf, synthKeygate, TEST_CONFIG } from './synth-keygate.js';

/** The message loading fails with. */
function failure(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeygateConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

const ORDERS_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Orders', version: '1' },
  'x-keygate-namespace': 'orders',
  paths: {
    '/orders': {
      get: { operationId: 'ListOrders', summary: 'List orders', responses: { '200': { description: 'OK' } } },
      post: { operationId: 'CreateOrder', responses: { '201': { description: 'Created' } } },
    },
    '/orders/{orderId}': {
      get: { operationId: 'GetOrder', responses: { '200': { description: 'OK' } } },
    },
    '/invoices/{invoiceId}': {
      'x-keygate-namespace': 'billing',
      get: { operationId: 'GetInvoice', responses: { '200': { description: 'OK' } } },
    },
  },
};

describe('the config names its catalog (keygate.config.json or KEYGATE_CONFIG)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-catalog-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api', 'orders.yaml'), toYaml(ORDERS_OPENAPI));
  writeFileSync(
    join(dir, 'api', 'extra.json'),
    JSON.stringify({
      routes: [{ method: 'GET', path: '/reports/', namespace: 'reports' }],
      scopes: { 'reports:read': 'Read the monthly reports' },
    }),
  );
  const orders = { type: 'http', baseUrl: 'https://orders.acme.example' };

  it('reads catalog files relative to the config file, from KEYGATE_CONFIG, OpenAPI YAML and catalog JSON alike', () => {
    writeFileSync(
      join(dir, 'api', 'keygate.json'),
      JSON.stringify({
        ...TEST_CONFIG,
        catalog: ['orders.yaml', 'extra.json'],
        integrations: { orders, billing: orders },
        defaultBackend: { type: 'echo' },
      }),
    );
    const deployment = loadKeygateDeployment({
      cwd: tmpdir(),
      env: { KEYGATE_CONFIG: join(dir, 'api', 'keygate.json') },
    });
    expect(deployment.ownCatalog).toBe(true);
    expect(
      deployment.catalog.routes.filter((route) => route.kind === 'protected').map((route) => route.id),
    ).toEqual([
      'GET /orders',
      'POST /orders',
      'GET /orders/{orderId}',
      'GET /invoices/{invoiceId}',
      'GET /reports/',
    ]);
    // keygate's own routes are always there, and the shipped examples are not.
    expect(deployment.catalog.routes.some((route) => route.id === 'POST /v1/api-keys')).toBe(true);
    expect(deployment.catalog.routes.some((route) => route.namespace === 'messaging')).toBe(false);
    expect(deployment.catalogDocument.scopes).toEqual({ 'reports:read': 'Read the monthly reports' });
    expect(
      deployment.backendOf(deployment.catalog.routes.find((r) => r.namespace === 'reports') as never),
    ).toEqual({
      type: 'echo',
    });
    // CDK's -c keygate:config= names the same file and wins over KEYGATE_CONFIG.
    const context: Record<string, unknown> = { 'keygate:config': join(dir, 'api', 'keygate.json') };
    const viaContext = loadKeygateConfig((key) => context[key], tmpdir(), {
      KEYGATE_CONFIG: join(dir, 'nowhere.json'),
    });
    expect(viaContext.catalog.routes).toStrictEqual(deployment.catalog.routes);
  });

  it('names the file and the place of every catalog error, and a missing catalog file', () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        routes: [
          { method: 'GET', path: '/v1/api-keys', namespace: 'x' },
          { method: 'GET', path: 'nope', namespace: 'y' },
        ],
      }),
    );
    const message = failure(() =>
      loadKeygateDeployment({
        cwd: dir,
        env: {},
        overlay: { catalog: ['bad.json', 'missing.yaml'], defaultBackend: { type: 'echo' } },
      }),
    );
    expect(message).toContain('catalog: missing.yaml: file not found');
    const both = failure(() =>
      loadKeygateDeployment({
        cwd: dir,
        env: {},
        overlay: { catalog: ['bad.json'], defaultBackend: { type: 'echo' } },
      }),
    );
    expect(both).toMatch(
      /catalog: bad\.json: \/routes\/0: GET \/v1\/api-keys clashes with keygate's own route/,
    );
    expect(both).toMatch(/catalog: bad\.json: \/routes\/1\/path: /);
  });

  it('refuses, with its own catalog, a namespace without a backend unless a default backend is opted into', () => {
    const raw = { ...TEST_CONFIG, catalog: ['api/orders.yaml'], integrations: { orders } };
    const message = failure(() => synthKeygate(raw, dir));
    expect(message).toMatch(/catalog: namespace "billing" has no backend: .*"defaultBackend"/);
    expect(message).not.toMatch(/namespace "orders"/);

    // Opted in: the unnamed namespace goes to the default backend (here echo), the named one to its own.
    const synth = synthKeygate({ ...raw, defaultBackend: { type: 'echo' } }, dir);
    expect(synth.stacks.stateless.functions.has('echo')).toBe(true);
    const withHttpDefault = synthKeygate(
      { ...raw, defaultBackend: { type: 'http', baseUrl: 'https://legacy.acme.example' } },
      dir,
    );
    expect(withHttpDefault.stacks.stateless.functions.has('echo')).toBe(false);
    const uris = Object.values(resourcesOf(withHttpDefault.appTemplate, 'AWS::ApiGateway::Method')).map(
      (method) => JSON.stringify((method.Properties as { Integration?: { Uri?: unknown } }).Integration?.Uri),
    );
    expect(uris).toContain('"https://legacy.acme.example/invoices/{proxy}"');
    expect(uris).toContain('"https://orders.acme.example/orders"');
    expect(uris).toContain('"https://orders.acme.example/orders/{proxy}"');
  });

  it('keeps echo for every namespace of the demo (no catalog named), so synth works out of the box', () => {
    const synth = synthKeygate({});
    expect(synth.deployment.ownCatalog).toBe(false);
    expect(synth.stacks.stateless.functions.has('echo')).toBe(true);
  });

  it('refuses integrations for namespaces the catalog does not have', () => {
    const message = failure(() =>
      synthKeygate(
        {
          catalog: ['api/orders.yaml'],
          integrations: { orders, pbx: orders },
          defaultBackend: { type: 'echo' },
        },
        dir,
      ),
    );
    expect(message).toMatch(
      /integrations\.pbx: "pbx" is not a namespace or group of protected routes; known: billing, orders/,
    );
  });
});

describe('the stack does not grow with the catalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-catalog-size-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `count` routes over 5 namespaces, each under its own prefix, with parameters and every method. */
  const writeCatalog = (count: number) => {
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
    const routes = Array.from({ length: count }, (_, i) => ({
      method: methods[i % methods.length],
      path: `/ns${i % 5}/resource-${Math.floor(i / 5)}/{id}/part-${i % 7}`,
      namespace: `ns${i % 5}`,
    }));
    const file = join(dir, `catalog-${count}.json`);
    writeFileSync(file, JSON.stringify({ routes }));
    return file;
  };
  const integrations = {
    ns0: { type: 'http', baseUrl: 'https://a.acme.example' },
    ns1: { type: 'http', baseUrl: 'https://b.acme.example' },
    ns2: { type: 'lambda', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:c' },
    ns3: { type: 'http', baseUrl: 'https://a.acme.example' },
    ns4: { type: 'echo' },
  };

  it('has the same number of resources (±5) with 10 routes as with 1,000, and 1,000 routes synthesize', () => {
    const small = synthKeygate({ catalog: [writeCatalog(10)], integrations }, dir);
    const large = synthKeygate({ catalog: [writeCatalog(1000)], integrations }, dir);
    expect(large.deployment.catalog.routes.filter((route) => route.kind === 'protected')).toHaveLength(1000);
    const count = (synth: typeof small) => Object.keys(resourcesOf(synth.appTemplate)).length;
    expect(Math.abs(count(large) - count(small))).toBeLessThanOrEqual(5);
    // Well inside CloudFormation's 500 resources per stack and API Gateway's 300 resources per API.
    expect(count(large)).toBeLessThan(250);
    expect(Object.keys(resourcesOf(large.appTemplate, 'AWS::ApiGateway::Resource')).length).toBeLessThan(40);
  });
});

describe('deploy hazards', () => {
  const deploymentId = (raw: Record<string, unknown>) => {
    const ids = Object.keys(resourcesOf(synthKeygate(raw).appTemplate, 'AWS::ApiGateway::Deployment'));
    expect(ids).toHaveLength(1);
    return ids[0];
  };

  it('makes a new API deployment when the authorizer cache TTL changes, so the stage gets it', () => {
    // cdk.json sets @aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId, which synthKeygate reads.
    expect(deploymentId({ authorizerCacheTtlSeconds: 0 })).not.toBe(
      deploymentId({ authorizerCacheTtlSeconds: 300 }),
    );
  });

  it('presents a client certificate to HTTP backends when configured, and outputs its id', () => {
    const synth = synthKeygate({ backendClientCertificate: true });
    const certificates = Object.keys(resourcesOf(synth.appTemplate, 'AWS::ApiGateway::ClientCertificate'));
    expect(certificates).toHaveLength(1);
    synth.appTemplate.hasResourceProperties('AWS::ApiGateway::Stage', {
      ClientCertificateId: { Ref: certificates[0] },
    });
    synth.appTemplate.hasOutput('BackendClientCertificateId', { Value: { Ref: certificates[0] } });
    expect(
      Object.keys(resourcesOf(synthKeygate({}).appTemplate, 'AWS::ApiGateway::ClientCertificate')),
    ).toEqual([]);
  });
});
