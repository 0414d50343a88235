import type { Server } from 'node:http';
import type { RunningService } from './dynamodb-local.js';
import { freePort } from './dynamodb-local.js';

/**
 * Starts the `aws-ses-v2-local` emulator in this process. It serves SES v1 `SendEmail`,
 * lists sent mail at `GET /store` and has a web UI at `/`.
 */
export async function startSesLocal(options: { port?: number; host?: string } = {}): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const mod = (await import('aws-ses-v2-local')) as unknown as {
    default:
      | ((c: { port: number; host: string }) => Promise<Server>)
      | { default: (c: { port: number; host: string }) => Promise<Server> };
  };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ port, host: options.host ?? '127.0.0.1' });
  let stopping = false;
  // In this process it can only end by its server closing or failing (an uncaught fault ends keygate).
  const died = new Promise<string>((resolve) => {
    server.once('close', () => {
      if (!stopping) resolve('stopped listening');
    });
    server.once('error', (error) => {
      if (!stopping) resolve(`failed: ${error.message}`);
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    died,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        // The emulator never answers calls it does not implement: drop open sockets so close() returns.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
