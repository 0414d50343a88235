import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { MIN_LIFETIME_SECONDS, resolveExpiry } from '../../../shared/domain/expiry/expiry-policy.js';
import {
  type ChildRequest,
  delegateChild,
  managesKey,
} from '../../../shared/domain/management/delegation.js';
import { cidrWithin, cidrWithinAny, validateAllowedIps } from '../../../shared/domain/net/ip-allow-list.js';
import {
  describeScopeCatalog,
  scopesCoverRoute,
  scopesCoverScope,
} from '../../../shared/domain/scopes/scope-resolution.js';
import { CATALOG } from '../../support/catalog.js';

/** The delegation rule on its own: what a key may create, and which keys it manages. */

const NOW = new Date('2026-03-01T10:00:00.000Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const parent = (overrides: Partial<Extract<Caller, { kind: 'key' }>> = {}): Caller => ({
  kind: 'key',
  companyId: 'acme',
  keyId: 'parent',
  keyName: 'automation',
  scopes: ['apikeys:*', 'messaging:read'],
  expiresAt: new Date(NOW.getTime() + 30 * DAY_MS).toISOString(),
  allowedIps: [],
  ...overrides,
});
const admin: Caller = { kind: 'root-admin', companyId: 'acme', subject: 'root' };

/** A validated create request, built the way `createKey` builds it. */
function childRequest(input: {
  scopes?: string[];
  expiresIn?: number;
  expiresAt?: string;
  allowedIps?: string[];
}): ChildRequest {
  const scopes = input.scopes ?? ['messaging:read'];
  const expiry = resolveExpiry({ expiresIn: input.expiresIn, expiresAt: input.expiresAt }, scopes, NOW);
  if (!expiry.ok) throw new Error(`test request has an invalid expiry: ${JSON.stringify(expiry.errors)}`);
  const ips = validateAllowedIps(input.allowedIps);
  if (!ips.ok) throw new Error(`test request has an invalid allow-list: ${JSON.stringify(ips.errors)}`);
  return {
    requestedScopes: scopes,
    expiresAt: expiry.expiresAt,
    expiryField:
      input.expiresAt !== undefined ? 'expiresAt' : input.expiresIn !== undefined ? 'expiresIn' : undefined,
    requestedAllowedIps: input.allowedIps,
    allowedIps: ips.cidrs,
  };
}

const pointersOf = (result: ReturnType<typeof delegateChild>) =>
  result.ok ? [] : result.errors.map((problem) => ('pointer' in problem ? problem.pointer : ''));

