import { describe, expect, it } from 'vitest';
import { peerAddress } from '../../../local/gateway/peer-address.js';

const from = (remoteAddress: string | undefined) => ({ socket: { remoteAddress } }) as never;

describe('peerAddress, the sourceIp API Gateway reports', () => {
  it('unwraps IPv4-mapped IPv6 and keeps other addresses, the same on every call', () => {
    for (let round = 0; round < 2; round++) {
      expect(peerAddress(from('::ffff:127.0.0.1'))).toBe('127.0.0.1');
      expect(peerAddress(from('::1'))).toBe('::1');
      expect(peerAddress(from('203.0.113.7'))).toBe('203.0.113.7');
      expect(peerAddress(from(undefined))).toBe('');
    }
  });

  it('answers each of many distinct peers correctly, past the number it remembers', () => {
    for (let i = 0; i < 2_000; i++) {
      const ip = `10.${(i >> 8) & 255}.${i & 255}.1`;
      expect(peerAddress(from(`::ffff:${ip}`))).toBe(ip);
    }
  });
});
