import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadKeygateConfig } from '../../infra/config.js';
import {
  configWarnings,
  InvalidKeygateConfigError,
  PLACEHOLDER_SENDER,
  parseKeygateConfig,
} from '../../shared/adapters/config/keygate-config.js';
import { resolveKeygateDeployment } from '../../shared/adapters/config/keygate-deployment.js';
import { synthKeygate } from './synth-keygate.js';

/** The message a bad config fails synth with (config and shipped catalog loaded as synth loads them). */
function failure(raw: unknown, baseDir = process.cwd()): string {
  try {
    resolveKeygateDeployment(raw, { source: 'keygate.config.json', baseDir });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeygateConfigError);
    return (error as Error).message;
  }
  throw new Error('config was accepted');
}

describe('keygate config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has documented defaults, and warns (not fails) about the placeholders a deployment must replace', () => {
    const config = parseKeygateConfig({});
    expect(config).toMatchObject({
      stage: 'prod',
      keyPrefix: 'wsk-v1-',
      retentionDays: 30,
      auditRetentionDays: 365,
      identityProvider: { type: 'cognito' },
      integrations: {},
      authorizerCacheTtlSeconds: 0,
      lastUsedIntervalSeconds: 60,
      throttling: { rateLimit: 500, burstLimit: 1000 },
      logRetentionDays: 30,
      apiGatewayCloudWatchRole: true,
      senderAddress: PLACEHOLDER_SENDER,
    });
    expect(config.alarmEmail).toBeUndefined();
    // consoleUrl has no placeholder: it defaults to the console the stack deploys.
    expect(config.consoleUrl).toBeUndefined();
    expect(configWarnings(config)).toEqual([
      expect.stringMatching(/^senderAddress is not set/),
      // Alarms would reach no one: the topic has no subscriber.
      expect.stringMatching(/^alarmEmail is not set: .* no subscriber/),
    ]);
    expect(
      configWarnings(parseKeygateConfig({ senderAddress: 'a@acme.example', alarmEmail: 'ops@acme.example' })),
    ).toEqual([]);
  });

  it('warns about an HTTP backend on a loopback address, which only npm start can reach', () => {
    const withBackends = (baseUrl: string) =>
      configWarnings(
        parseKeygateConfig({
          senderAddress: 'a@acme.example',
          alarmEmail: 'ops@acme.example',
          integrations: { messaging: { type: 'http', baseUrl } },
          defaultBackend: { type: 'http', baseUrl },
        }),
      );
    for (const baseUrl of [
      'http://localhost:8080',
      'http://127.0.0.1:9000/api',
      'http://[::1]:8080',
      'http://api.localhost',
    ]) {
      expect(withBackends(baseUrl)).toEqual([
        expect.stringMatching(/^integrations\.messaging\.baseUrl .* is a loopback address/),
        expect.stringMatching(/^defaultBackend\.baseUrl .* is a loopback address/),
      ]);
    }
    for (const baseUrl of ['https://api.acme.example', 'http://10.0.0.5:8080', 'http://128.0.0.1']) {
      expect(withBackends(baseUrl)).toEqual([]);
    }
  });

  it('names the source and every bad field in one error', () => {
    const message = failure({
      stage: 'Prod!',
      keyPrefix: 'WSK',
      senderAddress: 'not-an-email',
      authorizerCacheTtlSeconds: 7200,
      retentionDays: 0,
      auditRetentionDays: 3654,
      logRetentionDays: 31,
    });
    expect(message).toContain('invalid keygate config (keygate.config.json)');
    for (const field of [
      'stage:',
      'keyPrefix:',
      'senderAddress:',
      'authorizerCacheTtlSeconds:',
      'retentionDays:',
      'auditRetentionDays:',
      'logRetentionDays: one of 1, 3, 5, 7, 14, 30',
    ]) {
      expect(message).toContain(`  - ${field}`);
    }
  });

  it("reports a bad field and its catalog's problems together, so one pass fixes both", () => {
    const catalog = join(dir, 'twice.json');
    const route = { method: 'GET', path: '/orders', namespace: 'orders' };
    writeFileSync(catalog, JSON.stringify({ routes: [route, route] }));
    const message = failure({ senderAddress: 'not-an-email', catalog: ['twice.json'] }, dir);
    expect(message).toContain('  - senderAddress:');
    expect(message).toMatch(/ {2}- catalog: twice\.json: .*GET \/orders/);
    // A missing file is named beside the bad field too; a malformed `catalog` is its own problem only.
    const both = failure({ stage: 'Prod!', catalog: ['nowhere.json'] }, dir);
    expect(both).toContain('  - stage:');
    expect(both).toContain('  - catalog: nowhere.json: file not found');
    expect(failure({ stage: 'Prod!', catalog: 'twice.json' }, dir).split('\n  - ').slice(1)).toEqual([
      expect.stringMatching(/^stage:/),
      expect.stringMatching(/^catalog:/),
    ]);
  });

  it('rejects unknown fields, so a typo never silently falls back to a default', () => {
    expect(failure({ alarmEmails: 'ops@acme.example' })).toMatch(/alarmEmails/);
    expect(failure({ throttling: { rate: 5 } })).toMatch(/throttling/);
  });

  it('rejects integrations for unknown namespaces and malformed backends', () => {
    expect(failure({ integrations: { mesaging: { type: 'http', baseUrl: 'https://a.example' } } })).toMatch(
      /integrations\.mesaging: "mesaging" is not a namespace or group of protected routes; known: .*messaging.*pbx/,
    );
    expect(failure({ integrations: { apikeys: { type: 'http', baseUrl: 'https://a.example' } } })).toMatch(
      /integrations\.apikeys/,
    );
    expect(failure({ integrations: { pbx: { type: 'http', baseUrl: 'ftp://a.example' } } })).toMatch(
      /integrations\.pbx\.baseUrl: must be an http\(s\) URL/,
    );
    expect(failure({ integrations: { pbx: { type: 'http', baseUrl: 'https://a.example/' } } })).toMatch(
      /must not end with "\/"/,
    );
    for (const baseUrl of [
      'http://127.0.0.1:3950#frag',
      'https://a.example/prefix?token=abc',
      'https://a.example?',
    ]) {
      expect(failure({ integrations: { pbx: { type: 'http', baseUrl } } }), baseUrl).toMatch(
        /integrations\.pbx\.baseUrl: must not hold a query \(\?\) or a fragment \(#\)/,
      );
    }
    expect(failure({ integrations: { pbx: { type: 'lambda', functionArn: 'pbx-backend' } } })).toMatch(
      /integrations\.pbx\.functionArn: must be a Lambda function ARN/,
    );
  });

  it('requires every OIDC field when the identity provider is external', () => {
    const message = failure({ identityProvider: { type: 'oidc', issuer: 'https://login.acme.example' } });
    for (const field of ['audience', 'jwksUri', 'companyClaim', 'groupsClaim', 'rootAdminGroup']) {
      expect(message).toContain(`identityProvider.${field}`);
    }
    // The authorizer refuses plain-http signing keys at start-up: that would fail every request.
    const plain = failure({
      identityProvider: {
        type: 'oidc',
        issuer: 'https://login.acme.example',
        audience: 'keygate',
        jwksUri: 'http://login.acme.example/jwks',
        companyClaim: 'company',
        groupsClaim: 'groups',
        rootAdminGroup: 'root',
      },
    });
    expect(plain).toMatch(/identityProvider\.jwksUri: must be an https URL/);
  });

  it('reads keygate.config.json, lets the `keygate` context override it, and reports bad JSON clearly', () => {
    writeFileSync(join(dir, 'keygate.config.json'), JSON.stringify({ stage: 'dev', retentionDays: 10 }));
    const context: Record<string, unknown> = { keygate: { retentionDays: 20 } };
    const { config, source } = loadKeygateConfig((key) => context[key], dir);
    expect(config).toMatchObject({ stage: 'dev', retentionDays: 20 });
    expect(source).toContain('keygate.config.json + context keygate');

    expect(loadKeygateConfig(() => undefined, join(dir, 'nowhere')).source).toBe('defaults');
    expect(() =>
      loadKeygateConfig((key) => (key === 'keygate:config' ? 'missing.json' : undefined), dir),
    ).toThrow(/missing\.json.*\n.*file not found/);
    writeFileSync(join(dir, 'broken.json'), '{ "stage": ');
    expect(() =>
      loadKeygateConfig((key) => (key === 'keygate:config' ? 'broken.json' : undefined), dir),
    ).toThrow(/broken\.json.*\n.*not valid JSON/);
    expect(() =>
      loadKeygateConfig((key) => (key === 'keygate' ? '{"stage":"qa"}' : undefined), dir),
    ).not.toThrow();
  });

  it('accepts the committed example config as it stands', () => {
    const example = JSON.parse(
      readFileSync(new URL('../../keygate.config.example.json', import.meta.url), 'utf8'),
    );
    const config = parseKeygateConfig(example, 'keygate.config.example.json');
    expect(configWarnings(config)).toEqual([]);
  });
});

