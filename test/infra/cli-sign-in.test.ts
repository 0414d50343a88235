import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseKeygateConfig } from '../../shared/adapters/config/keygate-config.js';
import {
  CLI_REDIRECT_URIS,
  CLI_SIGN_IN_PATH,
  cliSignInDocumentSchema,
} from '../../shared/adapters/http/cli-sign-in.js';
import { type CfnJson, render, resourcesOf, type SynthesizedKeygate, synthKeygate } from './synth-keygate.js';

/**
 * `keygate login` in AWS: the CLI's Cognito app client (a native app: code + PKCE, no secret, the
 * fixed loopback callbacks), its ID tokens accepted by the authorizer, and the sign-in document the
 * stack writes to the console's origin at `/.well-known/keygate-cli.json` — or, with an OIDC issuer,
 * from the operator's `identityProvider.cli`, or no document at all.
 */

const OIDC = {
  type: 'oidc',
  issuer: 'https://login.acme.example',
  audience: 'keygate-api',
  jwksUri: 'https://login.acme.example/jwks',
  companyClaim: 'company',
  groupsClaim: 'groups',
  rootAdminGroup: 'admins',
};

/** The authorizer's OIDC_AUDIENCE, as the template sets it. */
function audienceOf(synth: SynthesizedKeygate): CfnJson {
  const fn = resourcesOf(synth.appTemplate, 'AWS::Lambda::Function')[synth.functionId('authorizer')];
  if (fn === undefined) throw new Error('no authorizer function');
  return (fn.Properties as CfnJson).Environment.Variables.OIDC_AUDIENCE;
}

const distributionOf = (synth: SynthesizedKeygate) => {
  const [distribution] = Object.values(resourcesOf(synth.appTemplate, 'AWS::CloudFront::Distribution'));
  if (distribution === undefined) throw new Error('no distribution');
  return (distribution.Properties as CfnJson).DistributionConfig;
};
const deploymentsOf = (synth: SynthesizedKeygate) =>
  Object.values(resourcesOf(synth.appTemplate, 'Custom::CDKBucketDeployment')).map(
    (d) => d.Properties as CfnJson,
  );
const cliDeployments = (synth: SynthesizedKeygate) =>
  deploymentsOf(synth).filter((d) => d.DestinationBucketKeyPrefix === '.well-known/');

/** The document as deployed: the staged file, deploy-time values (markers) rendered by name. */
function deployedDocument(synth: SynthesizedKeygate): Record<string, unknown> {
  const [deployment] = cliDeployments(synth);
  const hash = (deployment.SourceObjectKeys[0] as string).replace(/\.zip$/, '');
  const dir = join(synth.app.outdir, `asset.${hash}`);
  expect(existsSync(dir), dir).toBe(true);
  expect(readdirSync(dir)).toEqual(['keygate-cli.json']);
  const markers = (deployment.SourceMarkers?.[0] ?? {}) as Record<string, CfnJson>;
  const text = readFileSync(join(dir, 'keygate-cli.json'), 'utf8').replace(
    /<<marker:0xbaba:\d+>>/g,
    (marker) => render(markers[marker]),
  );
  return JSON.parse(text) as Record<string, unknown>;
}

