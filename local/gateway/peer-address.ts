import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

/** The TCP peer's address as API Gateway reports it: IPv4-mapped IPv6 (`::ffff:127.0.0.1`) unwrapped. */
export function peerAddress(req: Pick<IncomingMessage, 'socket'>): string {
  const raw = req.socket.remoteAddress ?? '';
  return ipaddr.isValid(raw) ? ipaddr.process(raw).toString() : raw;
}
