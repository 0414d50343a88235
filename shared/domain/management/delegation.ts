import type { Caller } from '../auth/caller.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import type { FieldProblem } from '../errors.js';
import { MIN_LIFETIME_SECONDS } from '../expiry/expiry-policy.js';
import { cidrWithinAny } from '../net/ip-allow-list.js';
import { scopesCoverScope } from '../scopes/scope-coverage.js';

/**
 * Delegated management (DESIGN.md): a key never does more than its holder. Pure rules, one place,
 * used by create, get, list, rename, rotate and delete:
 * - a key **manages** (sees, renames, deletes) only keys whose every scope its own scopes cover; the
 *   others do not exist for it (404, absent from lists);
 * - a key **creates** only keys whose scopes it covers, that expire no later than itself and, when it
 *   has an allow-list, whose allow-list lies inside its own. Left out, the child inherits the
 *   parent's allow-list and gets the default lifetime capped at the parent's expiry; asked for
 *   explicitly beyond the parent, the request is refused (403 naming each refusal);
 * - a key **rotates** only keys whose allow-list lies inside its own, when it has one (the successor
 *   keeps the allow-list, and its secret goes to the caller).
 * Root admins manage every key of their company and create any key the expiry policy allows.
 */

/** The part of a stored key the management rule looks at. */
export interface ManagedKey {
  scopes: readonly string[];
}

/**
 * Whether `caller` may see and manage `target` (a key of the caller's company: the store already
 * scopes every read to the company). A root admin manages every key; a key manages exactly the keys
 * whose every scope one of its own scopes covers (itself included).
 */
export function managesKey(catalog: RouteCatalog, caller: Caller, target: ManagedKey): boolean {
  if (caller.kind === 'root-admin') return true;
  return target.scopes.every((scope) => scopesCoverScope(caller.scopes, scope, catalog));
}

/**
 * The store-side filter for `caller`: undefined for a root admin (everything is visible, so listing
 * reads exactly what it did before), otherwise {@link managesKey} bound to the caller.
 */
export function visibilityFor(
  catalog: RouteCatalog,
  caller: Caller,
): ((target: ManagedKey) => boolean) | undefined {
  return caller.kind === 'root-admin' ? undefined : (target) => managesKey(catalog, caller, target);
}

/** A create request after validation, as the delegation rule needs it. */
export interface ChildRequest {
  /** Every scope the request names, in its order (pointers index into it). */
  requestedScopes: readonly string[];
  /** The expiry the policy resolved (the default when none was given). */
  expiresAt: Date;
  /** Which field gave the expiry, or undefined when the request gave none. */
  expiryField: 'expiresAt' | 'expiresIn' | undefined;
  /** The request's allow-list entries as given, or undefined when it gave none (absent or null). */
  requestedAllowedIps: readonly string[] | undefined;
  /** The validated, canonical allow-list (empty when none was given). */
  allowedIps: readonly string[];
}

/** What a child key will be, once the delegation rule has bounded it by its parent. */
export interface ChildTerms {
  expiresAt: Date;
  allowedIps: string[];
}

export type DelegationResult =
  | { ok: true; terms: ChildTerms }
  | {
      ok: false;
      /** One sentence per kind of refusal: scopes, expiry, allow-list. */
      reasons: string[];
      errors: FieldProblem[];
    };

/**
 * Bounds a child key by the caller. A root admin gets the request as validated. A key gets:
 * - each requested scope its scopes do not cover refused (`/scopes/i`);
 * - an explicit expiry after its own refused (`/expiresAt` or `/expiresIn`); no expiry given, the
 *   default capped at its own expiry — unless that leaves less than the 1-hour minimum lifetime of
 *   every key, which is refused too (`/expiresAt`): a key that expires within the hour can no longer
 *   create keys, rather than silently making one shorter than the policy allows anyone;
 * - with an allow-list of its own: an explicit list with an entry outside it refused
 *   (`/allowedIps/i`), an explicit empty list (which allows everywhere) refused (`/allowedIps`), and
 *   no list given inherits its own. A key without an allow-list passes the request's list on as is.
 */