describe('keygate login with Cognito (the default identity provider)', () => {
  const synth = synthKeygate({});
  const stateful = synth.stacks.stateful;
  const login = stateful.rootAdminLogin;
  if (login === undefined) throw new Error('the default config has no Cognito login');
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stateful.getLogicalId(construct.node.defaultChild as CfnResource);
  const clients = resourcesOf(synth.dataTemplate, 'AWS::Cognito::UserPoolClient');
  const cliClient = clients[logicalId(login.login.cliClient)]?.Properties as CfnJson;

  it('gives the CLI a public native-app client: code flow only, no secret, the console’s scopes, exactly the loopback callbacks', () => {
    expect(Object.keys(clients)).toHaveLength(2);
    expect(cliClient).toBeDefined();
    expect(render(cliClient.UserPoolId)).toBe(`<Ref:${logicalId(login.pool.userPool)}>`);
    expect(cliClient.GenerateSecret).toBe(false);
    expect(cliClient.AllowedOAuthFlows).toEqual(['code']);
    expect(cliClient.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(cliClient.AllowedOAuthScopes).toEqual(['openid', 'email']);
    expect(cliClient.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(cliClient.CallbackURLs).toEqual([
      'http://127.0.0.1:28431/callback',
      'http://127.0.0.1:28432/callback',
      'http://127.0.0.1:28433/callback',
    ]);
    expect(cliClient.CallbackURLs).toEqual([...CLI_REDIRECT_URIS]);
    expect(cliClient.LogoutURLs).toBeUndefined();
    // Signs in through managed login only: no password over the Cognito API with this client.
    expect([...cliClient.ExplicitAuthFlows].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(cliClient.PreventUserExistenceErrors).toBe('ENABLED');
    expect(cliClient.EnableTokenRevocation).toBe(true);
  });

  it('scopes the CLI client exactly as the console’s (app stack) client', () => {
    const [consoleClient] = Object.values(resourcesOf(synth.appTemplate, 'AWS::Cognito::UserPoolClient'));
    const console = consoleClient?.Properties as CfnJson;
    for (const field of ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'SupportedIdentityProviders']) {
      expect(cliClient[field], field).toEqual(console[field]);
    }
  });

  it('brands the CLI client with Cognito’s default style, without which the newer managed login shows no page', () => {
    const brandings = Object.values(
      resourcesOf(synth.dataTemplate, 'AWS::Cognito::ManagedLoginBranding'),
    ).map((b) => b.Properties as CfnJson);
    expect(brandings).toEqual([
      {
        UserPoolId: { Ref: logicalId(login.pool.userPool) },
        ClientId: { Ref: logicalId(login.login.cliClient) },
        UseCognitoProvidedValues: true,
      },
    ]);
  });

  it('lets the authorizer accept the CLI client’s ID tokens (its id linked from the data stack)', () => {
    const audiences = render(audienceOf(synth)).split(',');
    const cliAudience = audiences.find((audience) => audience.includes('cliclientid')) as string;
    expect(cliAudience).toMatch(/^<Ref:SsmParameterValuekeygateprodcliclientid[0-9A-F]+Parameter>$/);
    // The parameter the app stack reads is the one the data stack writes with the client's id.
    const [parameter] = Object.values(resourcesOf(synth.dataTemplate, 'AWS::SSM::Parameter'))
      .map((p) => p.Properties as CfnJson)
      .filter((p) => p.Name === '/keygate/prod/cli-client-id');
    expect(parameter?.Value).toEqual({ Ref: logicalId(login.login.cliClient) });
    const appParameter = (synth.appTemplate.toJSON() as CfnJson).Parameters[cliAudience.slice(5, -1)];
    expect(appParameter).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/keygate/prod/cli-client-id',
    });
    // And the document names that same client.
    expect(deployedDocument(synth).clientId).toBe(cliAudience);
  });

  it('serves /.well-known/keygate-cli.json from the bucket: its own behaviour, GET/HEAD, HTTPS, no router, HSTS and nosniff', () => {
    const config = distributionOf(synth);
    const behaviours = config.CacheBehaviors.filter((b: CfnJson) => b.PathPattern === CLI_SIGN_IN_PATH);
    expect(behaviours).toHaveLength(1);
    const [behaviour] = behaviours;
    const origin = config.Origins.find((o: CfnJson) => o.Id === behaviour.TargetOriginId);
    expect(origin.S3OriginConfig).toBeDefined();
    expect(behaviour).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      // The managed CachingOptimized policy: the object's own Cache-Control (no-cache) is honoured.
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    });
    // The S3 key is the path itself: the router (which answers 404 to unknown paths) is not in the way.
    expect(behaviour.FunctionAssociations).toBeUndefined();
    const policy = resourcesOf(synth.appTemplate, 'AWS::CloudFront::ResponseHeadersPolicy')[
      behaviour.ResponseHeadersPolicyId.Ref
    ]?.Properties as CfnJson;
    const headers = policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity.Override).toBe(true);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ContentSecurityPolicy).toBeUndefined();
  });

  it('deploys the document as JSON, no-cache, invalidated at each deploy, with managed login’s endpoints and the fixed redirect URIs', () => {
    const deployments = cliDeployments(synth);
    expect(deployments).toHaveLength(1);
    const [deployment] = deployments;
    expect(deployment.SystemMetadata).toEqual({
      'content-type': 'application/json',
      'cache-control': 'no-cache',
    });
    expect(deployment.DistributionPaths).toEqual([CLI_SIGN_IN_PATH]);
    expect(deployment.Prune).toBe(true);
    const document = deployedDocument(synth);
    const loginUrl = '<Ref:SsmParameterValuekeygateprodmanagedloginurl[0-9A-F]+Parameter>';
    expect(document).toEqual({
      authorizationEndpoint: expect.stringMatching(new RegExp(`^${loginUrl}/oauth2/authorize$`)),
      tokenEndpoint: expect.stringMatching(new RegExp(`^${loginUrl}/oauth2/token$`)),
      clientId: expect.stringMatching(/^<Ref:SsmParameterValuekeygateprodcliclientid[0-9A-F]+Parameter>$/),
      scope: 'openid email',
      redirectUris: [...CLI_REDIRECT_URIS],
    });
    // With the deploy-time values filled in as CloudFormation would, it is what the CLI accepts.
    const deployed = JSON.parse(
      JSON.stringify(document)
        .replace(
          /<Ref:SsmParameterValuekeygateprodmanagedloginurl[0-9A-F]+Parameter>/g,
          'https://keygate-prod-1a2b3c4d.auth.eu-west-1.amazoncognito.com',
        )
        .replace(/<Ref:SsmParameterValuekeygateprodcliclientid[0-9A-F]+Parameter>/g, '4j0cli0client0id'),
    );
    expect(cliSignInDocumentSchema.parse(deployed)).toEqual(deployed);
  });
});

