import type { DueKey } from './ports.js';
import { type DigestWindows, windowOf } from './windows.js';

/** One company's digest: its keys in each window, soonest expiry first. */
export interface CompanyDigest {
  companyId: string;
  expired: DueKey[];
  expiring: DueKey[];
}

/**
 * Groups due keys by company and window. Keys outside both windows (the index read is exact, so
 * only if the store and the windows disagree) are counted, not shown.
 */
export function groupIntoDigests(
  keys: readonly DueKey[],
  windows: DigestWindows,
): { digests: CompanyDigest[]; outsideWindows: number } {
  const byCompany = new Map<string, CompanyDigest>();
  let outsideWindows = 0;
  for (const key of keys) {
    const window = windowOf(new Date(key.expiresAt), windows);
    if (!window) {
      outsideWindows += 1;
      continue;
    }
    let digest = byCompany.get(key.companyId);
    if (!digest) {
      digest = { companyId: key.companyId, expired: [], expiring: [] };
      byCompany.set(key.companyId, digest);
    }
    digest[window].push(key);
  }
  const digests = [...byCompany.values()].sort((a, b) => compareText(a.companyId, b.companyId));
  for (const digest of digests) {
    digest.expired.sort(byExpiry);
    digest.expiring.sort(byExpiry);
  }
  return { digests, outsideWindows };
}

function byExpiry(a: DueKey, b: DueKey): number {
  return (
    Date.parse(a.expiresAt) - Date.parse(b.expiresAt) ||
    compareText(a.name, b.name) ||
    compareText(a.keyId, b.keyId)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
