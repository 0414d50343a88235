import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { synthKeygate } from './synth-keygate.js';

/** Every acknowledgment (suppression) in the app: where, which rule, why. */
function acknowledgments(app: App): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: node.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
    for (const child of node.node.children) visit(child);
  };
  visit(app);
  return found;
}

const VARIANTS: Record<string, Record<string, unknown>> = {
  'default config (Cognito, echo backend, no cache)': {},
  'a set region, external OIDC, HTTP and Lambda backends, cache, existing logging role': {
    region: 'eu-west-1',
    identityProvider: {
      type: 'oidc',
      issuer: 'https://login.acme.example',
      audience: 'keygate',
      jwksUri: 'https://login.acme.example/jwks',
      companyClaim: 'company',
      groupsClaim: 'groups',
      rootAdminGroup: 'admins',
    },
    integrations: {
      messaging: { type: 'http', baseUrl: 'https://api.acme.example' },
      pbx: { type: 'lambda', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:pbx' },
    },
    authorizerCacheTtlSeconds: 60,
    apiGatewayCloudWatchRole: false,
    alarmEmail: 'ops@acme.example',
  },
};

describe('cdk-nag AwsSolutions checks', () => {
  for (const [variant, config] of Object.entries(VARIANTS)) {
    it(`finds no unacknowledged error or warning: ${variant}`, () => {
      const { app } = synthKeygate(config);
      const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
      const findings = report.violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName} at ${violation.violatingResources
            .map((resource) => resource.constructPath)
            .join(', ')}`,
      );
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    });
  }

  it('acknowledges only specific findings, each with a reason that explains itself', () => {
    const { app } = synthKeygate();
    const found = acknowledgments(app);
    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(80);
      // An IAM5 wildcard is acknowledged for the one finding it justifies, never wholesale: "*"
      // resources (X-Ray, CloudFront invalidations), and CDK's BucketDeployment handler's own grants
      // by action or resource, one by one.
      if (id.startsWith('AwsSolutions-IAM5') && id !== 'AwsSolutions-IAM5[Resource::*]') {
        expect(path, id).toMatch(/\/Custom::CDKBucketDeployment[0-9A-F]+\d+MiB$/);
        expect(id).toMatch(/^AwsSolutions-IAM5\[(Action::s3:[A-Za-z]+\*|Resource::.+\/\*)\]$/);
      }
    }
    const rules = [...new Set(found.map(({ id }) => id.replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR3',
      'AwsSolutions-CFR4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
  });
});