describe('Lambda backends outside the stack’s account or region', () => {
  const ACCOUNT = '123456789012';
  const arn = (region: string, account: string) => `arn:aws:lambda:${region}:${account}:function:pbx-backend`;
  /** Where the CDK CLI says the stack deploys (from the credentials), as `cdk deploy` runs the app. */
  const cliEnvironment = (env: { account?: string; region?: string }) => {
    vi.stubEnv('CDK_DEFAULT_ACCOUNT', env.account);
    vi.stubEnv('CDK_DEFAULT_REGION', env.region);
  };
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  /** The message synth fails with, or undefined when the stacks synthesize. */
  const synthFailure = (raw: Record<string, unknown>): string | undefined => {
    try {
      synthKeygate(raw);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidKeygateConfigError);
      return (error as Error).message;
    }
  };

  it('fails synth naming the integration when the account and region are known and differ', () => {
    cliEnvironment({ account: ACCOUNT, region: 'eu-west-1' });
    expect(
      synthFailure({ integrations: { pbx: { type: 'lambda', functionArn: arn('us-east-1', ACCOUNT) } } }),
    ).toMatch(
      /invalid keygate config \(test\):\n {2}- integrations\.pbx\.functionArn: the function is in region us-east-1 \(the stack's: eu-west-1\); a Lambda backend must be in the stack's account and region/,
    );
    expect(
      synthFailure({
        integrations: { messaging: { type: 'lambda', functionArn: arn('eu-west-1', '210987654321') } },
        defaultBackend: { type: 'lambda', functionArn: arn('eu-central-1', '210987654321') },
      }),
    ).toMatch(
      /integrations\.messaging\.functionArn: the function is in account 210987654321 \(the stack's: 123456789012\);.*\n {2}- defaultBackend\.functionArn: the function is in account 210987654321 \(the stack's: 123456789012\) and region eu-central-1 \(the stack's: eu-west-1\)/s,
    );
    // The config's region is the stack's, whatever the CLI's is.
    expect(
      synthFailure({
        region: 'eu-central-1',
        integrations: { pbx: { type: 'lambda', functionArn: arn('eu-west-1', ACCOUNT) } },
      }),
    ).toMatch(/region eu-west-1 \(the stack's: eu-central-1\)/);
    expect(
      synthFailure({ integrations: { pbx: { type: 'lambda', functionArn: arn('eu-west-1', ACCOUNT) } } }),
    ).toBeUndefined();
  });

  it('compares only what synth knows: an environment-agnostic stack leaves the account (or both) to the deploy', () => {
    // `cdk synth` without credentials: no account; the region only if the config names one.
    cliEnvironment({});
    expect(
      synthFailure({
        region: 'eu-west-1',
        integrations: { pbx: { type: 'lambda', functionArn: arn('eu-west-1', '210987654321') } },
      }),
    ).toBeUndefined();
    expect(
      synthFailure({
        region: 'eu-west-1',
        integrations: { pbx: { type: 'lambda', functionArn: arn('us-east-1', '210987654321') } },
      }),
    ).toMatch(
      /integrations\.pbx\.functionArn: the function is in region us-east-1 \(the stack's: eu-west-1\);/,
    );
    expect(
      synthFailure({
        integrations: { pbx: { type: 'lambda', functionArn: arn('us-east-1', '210987654321') } },
      }),
    ).toBeUndefined();
  });
});
