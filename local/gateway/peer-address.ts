import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

/**
 * Unwrapped addresses by raw address: parsing one with ipaddr.js on every request showed in the
 * gateway's profile, and a local gateway's clients are a handful of addresses. Bounded all the same.
 */
const unwrapped = new Map<string, string>();
const UNWRAPPED_LIMIT = 1_000;

/** The TCP peer's address as API Gateway reports it: IPv4-mapped IPv6 (`::ffff:127.0.0.1`) unwrapped. */
export function peerAddress(req: Pick<IncomingMessage, 'socket'>): string {
  const raw = req.socket.remoteAddress ?? '';
  let address = unwrapped.get(raw);
  if (address === undefined) {
    address = ipaddr.isValid(raw) ? ipaddr.process(raw).toString() : raw;
    if (unwrapped.size >= UNWRAPPED_LIMIT) unwrapped.clear();
    unwrapped.set(raw, address);
  }
  return address;
}
