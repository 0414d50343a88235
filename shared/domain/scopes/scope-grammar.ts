/**
 * The scope grammar (DESIGN.md "Scopes"): `*:*` (global), `ns:*` (namespace), `ns:read` (every read
 * route of the namespace), `ns:Operation` (one named operation). Umbrella groups (`pbx`) use the same
 * syntax: `group:*` and `group:read`. Syntax only, and no imports: the web console uses it as it is.
 */

export const GLOBAL_SCOPE = '*:*';
/** Most scopes one key may hold. */
export const MAX_SCOPES = 100;
/** Longest scope string accepted; anything longer is malformed (keeps parsing and error messages bounded). */
export const MAX_SCOPE_LENGTH = 128;

export type ParsedScope =
  | { kind: 'global' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'read'; namespace: string }
  | { kind: 'operation'; namespace: string; operation: string };

// Linear, anchored character classes: no backtracking however long the input.
const NAMESPACE = /^[a-z][a-z0-9-]*$/;
const OPERATION = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Parses a scope's syntax (not whether the catalog knows it): `*:*`, `ns:*`, `ns:read` or
 * `ns:Operation`, where ns is `[a-z][a-z0-9-]*` (a namespace or a group) and Operation is
 * `[A-Z][A-Za-z0-9]*`. Returns undefined for anything else, including non-strings.
 */
export function parseScope(scope: string): ParsedScope | undefined {
  if (typeof scope !== 'string' || scope.length > MAX_SCOPE_LENGTH) return undefined;
  if (scope === GLOBAL_SCOPE) return { kind: 'global' };
  const colon = scope.indexOf(':');
  if (colon < 0) return undefined;
  const namespace = scope.slice(0, colon);
  const rest = scope.slice(colon + 1);
  if (!NAMESPACE.test(namespace)) return undefined;
  if (rest === '*') return { kind: 'namespace', namespace };
  if (rest === 'read') return { kind: 'read', namespace };
  if (OPERATION.test(rest)) return { kind: 'operation', namespace, operation: rest };
  return undefined;
}
