/**
 * The authorizer's side of a key's IP allow-list: compiling the stored CIDRs once into a predicate on
 * the request's source IP. Addresses are parsed by hand, as strictly as `validateAllowedIps` does
 * (`ip-allow-list.ts`, which still uses ipaddr.js to validate and canonicalise at creation), so the
 * authorizer's bundle does not carry ipaddr.js (issue 5's bundle budget). Addresses become numbers
 * (IPv4) or eight 16-bit groups (IPv6); a CIDR check is a masked comparison.
 */

/** The longest valid entry is a full IPv6 address with an embedded IPv4 and a /128 (about 50 characters). */
export const MAX_ENTRY_LENGTH = 64;

/** Dotted-quad IPv4 octets, strictly: four decimal parts 0–255 without leading zeros (`010` reads as octal elsewhere). */
export function parseIPv4Octets(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (part.length === 0 || part.length > 3 || (part.length > 1 && part[0] === '0')) return undefined;
    let value = 0;
    for (let i = 0; i < part.length; i++) {
      const digit = part.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return undefined;
      value = value * 10 + digit;
    }
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/**
 * An IPv6 address (RFC 4291 §2.2 text forms: full, `::`-compressed, IPv4 in the last 32 bits) as eight
 * 16-bit groups; undefined for anything else, zone ids (`%eth0`) included.
 */
export function parseIPv6Groups(text: string): number[] | undefined {
  if (text.includes('%')) return undefined;
  // The deprecated IPv4-compatible form `::a.b.c.d` reads as mapped `::ffff:a.b.c.d`, as ipaddr.js
  // (which validates and canonicalises allow-lists at creation) reads it.
  if (text.startsWith('::') && !text.includes(':', 2) && text.includes('.')) {
    return parseIPv6Groups(`::ffff:${text.slice(2)}`);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const texts = part.split(':');
    for (const [index, group] of texts.entries()) {
      if (last && index === texts.length - 1 && group.includes('.')) {
        const octets = parseIPv4Octets(group);
        if (!octets) return undefined;
        groups.push(
          ((octets[0] as number) << 8) | (octets[1] as number),
          ((octets[2] as number) << 8) | (octets[3] as number),
        );
      } else if (HEX_GROUP.test(group)) {
        groups.push(Number.parseInt(group, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  if (halves.length === 1) {
    const groups = groupsOf(text, true);
    return groups?.length === 8 ? groups : undefined;
  }
  const head = groupsOf(halves[0] as string, false);
  const tail = groupsOf(halves[1] as string, true);
  // `::` stands for at least one group of zeros.
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

type Address = { kind: 'ipv4'; value: number } | { kind: 'ipv6'; groups: number[] };

const ipv4Value = (octets: readonly number[]) => octets.reduce((value, octet) => value * 256 + octet, 0);

/** `::ffff:a.b.c.d` (and its hex spelling) as the IPv4 address it maps, as Node reports IPv4 peers. */
function isIPv4Mapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
}

/**
 * Parses one address strictly, as `ip-allow-list.ts` does: dotted-quad IPv4, or IPv6 without a zone
 * id; IPv4-mapped IPv6 becomes the IPv4 address (`mapped`), so it matches IPv4 CIDRs.
 */
function parseAddress(text: string): { address: Address; mapped: boolean } | undefined {
  if (!text.includes(':')) {
    const octets = parseIPv4Octets(text);
    return octets ? { address: { kind: 'ipv4', value: ipv4Value(octets) }, mapped: false } : undefined;
  }
  const groups = parseIPv6Groups(text);
  if (!groups) return undefined;
  if (isIPv4Mapped(groups)) {
    const value = (groups[6] as number) * 65536 + (groups[7] as number);
    return { address: { kind: 'ipv4', value }, mapped: true };
  }
  return { address: { kind: 'ipv6', groups }, mapped: false };
}

/** The mask of an IPv4 prefix as an unsigned 32-bit number (`>>> 0` keeps it unsigned). */
const ipv4Mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** The mask of one 16-bit group of an IPv6 prefix. */
const groupMask = (prefix: number, index: number) => {
  const bits = Math.max(0, Math.min(16, prefix - index * 16));
  return (0xffff << (16 - bits)) & 0xffff;
};

type Range =
  | { kind: 'ipv4'; network: number; mask: number }
  | { kind: 'ipv6'; network: number[]; prefix: number };

/**
 * One stored entry (`address` or `address/prefix`) as a range, or undefined when it is not one
 * `validateAllowedIps` would accept as is: bad syntax, a prefix out of range, host bits set.
 */
function parseRange(text: string): Range | undefined {
  if (text.length === 0 || text.length > MAX_ENTRY_LENGTH) return undefined;
  const slash = text.indexOf('/');
  const parsed = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!parsed) return undefined;
  const bits = parsed.address.kind === 'ipv4' ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (parsed.mapped) {
      // A mapped network only stays inside the IPv4 space with a prefix of at least 96.
      if (prefix < 96 || prefix > 128) return undefined;
      prefix -= 96;
    }
    if (prefix > bits) return undefined;
  }
  if (parsed.address.kind === 'ipv4') {
    const mask = ipv4Mask(prefix);
    const { value } = parsed.address;
    return (value & mask) >>> 0 === value ? { kind: 'ipv4', network: value, mask } : undefined;
  }
  const { groups } = parsed.address;
  const hostBitsSet = groups.some((group, index) => (group & groupMask(prefix, index)) !== group);
  return hostBitsSet ? undefined : { kind: 'ipv6', network: groups, prefix };
}

/**
 * Compiles an allow-list once into a predicate on the request's source IP: an empty list allows
 * everything; otherwise the IP (IPv4, IPv6 or IPv4-mapped IPv6) must fall in one of the CIDRs.
 * An unparsable IP is never allowed, and an unparsable stored entry allows nothing (fail closed).
 */
export function compileAllowList(cidrs: readonly string[]): (ip: string) => boolean {
  if (cidrs.length === 0) return () => true;
  const v4: Array<{ network: number; mask: number }> = [];
  const v6: Array<{ network: number[]; prefix: number }> = [];
  for (const cidr of cidrs) {
    const range = typeof cidr === 'string' ? parseRange(cidr) : undefined;
    if (range?.kind === 'ipv4') v4.push(range);
    else if (range?.kind === 'ipv6') v6.push(range);
  }
  return (ip: string) => {
    const parsed = typeof ip === 'string' && ip.length <= MAX_ENTRY_LENGTH ? parseAddress(ip) : undefined;
    if (parsed === undefined) return false;
    const { address } = parsed;
    if (address.kind === 'ipv4') {
      const { value } = address;
      return v4.some(({ network, mask }) => (value & mask) >>> 0 === network);
    }
    const { groups } = address;
    return v6.some(({ network, prefix }) =>
      network.every((group, index) => ((groups[index] as number) & groupMask(prefix, index)) === group),
    );
  };
}

/** Whether `ip` is allowed by `cidrs` (see {@link compileAllowList}; compile once when checking many IPs). */
export function ipAllowed(ip: string, cidrs: readonly string[]): boolean {
  return compileAllowList(cidrs)(ip);
}
