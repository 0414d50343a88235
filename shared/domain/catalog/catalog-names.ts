import { MAX_SCOPE_LENGTH, parseScope } from '../scopes/scope-grammar.js';

/**
 * Name rules for catalog files, read off the scope grammar itself (one implementation of the rule):
 * a namespace or group is whatever makes `name:*` a namespace scope, an operation whatever makes
 * `ns:Name` an operation scope that fits the scope length limit.
 */

/** keygate's own management namespace: no catalog file may use it. */
export const RESERVED_NAMESPACE = 'apikeys';

/** Why a namespace or group name is refused, or undefined when it is fine. */
export function namespaceProblem(name: unknown, what: 'namespace' | 'group'): string | undefined {
  if (typeof name !== 'string') return `${what} must be a string`;
  // The shortest scope a namespace makes (`ns:*`) must fit the scope length limit.
  if (name.length + 2 > MAX_SCOPE_LENGTH) return `${what} is longer than ${MAX_SCOPE_LENGTH - 2} characters`;
  if (parseScope(`${name}:*`)?.kind !== 'namespace') {
    return `bad ${what} ${JSON.stringify(name)}: expected lower-case letters, digits and hyphens, starting with a letter ([a-z][a-z0-9-]*)`;
  }
  if (name === RESERVED_NAMESPACE) {
    return `${what} "${RESERVED_NAMESPACE}" is keygate's own management API and cannot be used by a catalog`;
  }
  return undefined;
}

/** Why an operation name is refused in `namespace`, or undefined when it is fine. */
export function operationProblem(name: unknown, namespace: string): string | undefined {
  if (typeof name !== 'string') return 'operation must be a string';
  const parsed = parseScope(`${namespace}:${name}`);
  if (parsed?.kind === 'operation') return undefined;
  if (namespace.length + 1 + name.length > MAX_SCOPE_LENGTH) {
    return `operation ${JSON.stringify(name)} makes the scope "${namespace}:${name}" longer than ${MAX_SCOPE_LENGTH} characters`;
  }
  return `bad operation ${JSON.stringify(name)}: expected a letter A-Z, then letters and digits ([A-Z][A-Za-z0-9]*)`;
}
