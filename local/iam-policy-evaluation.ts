import { boundedMemo } from './bounded-memo.js';

/**
 * Evaluates a Lambda authorizer's IAM policy against the request's method ARN, as API Gateway does
 * before it lets a request through: an explicit Deny wins, otherwise an Allow statement must match,
 * otherwise the request is denied. Only the policy grammar API Gateway accepts from authorizers is
 * understood; anything else is a configuration error (500), never a silent allow.
 */

export type PolicyDecision =
  | { outcome: 'allow' }
  | { outcome: 'deny'; explicit: boolean }
  | { outcome: 'malformed'; problem: string };

const INVOKE_ACTION = 'execute-api:Invoke';

/** Statement elements an authorizer policy may carry; `Condition` and principals are not evaluated by us. */
const KNOWN_ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource']);

interface ParsedStatement {
  effect: 'Allow' | 'Deny';
  actions: { values: string[]; negated: boolean };
  resources: { values: string[]; negated: boolean };
}

/**
 * Decides whether `policyDocument` (as returned by the authorizer, unvalidated) allows invoking
 * `methodArn` (`arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`).
 */
export function evaluatePolicy(policyDocument: unknown, methodArn: string): PolicyDecision {
  const parsed = parsePolicy(policyDocument);
  if (typeof parsed === 'string') return { outcome: 'malformed', problem: parsed };
  const applicable = parsed.filter(
    (statement) =>
      matchesAny(statement.actions, INVOKE_ACTION, { caseInsensitive: true }) &&
      matchesAny(statement.resources, methodArn, { caseInsensitive: false }),
  );
  if (applicable.some((statement) => statement.effect === 'Deny')) return { outcome: 'deny', explicit: true };
  if (applicable.some((statement) => statement.effect === 'Allow')) return { outcome: 'allow' };
  return { outcome: 'deny', explicit: false };
}

/** The statements of a policy, or a sentence saying why the policy is not one API Gateway accepts. */
function parsePolicy(document: unknown): ParsedStatement[] | string {
  if (!isObject(document)) return 'policyDocument is not an object';
  if (document.Version !== undefined && typeof document.Version !== 'string')
    return 'Version is not a string';
  const raw = document.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw];
  if (statements === undefined) return 'policyDocument has no Statement';
  const parsed: ParsedStatement[] = [];
  for (const [index, statement] of statements.entries()) {
    const result = parseStatement(statement);
    if (typeof result === 'string') return `Statement[${index}]: ${result}`;
    parsed.push(result);
  }
  return parsed;
}

function parseStatement(statement: unknown): ParsedStatement | string {
  if (!isObject(statement)) return 'not an object';
  const unknown = Object.keys(statement).filter((key) => !KNOWN_ELEMENTS.has(key));
  if (unknown.length > 0) return `unsupported element ${unknown.join(', ')}`;
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') return 'Effect must be "Allow" or "Deny"';
  const actions = oneOf(statement, 'Action', 'NotAction');
  if (typeof actions === 'string') return actions;
  const resources = oneOf(statement, 'Resource', 'NotResource');
  if (typeof resources === 'string') return resources;
  return { effect, actions, resources };
}

/** Reads exactly one of a positive element and its `Not…` form: a string or a non-empty string list. */
function oneOf(
  statement: Record<string, unknown>,
  positive: string,
  negative: string,
): { values: string[]; negated: boolean } | string {
  const hasPositive = statement[positive] !== undefined;
  const hasNegative = statement[negative] !== undefined;
  if (hasPositive === hasNegative) return `needs exactly one of ${positive} and ${negative}`;
  const name = hasPositive ? positive : negative;
  const value = statement[name];
  const values = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && v)) {
    return `${name} must be a non-empty string or a non-empty list of them`;
  }
  return { values: values as string[], negated: hasNegative };
}

function matchesAny(
  element: { values: string[]; negated: boolean },
  subject: string,
  options: { caseInsensitive: boolean },
): boolean {
  const matched = element.values.some((pattern) => wildcardMatch(pattern, subject, options.caseInsensitive));
  return element.negated ? !matched : matched;
}

/**
 * IAM wildcard matching: `*` matches any run of characters (including `/` and `:`), `?` exactly one.
 * Action names compare case-insensitively, resource ARNs case-sensitively, as in IAM.
 */
export function wildcardMatch(pattern: string, subject: string, caseInsensitive = false): boolean {
  return compiled(pattern, caseInsensitive).test(subject);
}

/**
 * Compiled patterns, kept: an authorizer returns the same few resources and actions on every request,
 * and compiling a regular expression per statement per request was a measurable part of the local
 * gateway's time. Bounded, since a (misbehaving) authorizer may return a new pattern each time.
 */
const compiledPatterns = boundedMemo((key) => {
  const caseInsensitive = key.startsWith('i');
  const source = key
    .slice(1)
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
});

function compiled(pattern: string, caseInsensitive: boolean): RegExp {
  return compiledPatterns(`${caseInsensitive ? 'i' : 's'}${pattern}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
