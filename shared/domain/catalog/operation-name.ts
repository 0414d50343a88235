import { operationProblem } from './catalog-names.js';

/**
 * The scope operation name of an OpenAPI `operationId`. Scope operations are PascalCase
 * (`messaging:ListChannels`) while operationIds are mostly camelCase or kebab-case, so the id is
 * split at every run of characters other than letters and digits and each part gets a capital
 * first letter: `listChannels` → `ListChannels`, `repos/get-content` → `ReposGetContent`.
 * Returns the name or why it cannot be one (e.g. an id starting with a digit).
 */
export function operationNameOf(
  operationId: string,
  namespace: string,
): { ok: true; name: string } | { ok: false; problem: string } {
  const name = operationId
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
  const problem = operationProblem(name, namespace);
  if (problem) return { ok: false, problem: `operationId ${JSON.stringify(operationId)} gives ${problem}` };
  return { ok: true, name };
}
