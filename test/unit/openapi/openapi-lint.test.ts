import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Redocly CLI lints the committed document with the repository's `redocly.yaml` (recommended-strict
 * plus RFC 9457 problem answers). A copy with a defect must fail, so the lint is known to bite.
 */

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
// No telemetry or update check: the linter runs offline.
const ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keygate-openapi-lint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lint(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [REDOCLY, 'lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'stylish', file],
      { cwd: ROOT, env: ENV, timeout: 60_000 },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the OpenAPI lint', () => {
  it('passes on docs/openapi.json', async () => {
    const result = await lint(join(ROOT, 'docs/openapi.json'));
    expect(result.output).toContain('valid');
    expect(result.code, result.output).toBe(0);
  });

  it('fails on a document whose error answer is plain JSON and whose operation has no id', async () => {
    const document = JSON.parse(await readFile(join(ROOT, 'docs/openapi.json'), 'utf8'));
    const create = document.paths['/v1/api-keys'].post;
    delete create.operationId;
    create.responses['400'].content = {
      'application/json': create.responses['400'].content['application/problem+json'],
    };
    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify(document));
    const result = await lint(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('operation-operationId');
    expect(result.output).toContain('problem-details');
  });
});
