import type { ApiKey } from '../api/types.js';

/**
 * The list screen's search, filters and sort, as pure functions of the keys and `now` (DOM-free, so
 * unit tests run them in Node). "Expired" is the API's own verdict (`expired`); "expiring soon" is
 * reckoned from `now`, so it moves with the admin's clock but never contradicts the API.
 */

export type KeyFilter = 'all' | 'active' | 'expiring' | 'expired' | 'disabled';
export type SortOrder = 'expires-asc' | 'expires-desc' | 'created-desc';

export const EXPIRING_WINDOW_MS = 7 * 86_400_000;

export const FILTER_LABELS: Record<KeyFilter, string> = {
  all: 'All',
  active: 'Active',
  expiring: 'Expiring within 7 days',
  expired: 'Expired',
  disabled: 'Disabled',
};

/**
 * The filters the list offers, always all five: the console ships with the API it calls, which
 * reports `enabled` on every key, so "Disabled" is there from the first paint (no shift once the
 * keys load) and with no key disabled yet.
 */
export const KEY_FILTERS: readonly KeyFilter[] = ['all', 'active', 'expiring', 'expired', 'disabled'];

const isDisabled = (key: ApiKey) => key.enabled === false;

/** Whether a key passes a filter at `now`. */
export function matchesFilter(key: ApiKey, filter: KeyFilter, now: number): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return !key.expired && !isDisabled(key);
    case 'expiring': {
      const left = Date.parse(key.expiresAt) - now;
      return !key.expired && left >= 0 && left <= EXPIRING_WINDOW_MS;
    }
    case 'expired':
      return key.expired;
    case 'disabled':
      return isDisabled(key);
  }
}

/** Whether a key's name or one of its scopes contains the search text (case-insensitive). */
export function matchesSearch(key: ApiKey, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  return key.name.toLowerCase().includes(needle) || key.scopes.some((s) => s.toLowerCase().includes(needle));
}

/** The keys to show: searched, filtered and sorted (a new array; ties keep newest first). */
export function visibleKeys(
  keys: readonly ApiKey[],
  view: { search: string; filter: KeyFilter; sort: SortOrder },
  now: number,
): ApiKey[] {
  const shown = keys.filter((key) => matchesSearch(key, view.search) && matchesFilter(key, view.filter, now));
  const created = (key: ApiKey) => Date.parse(key.createdAt);
  const expires = (key: ApiKey) => Date.parse(key.expiresAt);
  const byCreated = (a: ApiKey, b: ApiKey) => created(b) - created(a);
  const order: Record<SortOrder, (a: ApiKey, b: ApiKey) => number> = {
    'expires-asc': (a, b) => expires(a) - expires(b) || byCreated(a, b),
    'expires-desc': (a, b) => expires(b) - expires(a) || byCreated(a, b),
    'created-desc': byCreated,
  };
  return shown.sort(order[view.sort]);
}
