import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYGATE_BUNDLING } from '../../infra/constructs/keygate-function.js';
import { buildKeygate } from '../../infra/keygate.js';
import { resolveKeygateDeployment } from '../../shared/adapters/config/keygate-deployment.js';
import { type CfnJson, isDeploymentHandler, TEST_CONFIG } from './synth-keygate.js';

/** Environment that satisfies every function's schema, to import the bundles as Lambda would. */
const LAMBDA_ENV = {
  TABLE_NAME: 'keys',
  KEY_PREFIX: 'wsk-v1-',
  RETENTION_DAYS: '30',
  AUDIT_RETENTION_DAYS: '365',
  OIDC_ISSUER: 'https://issuer.example',
  OIDC_AUDIENCE: 'client',
  OIDC_JWKS_URI: 'https://issuer.example/jwks.json',
  OIDC_COMPANY_CLAIM: 'custom:companyId',
  OIDC_GROUPS_CLAIM: 'cognito:groups',
  OIDC_ROOT_ADMIN_GROUP: 'root-admins',
  LAST_USED_INTERVAL_SECONDS: '60',
  AUTHORIZER_CACHE_TTL_SECONDS: '0',
  SES_SENDER: 'keys@acme.example',
  CONSOLE_URL: 'https://console.acme.example',
  EVENT_BUS_NAME: 'default',
  AWS_REGION: 'eu-west-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * The one synth with real bundling (local esbuild, no Docker) and the cdk-nag plugin registered the way
 * `infra/app.ts` registers it, so a finding would fail this synth exactly as it fails `npm run synth`.
 */
describe('synth with real bundling', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'keygate-cdk-out-'));
  let bundles: { name: string; dir: string }[];
  let deployment: ReturnType<typeof resolveKeygateDeployment>;

  beforeAll(() => {
    const app = new App({ outdir });
    deployment = resolveKeygateDeployment(TEST_CONFIG, { source: 'test', baseDir: process.cwd() });
    const { stateless } = buildKeygate(app, deployment);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    const template = assembly.getStackByName(stateless.stackName).template as CfnJson;
    bundles = Object.entries(template.Resources as Record<string, CfnJson>)
      .filter(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && !isDeploymentHandler(id))
      .map(([id, resource]) => ({
        name: id,
        dir: join(outdir, `asset.${(resource.Properties.Code.S3Key as string).replace(/\.zip$/, '')}`),
      }));
    // One esbuild run per function: ~8 s each on a quiet 2-core machine, several times that when the
    // machine is shared. The timeout guards against a hang, not against slowness.
  }, 600_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles all sixteen functions as minified ESM with a linked source map', () => {
    expect(bundles).toHaveLength(16);
    for (const { name, dir } of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(KEYGATE_BUNDLING.banner), name).toBe(true);
      expect(code, name).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(join(dir, 'index.mjs.map')), name).toBe(true);
      // The AWS SDK is inside the bundle, never an import left for the runtime to satisfy.
      expect(code, name).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code, name).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      expect(code, name).not.toMatch(/wsk-v1-[A-Za-z0-9]{93}/);
    }
  });

  it("ships the loaded catalog beside every bundle but the notifier's and the event publisher's, as the compact document", () => {
    const withCatalog = bundles.filter(({ dir }) => existsSync(join(dir, 'catalog.json')));
    expect(
      withCatalog.map(({ name }) => name).filter((name) => /^(Notifier|PublishAuditEvents)/.test(name)),
    ).toEqual([]);
    // All sixteen but the notifier and the event publisher (`readsCatalog`), which never route.
    expect(withCatalog).toHaveLength(14);
    for (const { dir } of withCatalog) {
      expect(JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8'))).toStrictEqual(
        deployment.catalogDocument,
      );
    }
  });

  it('produces bundles that load on Node and export `handler`', () => {
    const script = `for (const file of process.argv.slice(1)) {
      const module = await import(file);
      console.log(typeof module.handler);
    }`;
    const output = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, ...bundles.map(({ dir }) => join(dir, 'index.mjs'))],
      { env: { ...process.env, ...LAMBDA_ENV }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(output.trim().split('\n')).toEqual(bundles.map(() => 'function'));
  });
});
