import type { IncomingMessage } from 'node:http';

/**
 * Reads the request body, keeping at most `limit` bytes; past that the rest is drained (so the client
 * reads the 413 instead of a reset connection) and `'too-large'` is returned. `undefined`: no body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : size === 0 ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
