import { readFileSync } from 'node:fs';
import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { KeygateConfig } from '../../infra/config.js';
import type { KeygateFunctionName } from '../../infra/constructs/keygate-function.js';
import { buildKeygate, type KeygateStacks } from '../../infra/keygate.js';
import {
  type KeygateDeployment,
  resolveKeygateDeployment,
} from '../../shared/adapters/config/keygate-deployment.js';

/** The feature flags `cdk synth` uses, so the tests synthesize what a deployment would. */
const CDK_CONTEXT = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

/** A config a real deployment could have: the placeholders replaced. */
export const TEST_CONFIG = {
  senderAddress: 'keys@acme.example',
  consoleUrl: 'https://console.acme.example/api-keys',
} as const;

export interface SynthesizedKeygate {
  readonly app: App;
  readonly config: KeygateConfig;
  readonly deployment: KeygateDeployment;
  readonly stacks: KeygateStacks;
  /** The stateless stack's template. */
  readonly appTemplate: Template;
  /** The stateful stack's template. */
  readonly dataTemplate: Template;
  /** Logical id of a function in the stateless template. */
  functionId(name: KeygateFunctionName): string;
  roleId(name: KeygateFunctionName): string;
}

/**
 * Builds and synthesizes both stacks once, from a config as the shared loader resolves it (catalog
 * files relative to `baseDir`). Bundling is skipped (the template is what is tested;
 * `npm run synth` bundles for real) and so is CDK's built-in CloudFormation schema validation.
 */
export function synthKeygate(
  raw: Record<string, unknown> = {},
  baseDir: string = process.cwd(),
): SynthesizedKeygate {
  const app = new App({
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const deployment = resolveKeygateDeployment({ ...TEST_CONFIG, ...raw }, { source: 'test', baseDir });
  const { config } = deployment;
  const stacks = buildKeygate(app, deployment);
  const appTemplate = Template.fromStack(stacks.stateless);
  const dataTemplate = Template.fromStack(stacks.stateful);
  const fn = (name: KeygateFunctionName) => {
    const created = stacks.stateless.functions.get(name);
    if (created === undefined) throw new Error(`no function ${name} in the stack`);
    return created;
  };
  return {
    app,
    config,
    deployment,
    stacks,
    appTemplate,
    dataTemplate,
    functionId: (name) => stacks.stateless.getLogicalId(fn(name).function.node.defaultChild as CfnResource),
    roleId: (name) => stacks.stateless.getLogicalId(fn(name).role.node.defaultChild as CfnResource),
  };
}

/** Template JSON, navigated freely by the assertions (a wrong path fails the assertion, not the types). */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON has no useful static type here.
export type CfnJson = any;

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** Resources of a template by logical id, optionally of one type. */
export function resourcesOf(template: Template, type?: string): Record<string, CfnResourceJson> {
  const all = (template.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources;
  return Object.fromEntries(
    Object.entries(all).filter(([, resource]) => type === undefined || resource.Type === type),
  );
}

/** Full resource path of every AWS::ApiGateway::Resource, by logical id (root: `/`). */
export function apiResourcePaths(template: Template): Map<string, string> {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const resource = resources[id];
    if (resource === undefined) throw new Error(`unknown API resource ${id}`);
    const parent = parentId(resource.Properties?.ParentId);
    const path = `${parent === undefined ? '' : pathOf(parent)}/${resource.Properties?.PathPart as string}`;
    paths.set(id, path);
    return path;
  };
  for (const id of Object.keys(resources)) pathOf(id);
  return paths;
}

/** The logical id a `ResourceId`/`ParentId` refers to, or undefined for the API's root resource. */
export function parentId(reference: unknown): string | undefined {
  const ref = reference as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (ref.Ref !== undefined) return ref.Ref;
  if (ref['Fn::GetAtt']?.[1] === 'RootResourceId') return undefined;
  throw new Error(`unexpected resource reference ${JSON.stringify(reference)}`);
}

/**
 * CDK's own BucketDeployment handler (a singleton, Python, one per stack) and its role: it copies the
 * console and docs into their bucket at deploy time. Not a keygate function; tested apart.
 */
export const isDeploymentHandler = (logicalId: string): boolean =>
  logicalId.startsWith('CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C');

/** Every string inside a JSON value (deep), to search templates for what must not be there. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * A CloudFormation value as text, references shown by name (`<Ref:X>`, `<Import:X>`, `<X.Attr>`), so
 * a policy or URL made of tokens can be compared whole.
 */
export function render(value: CfnJson): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as CfnJson[]).map(render).join(value['Fn::Join'][0]);
  if (value?.Ref) return `<Ref:${value.Ref}>`;
  if (value?.['Fn::ImportValue']) return `<Import:${value['Fn::ImportValue']}>`;
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}
