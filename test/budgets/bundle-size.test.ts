import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBudgetOverFloor } from '../bench/budgets.js';
import { type BundleReport, buildAllBundles, functionNames } from '../bench/bundles.js';

/**
 * Issue 5's bundle budgets, which are deterministic: every function bundled as the stack bundles it
 * (`keygateEsbuildOptions`), beside the floor — a DynamoDB client sending one GetItem, built the same way.
 * The authorizer may add 125 KiB to the floor, every other function 150 KiB (`test/bench/budgets.ts`).
 */

let outDir: string;
let floor: BundleReport;
let bundles: Map<string, BundleReport>;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'keygate-budget-bundles-'));
  const built = await buildAllBundles(outDir);
  floor = built.floor;
  bundles = new Map(built.functions.map((bundle) => [bundle.name, bundle]));
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** What a failure should say: the size, the budget and where the bytes come from. */
function explain(bundle: BundleReport): string {
  const top = bundle.contributors
    .slice(0, 5)
    .map((contributor) => `${contributor.name} ${(contributor.bytes / 1024).toFixed(1)} KiB`)
    .join(', ');
  return `${bundle.name}: ${(bundle.bytes / 1024).toFixed(1)} KiB, floor ${(floor.bytes / 1024).toFixed(1)} KiB; largest: ${top}`;
}

describe('bundle size budgets', () => {
  it('builds a floor of a bare DynamoDB client: the AWS SDK and nothing of keygate', () => {
    expect(floor.bytes).toBeGreaterThan(100 * 1024);
    expect(floor.contributors.find((contributor) => contributor.name === 'keygate')?.bytes ?? 0).toBeLessThan(
      1024,
    );
  });

  it('bundles every function folder', () => {
    expect([...bundles.keys()]).toEqual(functionNames());
    expect(bundles.has('authorizer')).toBe(true);
  });

  it.each(functionNames())('%s stays within its budget over the floor', (name) => {
    const bundle = bundles.get(name);
    if (!bundle) throw new Error(`${name} was not built`);
    expect(bundle.bytes - floor.bytes, explain(bundle)).toBeLessThanOrEqual(bundleBudgetOverFloor(name));
  });

  it('keeps out of the authorizer what deciding does not need: mail, metrics, the HTTP middlewares, YAML', () => {
    const authorizer = bundles.get('authorizer');
    const packages = new Set(authorizer?.contributors.map((contributor) => contributor.name));
    expect(packages.has('zod'), 'the authorizer validates its environment with its schema').toBe(true);
    for (const unneeded of [
      '@aws-sdk/client-ses',
      '@aws-lambda-powertools/metrics',
      '@middy/http-json-body-parser',
      '@middy/http-header-normalizer',
      // The catalog arrives as catalog JSON; only synth and `npm start` read YAML.
      'yaml',
    ]) {
      expect(packages.has(unneeded), `${unneeded} in the authorizer bundle`).toBe(false);
    }
  });
});
