import { afterEach, describe, expect, it, vi } from 'vitest';
import { bufferStdout } from '../../../local/buffered-stdout.js';

/** A stream that records each write it receives, as one system call each. */
function recordingStream() {
  const writes: Array<string | Buffer> = [];
  const stream = {
    write(chunk: string | Buffer, encodingOrCallback?: unknown, callback?: unknown) {
      writes.push(chunk);
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') done(null);
      return true;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('bufferStdout', () => {
  it('writes the lines of one interval together, in order, and calls every callback', () => {
    vi.useFakeTimers();
    const { stream, writes } = recordingStream();
    bufferStdout(stream, 10);
    const done = vi.fn();
    stream.write('a\n', done);
    stream.write('b\n');
    stream.write('c\n', done);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(writes).toEqual(['a\nb\nc\n']);
    expect(done).toHaveBeenCalledTimes(2);
    stream.write('d\n');
    vi.advanceTimersByTime(10);
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes what is pending before a chunk it does not batch, so the order holds', () => {
    vi.useFakeTimers();
    const { stream, writes } = recordingStream();
    bufferStdout(stream, 10);
    stream.write('first\n');
    stream.write(Buffer.from('binary'));
    expect(writes.map(String)).toEqual(['first\n', 'binary']);
  });
});