describe('keygate login with an OIDC issuer', () => {
  const cli = {
    clientId: 'keygate-cli',
    authorizationEndpoint: 'https://login.acme.example/authorize',
    tokenEndpoint: 'https://login.acme.example/token',
  };

  it('serves the operator’s `identityProvider.cli` settings, and the authorizer accepts that client', () => {
    const synth = synthKeygate({ identityProvider: { ...OIDC, cli } });
    expect(deployedDocument(synth)).toEqual({
      ...cli,
      scope: 'openid email',
      redirectUris: [...CLI_REDIRECT_URIS],
    });
    expect(audienceOf(synth)).toBe('keygate-api,keygate-cli');
    expect(resourcesOf(synth.dataTemplate, 'AWS::Cognito::UserPoolClient')).toEqual({});
  });

  it('defaults the CLI client to `audience`', () => {
    const { clientId: _, ...withoutClient } = cli;
    const synth = synthKeygate({
      identityProvider: { ...OIDC, cli: { ...withoutClient, scope: 'openid profile' } },
    });
    expect(deployedDocument(synth)).toMatchObject({ clientId: 'keygate-api', scope: 'openid profile' });
    expect(audienceOf(synth)).toBe('keygate-api');
  });

  it('deploys no document and no behaviour without `cli` (the CLI then says to use KEYGATE_TOKEN), and warns', async () => {
    const synth = synthKeygate({ identityProvider: OIDC });
    expect(cliDeployments(synth)).toEqual([]);
    const patterns = distributionOf(synth).CacheBehaviors.map((b: CfnJson) => b.PathPattern);
    expect(patterns).not.toContain(CLI_SIGN_IN_PATH);
    const { configWarnings } = await import('../../shared/adapters/config/keygate-config.js');
    expect(configWarnings(synth.config).join('\n')).toMatch(
      /identityProvider\.cli is not set.*KEYGATE_TOKEN/,
    );
  });

  it('refuses bad `cli` settings, naming the field', () => {
    const bad = (settings: Record<string, unknown>) => () =>
      parseKeygateConfig({ identityProvider: { ...OIDC, cli: settings } });
    expect(bad({ ...cli, tokenEndpoint: 'http://login.acme.example/token' })).toThrow(
      /identityProvider\.cli\.tokenEndpoint/,
    );
    expect(bad({ ...cli, authorizationEndpoint: 'not a url' })).toThrow(
      /identityProvider\.cli\.authorizationEndpoint/,
    );
    expect(bad({ ...cli, scope: 'email' })).toThrow(/identityProvider\.cli\.scope: must include openid/);
    expect(bad({ ...cli, clientId: ' ' })).toThrow(/identityProvider\.cli\.clientId/);
    expect(bad({ ...cli, redirectUris: ['http://127.0.0.1:1/callback'] })).toThrow(/identityProvider\.cli/);
    expect(bad({ clientId: 'x' })).toThrow(/identityProvider\.cli\.authorizationEndpoint/);
  });
});
