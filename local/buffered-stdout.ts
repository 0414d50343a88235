/**
 * Local mode's standard output, written in batches. Node writes to a pipe or a file synchronously,
 * one system call per line, and local mode logs every request twice (the gateway's access line and
 * the authorizer's decision): profiled under load, those writes were a fifth of the gateway's CPU.
 * Lines are kept in order and written together at most `flushMs` later, and at exit.
 */
export function bufferStdout(stream: NodeJS.WriteStream = process.stdout, flushMs = 10): void {
  const write = stream.write.bind(stream);
  let pending: string[] = [];
  let callbacks: Array<(error?: Error | null) => void> = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    const done = callbacks;
    pending = [];
    callbacks = [];
    write(text, (error) => {
      for (const callback of done) callback(error);
    });
  };
  // Console (and so Powertools Logger) calls `stream.write(text, callback)`; other forms are passed on.
  stream.write = ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    if (
      typeof chunk !== 'string' ||
      (encodingOrCallback !== undefined && typeof encodingOrCallback !== 'function')
    ) {
      flush();
      return write(chunk as string, encodingOrCallback as BufferEncoding, callback as () => void);
    }
    pending.push(chunk);
    if (typeof encodingOrCallback === 'function') callbacks.push(encodingOrCallback as () => void);
    if (!scheduled) {
      scheduled = true;
      setTimeout(flush, flushMs).unref();
    }
    return true;
  }) as typeof stream.write;
  // At exit the loop no longer runs timers; a write to a pipe or file is synchronous then.
  process.on('exit', flush);
}
