import ipaddr from 'ipaddr.js';

/**
 * A key's optional IP allow-list (DESIGN.md, seed 003): IPv4/IPv6 addresses or CIDRs. An empty list
 * allows every address; otherwise a request from anywhere else gets 403.
 */

/** The longest valid entry is a full IPv6 address with an embedded IPv4 and a /128 (about 50 characters). */
export const MAX_ENTRY_LENGTH = 64;

/** Most entries one key's allow-list may hold. */
export const MAX_ALLOWED_IPS = 50;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface FieldError {
  pointer: string;
  message: string;
}

export type AllowedIpsResult = { ok: true; cidrs: string[] } | { ok: false; errors: FieldError[] };

/**
 * Parses one address strictly: dotted-quad IPv4 (no shorthand like `10.1` or octal-looking `010.0.0.1`)
 * or IPv6 without a zone id. IPv4-mapped IPv6 (`::ffff:10.0.0.1`, as Node sockets report IPv4 peers
 * on a dual-stack listener) becomes the IPv4 address, so it matches IPv4 CIDRs.
 */
function parseAddress(text: string): { address: Address; mapped: boolean } | undefined {
  if (!text.includes(':')) {
    // Four decimal parts without leading zeros (`010` reads as octal elsewhere), each 0–255.
    return ipaddr.IPv4.isValidFourPartDecimal(text)
      ? { address: ipaddr.IPv4.parse(text), mapped: false }
      : undefined;
  }
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  const address = ipaddr.IPv6.parse(text);
  if (address.isIPv4MappedAddress()) return { address: address.toIPv4Address(), mapped: true };
  return { address, mapped: false };
}

const bitsOf = (address: Address) => (address.kind() === 'ipv4' ? 32 : 128);

/** The network address of `address/prefix`: every host bit cleared. */
function networkOf(address: Address, prefix: number): Address {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = (bytes[i] as number) & ((0xff << (8 - keep)) & 0xff);
  }
  return ipaddr.fromByteArray(bytes);
}

const sameAddress = (a: Address, b: Address) => a.toByteArray().join('.') === b.toByteArray().join('.');

/** Canonical text: dotted quad for IPv4, RFC 5952 (compressed, lowercase) for IPv6, always with a prefix. */
const canonical = (address: Address, prefix: number) =>
  `${address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String()}/${prefix}`;

type ParsedCidr = { ok: true; address: Address; prefix: number } | { ok: false; message: string };

/** Parses an address or CIDR into its canonical network and prefix, or says what is wrong with it. */
function parseCidr(text: string): ParsedCidr {
  const invalid: ParsedCidr = {
    ok: false,
    message: 'must be an IPv4 or IPv6 address or CIDR, e.g. 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32',
  };
  if (text.length === 0 || text.length > MAX_ENTRY_LENGTH) return invalid;
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const parsed = parseAddress(addressText);
  if (parsed === undefined) return invalid;
  let prefix = bitsOf(parsed.address);
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return invalid;
    prefix = Number(prefixText);
    if (parsed.mapped) {
      // A mapped network only stays inside the IPv4 space with a prefix of at least 96.
      if (prefix > 128) return invalid;
      if (prefix < 96) {
        return { ok: false, message: 'an IPv4-mapped IPv6 CIDR needs a prefix of at least /96' };
      }
      prefix -= 96;
    }
    if (prefix > bitsOf(parsed.address)) return invalid;
  }
  const network = networkOf(parsed.address, prefix);
  if (!sameAddress(network, parsed.address)) {
    return {
      ok: false,
      message: `${JSON.stringify(text)} has host bits set; did you mean ${canonical(network, prefix)}?`,
    };
  }
  return { ok: true, address: network, prefix };
}

