import { compareCodeUnits } from '../catalog/code-unit-order.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import { scopeCoversScope } from './scope-coverage.js';
import { MAX_SCOPES, type ParsedScope, parseScope } from './scope-grammar.js';

export interface FieldError {
  pointer: string;
  message: string;
}

export type ScopesResult = { ok: true; scopes: string[] } | { ok: false; errors: FieldError[] };

/** Whether the catalog knows a parsed scope (so a key holding it can reach at least one route). */
function scopeExists(scope: ParsedScope, catalog: RouteCatalog): boolean {
  switch (scope.kind) {
    case 'global':
      return true;
    case 'namespace':
      return (
        catalog.namespace(scope.namespace) !== undefined || catalog.scopeGroup(scope.namespace) !== undefined
      );
    case 'read':
      return (
        catalog.namespace(scope.namespace)?.hasReadRoutes === true ||
        catalog.scopeGroup(scope.namespace)?.hasReadRoutes === true
      );
    case 'operation':
      return (
        catalog
          .namespace(scope.namespace)
          ?.operations.some((operation) => operation.name === scope.operation) === true
      );
  }
}

/** A scope for an error message: user input, so bounded in length. */
const quote = (scope: string) => JSON.stringify(scope.length > 64 ? `${scope.slice(0, 64)}…` : scope);

/**
 * Validates the `scopes` of a new key against the catalog and normalises them: a non-empty array of
 * at most 100 strings, each well-formed ("malformed scope") and known to the catalog ("unknown
 * scope"). The result drops duplicates and every scope another of the list covers, and is sorted,
 * so equal grants always store the same list. Error pointers are JSON pointers (`/scopes/2`).
 */
export function validateScopes(input: unknown, catalog: RouteCatalog): ScopesResult {
  if (!Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must be an array of scope strings' }],
    };
  }
  if (input.length === 0) {
    return { ok: false, errors: [{ pointer: '/scopes', message: 'scopes must contain at least one scope' }] };
  }
  if (input.length > MAX_SCOPES) {
    return {
      ok: false,
      errors: [{ pointer: '/scopes', message: `scopes must contain at most ${MAX_SCOPES} scopes` }],
    };
  }
  const errors: FieldError[] = [];
  const valid: string[] = [];
  input.forEach((scope: unknown, i) => {
    const pointer = `/scopes/${i}`;
    if (typeof scope !== 'string') {
      errors.push({ pointer, message: 'scope must be a string' });
      return;
    }
    const parsed = parseScope(scope);
    if (parsed === undefined) {
      errors.push({
        pointer,
        message: `malformed scope ${quote(scope)}: expected *:*, namespace:*, namespace:read or namespace:Operation`,
      });
    } else if (!scopeExists(parsed, catalog)) {
      errors.push({
        pointer,
        message: `unknown scope ${quote(scope)}: see GET /v1/scopes for the scopes keys may hold`,
      });
    } else {
      valid.push(scope);
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, scopes: normaliseScopes(valid, catalog) };
}

/**
 * Drops duplicates and every scope covered by another scope of the list, then sorts (by code unit,
 * so the order does not depend on the locale). Coverage between distinct scopes has no cycles, but
 * should two ever cover each other the smaller string is kept, so the result stays deterministic.
 */
export function normaliseScopes(scopes: readonly string[], catalog: RouteCatalog): string[] {
  const unique = [...new Set(scopes)];
  const kept = unique.filter(
    (scope) =>
      !unique.some(
        (other) =>
          other !== scope &&
          scopeCoversScope(other, scope, catalog) &&
          !(scopeCoversScope(scope, other, catalog) && scope < other),
      ),
  );
  return kept.sort(compareCodeUnits);
}
