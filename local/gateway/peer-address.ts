import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import { boundedMemo } from '../bounded-memo.js';

/**
 * Unwrapped addresses by raw address: parsing one with ipaddr.js on every request showed in the
 * gateway's profile, and a local gateway's clients are a handful of addresses.
 */
const unwrap = boundedMemo((raw) => (ipaddr.isValid(raw) ? ipaddr.process(raw).toString() : raw));

/** The TCP peer's address as API Gateway reports it: IPv4-mapped IPv6 (`::ffff:127.0.0.1`) unwrapped. */
export function peerAddress(req: Pick<IncomingMessage, 'socket'>): string {
  return unwrap(req.socket.remoteAddress ?? '');
}