/**
 * Validates a key's `allowedIps`: optional (absent or null → no restriction, `[]`), else an array of at
 * most 50 strings, each an IPv4/IPv6 address or CIDR with no host bits set. Returns canonical CIDRs
 * (`/32` or `/128` for single addresses, IPv6 compressed lowercase, IPv4-mapped IPv6 as IPv4), without
 * duplicates, in the order given. Error pointers are JSON pointers (`/allowedIps/3`).
 */
export function validateAllowedIps(input: unknown): AllowedIpsResult {
  if (input === undefined || input === null) return { ok: true, cidrs: [] };
  if (!Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ pointer: '/allowedIps', message: 'allowedIps must be an array of IP addresses or CIDRs' }],
    };
  }
  if (input.length > MAX_ALLOWED_IPS) {
    return {
      ok: false,
      errors: [
        { pointer: '/allowedIps', message: `allowedIps must contain at most ${MAX_ALLOWED_IPS} entries` },
      ],
    };
  }
  const errors: FieldError[] = [];
  const cidrs = new Set<string>();
  input.forEach((entry: unknown, i) => {
    const pointer = `/allowedIps/${i}`;
    if (typeof entry !== 'string') {
      errors.push({ pointer, message: 'must be a string' });
      return;
    }
    const parsed = parseCidr(entry.trim());
    if (parsed.ok) cidrs.add(canonical(parsed.address, parsed.prefix));
    else errors.push({ pointer, message: parsed.message });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, cidrs: [...cidrs] };
}

/**
 * Whether every address of `inner` lies in `outer`, both addresses or CIDRs as `validateAllowedIps`
 * accepts them (the delegation rule: a child key's allow-list must lie inside its parent's).
 * IPv4 and IPv6 are separate spaces, exactly as the authorizer matches them: an IPv4-mapped IPv6
 * entry is read as the IPv4 range it maps (validation stores it so), and an IPv6 range such as
 * `::/0` contains no IPv4 range, because the authorizer never lets an IPv4 peer through an IPv6
 * entry. An entry that does not parse contains nothing and is contained in nothing (fail closed).
 */
export function cidrWithin(inner: string, outer: string): boolean {
  const child = typeof inner === 'string' ? parseCidr(inner.trim()) : undefined;
  const parent = typeof outer === 'string' ? parseCidr(outer.trim()) : undefined;
  if (!child?.ok || !parent?.ok) return false;
  if (child.address.kind() !== parent.address.kind() || child.prefix < parent.prefix) return false;
  return sameAddress(networkOf(child.address, parent.prefix), parent.address);
}

/** Whether `inner` lies inside one of the CIDRs of `outer` (see {@link cidrWithin}). */
export function cidrWithinAny(inner: string, outer: readonly string[]): boolean {
  return outer.some((cidr) => cidrWithin(inner, cidr));
}

/**
 * Compiles an allow-list once into a predicate on the request's source IP: an empty list allows
 * everything; otherwise the IP (IPv4, IPv6 or IPv4-mapped IPv6) must fall in one of the CIDRs.
 * Stored entries are read by the same parser that validated them; an unparsable IP is never allowed,
 * and an unparsable stored entry allows nothing (fail closed).
 */
export function compileAllowList(cidrs: readonly string[]): (ip: string) => boolean {
  if (cidrs.length === 0) return () => true;
  const ranges = cidrs.flatMap((cidr) => {
    const parsed = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    return parsed?.ok ? [parsed] : [];
  });
  return (ip: string) => {
    const parsed = typeof ip === 'string' && ip.length <= MAX_ENTRY_LENGTH ? parseAddress(ip) : undefined;
    if (parsed === undefined) return false;
    const { address } = parsed;
    return ranges.some(
      (range) =>
        range.address.kind() === address.kind() &&
        (address as ipaddr.IPv4).match(range.address as ipaddr.IPv4, range.prefix),
    );
  };
}

/** Whether `ip` is allowed by `cidrs` (see {@link compileAllowList}; compile once when checking many IPs). */
export function ipAllowed(ip: string, cidrs: readonly string[]): boolean {
  return compileAllowList(cidrs)(ip);
}
