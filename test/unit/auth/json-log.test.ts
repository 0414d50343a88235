import { describe, expect, it } from 'vitest';
import { createJsonLog } from '../../../functions/authorizer/json-log.js';

/** The authorizer's JSON-line log (Powertools Logger's line shape, without Powertools in the bundle). */
function capture(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const log = createJsonLog('keygate-authorizer', { env, write: (line) => lines.push(line) });
  return { log, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

describe('createJsonLog', () => {
  it('writes one JSON line per entry with level, message, service, request id and the attributes', () => {
    const { log, records, lines } = capture({});
    log.startInvocation('req-1');
    log.info('authorization decision', { effect: 'allow', latencyMs: 1.5 });
    log.startInvocation('req-2');
    log.warn('lastUsedAt write failed; request allowed', { keyId: 'k1' });
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'authorization decision',
        service: 'keygate-authorizer',
        function_request_id: 'req-1',
        cold_start: true,
        effect: 'allow',
        latencyMs: 1.5,
      }),
      expect.objectContaining({
        level: 'WARN',
        function_request_id: 'req-2',
        cold_start: false,
        keyId: 'k1',
      }),
    ]);
    expect(Number.isNaN(Date.parse(String(records()[0]?.timestamp)))).toBe(false);
  });

  it('renders errors as name, message and stack', () => {
    const { log, records } = capture({});
    log.error('authorization fault', { error: new TypeError('socket hang up') });
    expect(records()[0]?.error).toMatchObject({ name: 'TypeError', message: 'socket hang up' });
  });

  it('honours the Lambda application log level first, then POWERTOOLS_LOG_LEVEL; SILENT writes nothing', () => {
    const warnOnly = capture({ AWS_LAMBDA_LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    warnOnly.log.info('hidden', {});
    warnOnly.log.warn('shown', {});
    expect(warnOnly.records().map((record) => record.message)).toEqual(['shown']);

    const silent = capture({ POWERTOOLS_LOG_LEVEL: 'SILENT' });
    silent.log.error('hidden', {});
    expect(silent.lines).toEqual([]);

    const unknownLevel = capture({ POWERTOOLS_LOG_LEVEL: 'LOUD' });
    unknownLevel.log.info('shown at the INFO default', {});
    expect(unknownLevel.lines).toHaveLength(1);
  });
});
