import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { badTargetAnswer } from '../request-target.js';

/** Thrown when the gateway's port is taken. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use: stop what is using it or set PORT to another port.`);
    this.name = 'PortInUseError';
  }
}

/** A host as it appears in a URL: wildcard addresses become loopback, IPv6 gets brackets. */
export function urlHost(address: string): string {
  if (address === '::' || address === '0.0.0.0') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * Listens on every host with one port (the first host picks it when `port` is 0). A host whose
 * address family the machine lacks is skipped, unless it is the first; a taken port is `PortInUseError`.
 */
export async function listenOnAll(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  hosts: string[],
  port: number,
): Promise<Server[]> {
  const servers: Server[] = [];
  let chosen = port;
  for (const [index, host] of hosts.entries()) {
    const server = createServer(listener);
    answerUnservableRequests(server);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(chosen, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A machine without IPv6 (or IPv4) loopback still serves the other family.
      if (index > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      if (code === 'EADDRINUSE') throw new PortInUseError(chosen);
      throw error;
    }
    const address = server.address();
    if (typeof address === 'object' && address) chosen = address.port;
    servers.push(server);
  }
  return servers;
}

/**
 * Requests Node answers itself unless told otherwise: a target its parser refuses gets the gateway's
 * 400 problem instead of a bare 400, and `CONNECT` the same instead of a dropped connection. Other
 * parse errors keep Node's own answers.
 */
function answerUnservableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_INVALID_URL') socket.end(badTargetAnswer(randomUUID(), ''));
    else if (error.code === 'HPE_HEADER_OVERFLOW')
      socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  server.on('connect', (req: IncomingMessage, socket) => {
    socket.end(badTargetAnswer(randomUUID(), req.method ?? 'CONNECT'));
  });
}