describe('cidrWithin (IP containment)', () => {
  it('contains IPv4 ranges and addresses in wider or equal IPv4 ranges only', () => {
    expect(cidrWithin('10.1.2.0/24', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.1.2.3', '10.1.2.3/32')).toBe(true);
    expect(cidrWithin('10.1.2.3/32', '10.1.2.3')).toBe(true);
    expect(cidrWithin('10.1.2.4/32', '10.1.2.3/32')).toBe(false);
    expect(cidrWithin('10.0.0.0/7', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('11.0.0.0/8', '10.0.0.0/8')).toBe(false);
    expect(cidrWithin('192.0.2.0/24', '0.0.0.0/0')).toBe(true);
  });

  it('contains IPv6 ranges in IPv6 ranges, /128 included', () => {
    expect(cidrWithin('2001:db8:1::/48', '2001:db8::/32')).toBe(true);
    expect(cidrWithin('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(cidrWithin('2001:db8::1/128', '2001:db8::1')).toBe(true);
    expect(cidrWithin('2001:db8::2/128', '2001:db8::1/128')).toBe(false);
    expect(cidrWithin('2001:db8::/31', '2001:db8::/32')).toBe(false);
    expect(cidrWithin('2001:db9::/48', '2001:db8::/32')).toBe(false);
    expect(cidrWithin('2001:DB8:0:0::5', '2001:db8::/64')).toBe(true);
  });

  it('keeps IPv4 and IPv6 apart as the authorizer does; IPv4-mapped entries are their IPv4 range', () => {
    // The authorizer never lets an IPv4 peer through an IPv6 entry, so ::/0 does not contain IPv4.
    expect(cidrWithin('10.0.0.1', '::/0')).toBe(false);
    expect(cidrWithin('::1', '0.0.0.0/0')).toBe(false);
    expect(cidrWithin('::ffff:10.0.0.1', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('::ffff:10.0.0.0/104', '10.0.0.0/8')).toBe(true);
    expect(cidrWithin('10.0.0.1', '::ffff:10.0.0.0/104')).toBe(true);
    expect(cidrWithin('::ffff:11.0.0.1', '10.0.0.0/8')).toBe(false);
  });

  it('fails closed on entries that do not parse', () => {
    expect(cidrWithin('not-an-ip', '0.0.0.0/0')).toBe(false);
    expect(cidrWithin('10.0.0.1', 'garbage')).toBe(false);
    expect(cidrWithin('10.0.0.1/33', '0.0.0.0/0')).toBe(false);
    expect(cidrWithinAny('10.0.0.1', [])).toBe(false);
    expect(cidrWithinAny('10.0.0.1', ['192.0.2.0/24', '10.0.0.0/8'])).toBe(true);
  });
});

describe('delegateChild (what a key may create)', () => {
  it('lets a root admin create anything the policy allows, unbounded', () => {
    const request = childRequest({ scopes: ['*:*'], allowedIps: [] });
    expect(delegateChild(CATALOG, admin, request, NOW)).toEqual({
      ok: true,
      terms: { expiresAt: request.expiresAt, allowedIps: [] },
    });
  });

  it('gives a child with no expiry the default capped at the parent expiry', () => {
    const caller = parent({ expiresAt: new Date(NOW.getTime() + 2 * HOUR_MS).toISOString() });
    const result = delegateChild(CATALOG, caller, childRequest({}), NOW);
    expect(result).toEqual({
      ok: true,
      terms: { expiresAt: new Date(NOW.getTime() + 2 * HOUR_MS), allowedIps: [] },
    });
  });

  it('keeps the default when it is already shorter than the parent (a *:* child: 7 days)', () => {
    const caller = parent({ scopes: ['*:*'], expiresAt: new Date(NOW.getTime() + 7 * DAY_MS).toISOString() });
    const result = delegateChild(CATALOG, caller, childRequest({ scopes: ['messaging:read'] }), NOW);
    expect(result.ok && result.terms.expiresAt).toEqual(new Date(NOW.getTime() + 7 * DAY_MS));
  });

  it('accepts an explicit expiry up to the parent expiry and refuses one after it, pointing at the field', () => {
    const caller = parent({ expiresAt: new Date(NOW.getTime() + 2 * HOUR_MS).toISOString() });
    expect(delegateChild(CATALOG, caller, childRequest({ expiresIn: 7200 }), NOW).ok).toBe(true);
    const laterIn = delegateChild(CATALOG, caller, childRequest({ expiresIn: 7201 }), NOW);
    expect(laterIn.ok).toBe(false);
    expect(pointersOf(laterIn)).toEqual(['/expiresIn']);
    const laterAt = delegateChild(
      CATALOG,
      caller,
      childRequest({ expiresAt: new Date(NOW.getTime() + 3 * HOUR_MS).toISOString() }),
      NOW,
    );
    expect(pointersOf(laterAt)).toEqual(['/expiresAt']);
    expect(laterAt.ok ? '' : laterAt.reasons.join(' ')).toContain('outlive');
  });

  it('refuses (403, not a too-short key) when the parent has less than the 1-hour minimum left', () => {
    const caller = parent({ expiresAt: new Date(NOW.getTime() + 59 * 60_000).toISOString() });
    const result = delegateChild(CATALOG, caller, childRequest({}), NOW);
    expect(result.ok).toBe(false);
    expect(pointersOf(result)).toEqual(['/expiresAt']);
    expect(result.ok ? '' : result.reasons.join(' ')).toContain('1-hour minimum');
    // exactly one hour left still makes a valid, minimum-length child
    const justEnough = parent({
      expiresAt: new Date(NOW.getTime() + MIN_LIFETIME_SECONDS * 1000).toISOString(),
    });
    const ok = delegateChild(CATALOG, justEnough, childRequest({}), NOW);
    expect(ok.ok && ok.terms.expiresAt.getTime() - NOW.getTime()).toBe(MIN_LIFETIME_SECONDS * 1000);
  });

  it('refuses scopes the parent does not cover, one pointer each', () => {
    const result = delegateChild(
      CATALOG,
      parent(),
      childRequest({ scopes: ['messaging:read', 'messaging:SendMessage', '*:*'], expiresIn: 3600 }),
      NOW,
    );
    expect(pointersOf(result)).toEqual(['/scopes/1', '/scopes/2']);
  });

  it('lets a child inherit the parent allow-list when none is given', () => {
    const caller = parent({ allowedIps: ['127.0.0.1/32', '2001:db8::/32'] });
    const result = delegateChild(CATALOG, caller, childRequest({}), NOW);
    expect(result.ok && result.terms.allowedIps).toEqual(['127.0.0.1/32', '2001:db8::/32']);
  });

  it('accepts an allow-list inside the parent one (/32 and /128 included) and refuses entries outside it', () => {
    const caller = parent({ allowedIps: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32'] });
    const inside = delegateChild(
      CATALOG,
      caller,
      childRequest({ allowedIps: ['10.1.0.0/16', '2001:db8:5::1', '192.0.2.7'] }),
      NOW,
    );
    expect(inside.ok && inside.terms.allowedIps).toEqual([
      '10.1.0.0/16',
      '2001:db8:5::1/128',
      '192.0.2.7/32',
    ]);
    const outside = delegateChild(
      CATALOG,
      caller,
      childRequest({ allowedIps: ['10.1.0.0/16', '0.0.0.0/0', '2001:db9::1', '192.0.2.8'] }),
      NOW,
    );
    expect(pointersOf(outside)).toEqual(['/allowedIps/1', '/allowedIps/2', '/allowedIps/3']);
  });

  it('refuses an explicit empty allow-list (allow everywhere) from a parent that has one', () => {
    const result = delegateChild(
      CATALOG,
      parent({ allowedIps: ['127.0.0.1/32'] }),
      childRequest({ allowedIps: [] }),
      NOW,
    );
    expect(pointersOf(result)).toEqual(['/allowedIps']);
  });

  it('passes the request allow-list through when the parent has none', () => {
    const none = delegateChild(CATALOG, parent(), childRequest({}), NOW);
    expect(none.ok && none.terms.allowedIps).toEqual([]);
    const some = delegateChild(CATALOG, parent(), childRequest({ allowedIps: ['198.51.100.0/24'] }), NOW);
    expect(some.ok && some.terms.allowedIps).toEqual(['198.51.100.0/24']);
  });

  it('names every refusal at once', () => {
    const caller = parent({
      expiresAt: new Date(NOW.getTime() + 2 * HOUR_MS).toISOString(),
      allowedIps: ['127.0.0.1/32'],
    });
    const result = delegateChild(
      CATALOG,
      caller,
      childRequest({ scopes: ['pbx:*'], expiresIn: 365 * 86_400, allowedIps: [] }),
      NOW,
    );
    expect(pointersOf(result)).toEqual(['/scopes/0', '/expiresIn', '/allowedIps']);
    expect(result.ok ? [] : result.reasons).toHaveLength(3);
  });

  it('fails closed on an unreadable parent expiry', () => {
    const result = delegateChild(CATALOG, parent({ expiresAt: 'garbage' }), childRequest({}), NOW);
    expect(result.ok).toBe(false);
  });
});

describe('managesKey (which keys a key sees and manages)', () => {
  it('manages exactly the keys whose every scope it covers; root admins manage all', () => {
    const caller = parent({ scopes: ['apikeys:*', 'messaging:read'] });
    expect(managesKey(CATALOG, caller, { scopes: ['messaging:read'] })).toBe(true);
    expect(managesKey(CATALOG, caller, { scopes: ['messaging:ListChannels'] })).toBe(true);
    expect(managesKey(CATALOG, caller, { scopes: ['apikeys:*', 'messaging:read'] })).toBe(true);
    expect(managesKey(CATALOG, caller, { scopes: ['messaging:read', 'pbx:*'] })).toBe(false);
    expect(managesKey(CATALOG, caller, { scopes: ['*:*'] })).toBe(false);
    expect(managesKey(CATALOG, caller, { scopes: ['messaging:*'] })).toBe(false);
    expect(managesKey(CATALOG, admin, { scopes: ['*:*'] })).toBe(true);
  });
});

// ---- properties ----

const SCOPES = describeScopeCatalog(CATALOG).scopes.map(({ scope }) => scope);
const scopeList = fc.uniqueArray(fc.constantFrom(...SCOPES), { minLength: 1, maxLength: 5 });

const ipv4Cidr = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(([octets, prefix]) => canonicalNetwork(octets, prefix, 8, '.', (n) => String(n)));
const ipv6Cidr = fc
  .tuple(
    // few distinct groups, so containment happens often
    fc.array(fc.constantFrom(0, 1, 0x2001, 0xdb8, 0xffff), { minLength: 8, maxLength: 8 }),
    fc.integer({ min: 0, max: 128 }),
  )
  .map(([groups, prefix]) => canonicalNetwork(groups, prefix, 16, ':', (n) => n.toString(16)));
const cidr = fc.oneof(ipv4Cidr, ipv6Cidr);

/** `parts/prefix` with the host bits cleared, so it is a valid allow-list entry. */
function canonicalNetwork(
  parts: number[],
  prefix: number,
  width: number,
  separator: string,
  show: (n: number) => string,
): string {
  const masked = parts.map((part, index) => {
    const keep = Math.max(0, Math.min(width, prefix - index * width));
    const mask = keep === 0 ? 0 : ((2 ** width - 1) >> (width - keep)) << (width - keep);
    return part & mask;
  });
  return `${masked.map(show).join(separator)}/${prefix}`;
}

const parentKey = fc
  .record({
    scopes: scopeList,
    lifetimeMs: fc.integer({ min: 1, max: 400 * DAY_MS }),
    allowedIps: fc.uniqueArray(cidr, { maxLength: 3 }),
  })
  .map(({ scopes, lifetimeMs, allowedIps }) =>
    parent({ scopes, expiresAt: new Date(NOW.getTime() + lifetimeMs).toISOString(), allowedIps }),
  );

const createRequest = fc.record({
  scopes: scopeList,
  expiry: fc.oneof(
    fc.constant({}),
    fc.integer({ min: MIN_LIFETIME_SECONDS, max: 7 * 86_400 }).map((expiresIn) => ({ expiresIn })),
    fc.integer({ min: MIN_LIFETIME_SECONDS, max: 365 * 86_400 }).map((expiresIn) => ({ expiresIn })),
  ),
  allowedIps: fc.option(fc.uniqueArray(cidr, { maxLength: 3 }), { nil: undefined }),
});

/** Every address `child` admits, `parent` admits: each child entry lies in one of the parent's (or the parent is open). */
const addressesWithin = (child: readonly string[], parentList: readonly string[]) =>
  parentList.length === 0 || (child.length > 0 && child.every((entry) => cidrWithinAny(entry, parentList)));

describe('delegation properties', () => {
  it('whatever a key creates never has a scope, a lifetime or an address range the key lacks', () => {
    fc.assert(
      fc.property(parentKey, createRequest, (caller, input) => {
        let request: ChildRequest;
        try {
          request = childRequest({ scopes: input.scopes, ...input.expiry, allowedIps: input.allowedIps });
        } catch {
          return; // invalid as a request (e.g. *:* beyond 7 days): a 400 before the rule applies
        }
        const result = delegateChild(CATALOG, caller, request, NOW);
        if (caller.kind !== 'key') throw new Error('parents are keys');
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          return;
        }
        for (const scope of request.requestedScopes)
          expect(scopesCoverScope(caller.scopes, scope, CATALOG)).toBe(true);
        expect(result.terms.expiresAt.getTime()).toBeLessThanOrEqual(Date.parse(caller.expiresAt));
        expect(result.terms.expiresAt.getTime() - NOW.getTime()).toBeGreaterThanOrEqual(
          MIN_LIFETIME_SECONDS * 1000,
        );
        expect(addressesWithin(result.terms.allowedIps, caller.allowedIps)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses only what goes beyond the key: a request inside all three limits is accepted as asked', () => {
    fc.assert(
      fc.property(parentKey, createRequest, (caller, input) => {
        if (caller.kind !== 'key') throw new Error('parents are keys');
        let request: ChildRequest;
        try {
          request = childRequest({ scopes: input.scopes, ...input.expiry, allowedIps: input.allowedIps });
        } catch {
          return;
        }
        const scopesOk = request.requestedScopes.every((scope) =>
          scopesCoverScope(caller.scopes, scope, CATALOG),
        );
        const parentMs = Date.parse(caller.expiresAt);
        const expiryOk =
          request.expiryField !== undefined
            ? request.expiresAt.getTime() <= parentMs
            : parentMs - NOW.getTime() >= MIN_LIFETIME_SECONDS * 1000;
        const ipsOk =
          input.allowedIps === undefined || addressesWithin(request.allowedIps, caller.allowedIps);
        expect(delegateChild(CATALOG, caller, request, NOW).ok).toBe(scopesOk && expiryOk && ipsOk);
      }),
      { numRuns: 500 },
    );
  });

  it('a key manages another exactly when its scopes cover every scope of the other', () => {
    fc.assert(
      fc.property(scopeList, scopeList, (holder, target) => {
        const caller = parent({ scopes: holder });
        const covers = target.every((scope) =>
          holder.some((held) => scopesCoverScope([held], scope, CATALOG)),
        );
        expect(managesKey(CATALOG, caller, { scopes: target })).toBe(covers);
        expect(managesKey(CATALOG, admin, { scopes: target })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a key that manages another can call every route the other can (coverage never overstates)', () => {
    fc.assert(
      fc.property(scopeList, scopeList, (holder, target) => {
        if (!managesKey(CATALOG, parent({ scopes: holder }), { scopes: target })) return;
        for (const route of CATALOG.routes) {
          if (scopesCoverRoute(target, route)) expect(scopesCoverRoute(holder, route)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a child a key creates is always one it then manages (no key makes keys it cannot see)', () => {
    fc.assert(
      fc.property(parentKey, createRequest, (caller, input) => {
        let request: ChildRequest;
        try {
          request = childRequest({ scopes: input.scopes, ...input.expiry, allowedIps: input.allowedIps });
        } catch {
          return;
        }
        if (delegateChild(CATALOG, caller, request, NOW).ok) {
          expect(managesKey(CATALOG, caller, { scopes: request.requestedScopes })).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
