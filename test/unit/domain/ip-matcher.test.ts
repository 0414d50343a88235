import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { compileAllowList, parseIPv6Groups } from '../../../shared/domain/net/ip-matcher.js';

/**
 * The authorizer's hand-written IPv6 parser (no ipaddr.js in its bundle) against ipaddr.js, which
 * validates and canonicalises allow-lists at creation: both must read every address the same way.
 */
describe('parseIPv6Groups', () => {
  const groupsByIpaddr = (text: string) => {
    const address = ipaddr.IPv6.parse(text);
    return address.parts;
  };

  it('reads every IPv6 text form as ipaddr.js does', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        expect(parseIPv6Groups(text)).toEqual(groupsByIpaddr(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the deprecated IPv4-compatible form as IPv4-mapped, as ipaddr.js does', () => {
    expect(parseIPv6Groups('::1.2.3.4')).toEqual(groupsByIpaddr('::1.2.3.4'));
    expect(parseIPv6Groups('::1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  });

  it('refuses what is not an IPv6 address', () => {
    for (const text of [
      '',
      ':',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      'g::1',
      '::1%eth0',
      '1:2:3:4:5:6:7:8::',
      '::256.1.1.1',
      '::01.2.3.4',
    ]) {
      expect(parseIPv6Groups(text), text).toBeUndefined();
    }
  });

  it('never accepts what ipaddr.js refuses', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f:.]{0,45}$/), (text) => {
        if (parseIPv6Groups(text) !== undefined) expect(ipaddr.IPv6.isValid(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

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
