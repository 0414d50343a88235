import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchEmulators } from '../../../local/emulator-watch.js';

function deferred() {
  let resolve: (what: string) => void = () => {};
  const promise = new Promise<string>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('watchEmulators', () => {
  it('names the emulator that died, once, after the grace period', async () => {
    const dynamo = deferred();
    const ses = deferred();
    const deaths: string[] = [];
    watchEmulators({
      emulators: [
        { name: 'DynamoDB Local (java, pid 42)', died: dynamo.promise },
        { name: 'The SES emulator', died: ses.promise },
      ],
      isStopping: () => false,
      onDeath: (message) => deaths.push(message),
      graceMs: 500,
    });
    dynamo.resolve('was killed by SIGKILL');
    await vi.advanceTimersByTimeAsync(499);
    expect(deaths).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(deaths).toEqual([
      'DynamoDB Local (java, pid 42) was killed by SIGKILL: keygate cannot serve without it, so it stops (its data is kept; run npm start again).',
    ]);
    ses.resolve('stopped listening');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deaths).toHaveLength(1);
  });

  it('says nothing when keygate began stopping within the grace period (one Ctrl-C reaches java too)', async () => {
    const dynamo = deferred();
    let stopping = false;
    const deaths: string[] = [];
    watchEmulators({
      emulators: [{ name: 'DynamoDB Local', died: dynamo.promise }],
      isStopping: () => stopping,
      onDeath: (message) => deaths.push(message),
      graceMs: 500,
    });
    dynamo.resolve('exited with code 130');
    await vi.advanceTimersByTimeAsync(100);
    stopping = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deaths).toEqual([]);
  });
});
