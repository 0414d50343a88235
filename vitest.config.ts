import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * One Vitest project per test layer (see CONTRIBUTING.md). Vitest 4's inline projects inherit nothing
 * from this file unless they say `extends: true`, and that would also inherit `projects`; so the
 * options every layer shares are spelled out once here and spread into each project.
 */
const shared = {
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks',
} satisfies TestProjectInlineConfiguration['test'];

/** Starts DynamoDB Local (Java) and the SES emulator, once per run, for the layers that use them. */
const SERVICES = ['test/support/global-setup.ts'];

const layer = (name: string, globalSetup: string[] = []): TestProjectInlineConfiguration => ({
  test: { ...shared, name, include: [`test/${name}/**/*.test.ts`], globalSetup },
});

export default defineConfig({
  test: {
    projects: [
      // Pure: no Java, no network, no emulator — `npm run test:unit` runs this alone, in seconds.
      layer('unit'),
      // Real handlers and adapters against DynamoDB Local, the SES emulator and loopback servers.
      layer('integration', SERVICES),
      // Template assertions and cdk-nag on the synthesized stack.
      layer('infra'),
      // HTTP against the local gateway and `npm start`.
      layer('e2e', SERVICES),
      // Performance budgets: bundle sizes, and store calls counted on DynamoDB Local.
      layer('budgets', SERVICES),
    ],
  },
});
