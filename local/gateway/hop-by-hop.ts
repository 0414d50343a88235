/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, and the legacy ones of RFC 2616 §13.5.1 proxies still drop):
 * they describe one connection, so a proxy never forwards them in either direction.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Whether a header (any case) belongs to one connection only. */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

/**
 * The headers a `Connection` header names for this hop only (`Connection: close, X-Foo` → `x-foo`),
 * lower-cased; a proxy drops them too.
 */
export function connectionOptions(connectionValues: readonly string[]): Set<string> {
  const named = new Set<string>();
  for (const value of connectionValues) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) named.add(name);
    }
  }
  return named;
}