export function delegateChild(
  catalog: RouteCatalog,
  caller: Caller,
  request: ChildRequest,
  now: Date,
): DelegationResult {
  if (caller.kind === 'root-admin') {
    return { ok: true, terms: { expiresAt: request.expiresAt, allowedIps: [...request.allowedIps] } };
  }
  const reasons: string[] = [];
  const errors: FieldProblem[] = [];

  const denied = [...new Set(request.requestedScopes)].filter(
    (scope) => !scopesCoverScope(caller.scopes, scope, catalog),
  );
  if (denied.length > 0) {
    reasons.push(`it may not grant scopes it does not hold itself: ${denied.join(', ')}`);
    for (const scope of denied) {
      errors.push({
        pointer: `/scopes/${request.requestedScopes.indexOf(scope)}`,
        detail: `the calling key's scopes do not cover ${scope}`,
      });
    }
  }

  const parentExpiry = Date.parse(caller.expiresAt);
  // An unreadable expiry in the context bounds nothing: refuse rather than guess (fail closed).
  const parentMs = Number.isNaN(parentExpiry) ? now.getTime() : parentExpiry;
  const parentText = new Date(parentMs).toISOString();
  let expiresAt = request.expiresAt;
  if (request.expiryField !== undefined) {
    if (request.expiresAt.getTime() > parentMs) {
      reasons.push(`the key would outlive the calling key, which expires at ${parentText}`);
      errors.push({
        pointer: `/${request.expiryField}`,
        detail: `must be no later than the calling key's own expiry, ${parentText}`,
      });
    }
  } else if (request.expiresAt.getTime() > parentMs) {
    if (parentMs - now.getTime() < MIN_LIFETIME_SECONDS * 1000) {
      reasons.push(
        `the calling key expires at ${parentText}, less than the 1-hour minimum lifetime of a key from now, so it can no longer create keys`,
      );
      errors.push({
        pointer: '/expiresAt',
        detail: `no expiry given: the default is capped at the calling key's expiry (${parentText}), which is less than 1 hour away`,
      });
    } else {
      expiresAt = new Date(parentMs);
    }
  }

  let allowedIps = [...request.allowedIps];
  if (caller.allowedIps.length > 0) {
    if (request.requestedAllowedIps === undefined) {
      allowedIps = [...caller.allowedIps];
    } else if (request.requestedAllowedIps.length === 0) {
      reasons.push('an empty allow-list allows every address, and the calling key is limited to its own');
      errors.push({
        pointer: '/allowedIps',
        detail: "must lie inside the calling key's allow-list; leave allowedIps out to inherit it",
      });
    } else {
      const outside = request.requestedAllowedIps
        .map((entry, index) => ({ entry, index }))
        .filter(({ entry }) => !cidrWithinAny(entry, caller.allowedIps));
      if (outside.length > 0) {
        reasons.push(
          `its allow-list would reach addresses outside the calling key's: ${outside.map(({ entry }) => entry).join(', ')}`,
        );
        for (const { entry, index } of outside) {
          errors.push({
            pointer: `/allowedIps/${index}`,
            detail: `${entry} is not inside any entry of the calling key's allow-list`,
          });
        }
      }
    }
  }

  if (errors.length > 0) return { ok: false, reasons, errors };
  return { ok: true, terms: { expiresAt, allowedIps } };
}

/**
 * Why `caller` may not rotate `target`, or undefined when it may. The successor keeps the target's
 * allow-list and its secret goes to the caller, so a managing key with an allow-list of its own may
 * rotate only keys whose allow-list lies inside its own (an empty list allows every address):
 * otherwise rotating would hand it a credential usable where it is not. A root admin, a key without an
 * allow-list, and a key rotating itself (its successor is itself again) always may.
 */
export function rotationRefusal(
  caller: Caller,
  target: { id: string; allowedIps: readonly string[] },
): string | undefined {
  if (caller.kind === 'root-admin' || caller.allowedIps.length === 0 || caller.keyId === target.id)
    return undefined;
  if (target.allowedIps.length === 0) {
    return "that key may be used from every address, and the new key would keep that, beyond the calling key's allow-list";
  }
  const outside = target.allowedIps.filter((entry) => !cidrWithinAny(entry, caller.allowedIps));
  if (outside.length === 0) return undefined;
  return `that key's allow-list reaches addresses outside the calling key's (${outside.join(', ')}), and the new key would keep it`;
}

/**
 * Which audit events `caller` may read: undefined for a root admin (all of the company's), otherwise
 * exactly the events whose target is a key the caller manages, judged on the target's scopes as they
 * were at the event (stored with it). Events without a target (company-wide changes, refusals about
 * no stored key), and events stored before target scopes were, are never shown to a key.
 */
export function auditVisibilityFor(
  catalog: RouteCatalog,
  caller: Caller,
): ((event: { target: unknown; targetScopes: readonly string[] | null }) => boolean) | undefined {
  if (caller.kind === 'root-admin') return undefined;
  return (event) =>
    event.target !== null &&
    event.targetScopes !== null &&
    managesKey(catalog, caller, { scopes: event.targetScopes });
}
