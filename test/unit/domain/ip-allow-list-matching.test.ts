import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { compileAllowList } from '../../../shared/domain/net/ip-allow-list.js';

describe('compileAllowList (IPv6)', () => {
  it('matches an address against any prefix of its own network, as ipaddr.js does', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 128 }), (base, other, prefix) => {
        const network = ipaddr.IPv6.networkAddressFromCIDR(`${base}/${prefix}`);
        if (network.isIPv4MappedAddress()) return;
        const cidr = `${network.toRFC5952String()}/${prefix}`;
        const parsed = ipaddr.parse(other);
        const mapped = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress();
        const expected = !mapped && (parsed as ipaddr.IPv6).match(network, prefix);
        expect(compileAllowList([cidr])(other)).toBe(expected);
        expect(compileAllowList([cidr])(base)).toBe(!ipaddr.IPv6.parse(base).isIPv4MappedAddress());
      }),
      { numRuns: 1000 },
    );
  });
});
