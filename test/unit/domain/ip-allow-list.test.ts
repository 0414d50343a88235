import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { compileAllowList, ipAllowed, validateAllowedIps } from '../../../shared/domain/net/ip-allow-list.js';

function cidrsOf(input: unknown): string[] {
  const result = validateAllowedIps(input);
  if (!result.ok) throw new Error(`expected valid allowedIps, got ${JSON.stringify(result.errors)}`);
  return result.cidrs;
}

describe('validateAllowedIps', () => {
  it('is optional: absent or null means no restriction', () => {
    expect(validateAllowedIps(undefined)).toEqual({ ok: true, cidrs: [] });
    expect(validateAllowedIps(null)).toEqual({ ok: true, cidrs: [] });
    expect(validateAllowedIps([])).toEqual({ ok: true, cidrs: [] });
  });

  it.each([
    ['203.0.113.7', '203.0.113.7/32'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['192.168.1.0/24', '192.168.1.0/24'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128'],
    ['::1', '::1/128'],
    ['::/0', '::/0'],
    ['fe80::/10', 'fe80::/10'],
    ['::ffff:192.0.2.1', '192.0.2.1/32'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::FFFF:c000:0201', '192.0.2.1/32'],
    [' 198.51.100.0/24 ', '198.51.100.0/24'],
  ])('normalises %s to %s', (entry, canonical) => {
    expect(validateAllowedIps([entry])).toEqual({ ok: true, cidrs: [canonical] });
  });

  it('drops duplicates, however they were written, keeping the first order', () => {
    expect(
      validateAllowedIps([
        '10.0.0.0/8',
        '2001:db8::1',
        '10.0.0.0/8',
        '2001:DB8:0::1/128',
        '::ffff:10.0.0.0/104',
      ]),
    ).toEqual({ ok: true, cidrs: ['10.0.0.0/8', '2001:db8::1/128'] });
  });

  it('refuses host bits in a CIDR and suggests the network', () => {
    expect(validateAllowedIps(['10.0.0.1/8'])).toEqual({
      ok: false,
      errors: [
        { pointer: '/allowedIps/0', message: '"10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?' },
      ],
    });
    const v6 = validateAllowedIps(['2001:db8::1/32']);
    expect(v6.ok).toBe(false);
    if (!v6.ok) expect(v6.errors[0]?.message).toContain('did you mean 2001:db8::/32?');
  });

  it.each([
    ['a host name', 'example.com'],
    ['an IPv4 with a missing octet', '10.0.0'],
    ['a shorthand IPv4', '10.1'],
    ['an octal-looking IPv4', '010.0.0.1'],
    ['an out-of-range octet', '256.0.0.1'],
    ['an IPv4 prefix above 32', '10.0.0.0/33'],
    ['an IPv6 prefix above 128', '2001:db8::/129'],
    ['an empty prefix', '10.0.0.0/'],
    ['a signed prefix', '10.0.0.0/+8'],
    ['a leading-zero prefix', '10.0.0.0/08'],
    ['a netmask instead of a prefix', '10.0.0.0/255.0.0.0'],
    ['two slashes', '10.0.0.0/8/8'],
    ['a zone id', 'fe80::1%eth0'],
    ['a bracketed IPv6', '[2001:db8::1]'],
    ['two double colons', '2001::db8::1'],
    ['an empty string', ''],
    ['a mapped IPv6 CIDR wider than the IPv4 space', '::ffff:0.0.0.0/95'],
  ])('refuses %s', (_label, entry) => {
    const result = validateAllowedIps(['192.0.2.0/24', entry]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.pointer).toBe('/allowedIps/1');
    }
  });

  it('refuses a non-array and non-string entries', () => {
    expect(validateAllowedIps('10.0.0.0/8')).toEqual({
      ok: false,
      errors: [{ pointer: '/allowedIps', message: 'allowedIps must be an array of IP addresses or CIDRs' }],
    });
    expect(validateAllowedIps([42])).toEqual({
      ok: false,
      errors: [{ pointer: '/allowedIps/0', message: 'must be a string' }],
    });
  });

  it('takes 50 entries and refuses 51', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`);
    expect(cidrsOf(entries(50))).toHaveLength(50);
    expect(validateAllowedIps(entries(51))).toEqual({
      ok: false,
      errors: [{ pointer: '/allowedIps', message: 'allowedIps must contain at most 50 entries' }],
    });
  });
});

describe('ipAllowed', () => {
  it('allows everything when the list is empty', () => {
    expect(ipAllowed('203.0.113.7', [])).toBe(true);
    expect(ipAllowed('2001:db8::1', [])).toBe(true);
  });

  it('matches IPv4 addresses against IPv4 CIDRs', () => {
    const cidrs = ['10.0.0.0/8', '203.0.113.7/32'];
    expect(ipAllowed('10.255.1.2', cidrs)).toBe(true);
    expect(ipAllowed('203.0.113.7', cidrs)).toBe(true);
    expect(ipAllowed('203.0.113.8', cidrs)).toBe(false);
    expect(ipAllowed('11.0.0.1', cidrs)).toBe(false);
  });

  it('matches IPv4-mapped IPv6, as Node sockets report IPv4 peers, against IPv4 CIDRs', () => {
    expect(ipAllowed('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(ipAllowed('::ffff:128.0.0.1', ['127.0.0.0/8'])).toBe(false);
  });

  it('matches IPv6 addresses against IPv6 CIDRs and never across families', () => {
    expect(ipAllowed('2001:db8:1::5', ['2001:db8::/32'])).toBe(true);
    expect(ipAllowed('2001:db9::5', ['2001:db8::/32'])).toBe(false);
    expect(ipAllowed('127.0.0.1', ['::1/128'])).toBe(false);
    expect(ipAllowed('::1', ['0.0.0.0/0'])).toBe(false);
    expect(ipAllowed('::1', ['0.0.0.0/0', '::/0'])).toBe(true);
  });

  it('refuses an unparsable request IP when the list restricts', () => {
    for (const ip of ['', 'unknown', '10.0.0.1, 10.0.0.2', 'fe80::1%eth0', '10.1', `${'1'.repeat(100)}`]) {
      expect(ipAllowed(ip, ['0.0.0.0/0', '::/0'])).toBe(false);
    }
  });

  it('lets an unreadable stored entry allow nothing (fail closed)', () => {
    expect(ipAllowed('10.0.0.1', ['not a cidr'])).toBe(false);
    expect(ipAllowed('10.0.0.1', ['not a cidr', '10.0.0.0/8'])).toBe(true);
  });

  it('compiles once and checks many', () => {
    const allowed = compileAllowList(['192.0.2.0/24']);
    expect(['192.0.2.1', '192.0.2.254', '192.0.3.1'].map(allowed)).toEqual([true, true, false]);
  });
});

describe('ip allow-list properties', () => {
  const v4Arb = fc.ipV4();
  const v6Arb = fc.ipV6();

  it('round-trips: canonical output validates to itself', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(v4Arb, v6Arb), { maxLength: 20 }), (addresses) => {
        const cidrs = cidrsOf(addresses);
        expect(cidrsOf(cidrs)).toEqual(cidrs);
        expect(new Set(cidrs).size).toBe(cidrs.length);
      }),
      { numRuns: 500 },
    );
  });

  it('turns a single address into a /32 or /128 that allows exactly that address', () => {
    fc.assert(
      fc.property(fc.oneof(v4Arb, v6Arb), (address) => {
        const [cidr] = cidrsOf([address]);
        expect(cidr).toMatch(/\/(32|128)$/);
        expect(ipAllowed(address, [cidr as string])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the network of any IPv4 address and prefix, and it contains that address', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 32 }),
        (octets, prefix) => {
          const address = octets.join('.');
          const value = octets.reduce((acc, octet) => acc * 256 + octet, 0);
          const mask = prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix);
          const network = [24, 16, 8, 0]
            .map((shift) => Math.floor(((value & mask) >>> 0) / 2 ** shift) % 256)
            .join('.');
          expect(cidrsOf([`${network}/${prefix}`])).toEqual([`${network}/${prefix}`]);
          expect(ipAllowed(address, [`${network}/${prefix}`])).toBe(true);
          expect(ipAllowed(`::ffff:${address}`, [`${network}/${prefix}`])).toBe(true);
          const withHostBits = validateAllowedIps([`${address}/${prefix}`]);
          expect(withHostBits.ok).toBe(address === network);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with ipaddr.js on whether an address falls in a CIDR', () => {
    const networkOf = (base: string, prefix: number) =>
      ipaddr.IPv4.isValid(base)
        ? ipaddr.IPv4.networkAddressFromCIDR(`${base}/${prefix}`)
        : ipaddr.IPv6.networkAddressFromCIDR(`${base}/${prefix}`);
    const unmapped = (text: string) => {
      const address = ipaddr.parse(text);
      return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
        ? (address as ipaddr.IPv6).toIPv4Address()
        : address;
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(v4Arb, v4Arb, fc.integer({ min: 0, max: 32 })),
          fc.tuple(v6Arb, v6Arb, fc.integer({ min: 0, max: 128 })),
        ),
        fc.boolean(),
        ([other, base, prefix], nearby) => {
          fc.pre(unmapped(base).kind() === ipaddr.parse(base).kind());
          const network = networkOf(base, prefix);
          // Half the time the address is the CIDR's own base, so matches are exercised as often as misses.
          const address = nearby ? base : other;
          const [cidr] = cidrsOf([`${network.toString()}/${prefix}`]);
          const parsed = unmapped(address);
          const expected = parsed.kind() === network.kind() && parsed.match(network, prefix);
          expect(ipAllowed(address, [cidr as string])).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.array(fc.string(), { maxLength: 60 })),
        fc.string(),
        (input, ip) => {
          const result = validateAllowedIps(input);
          expect(typeof result.ok).toBe('boolean');
          expect(typeof ipAllowed(ip, result.ok ? result.cidrs : [])).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
