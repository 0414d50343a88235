import { ApiError } from '../api/problem.js';
import type { AuditAction, AuditActor, AuditEventView } from '../api/types.js';
import { formatDate } from '../ui/format.js';

/**
 * How the audit log reads to an admin, as pure functions of an event (DOM-free, so unit tests run
 * them in Node): the action in words, who acted, what was acted on, and what changed.
 */

/** The action filter's and the table's words for each action. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'api-key.created': 'Key created',
  'api-key.renamed': 'Key renamed',
  'api-key.rotated': 'Key rotated',
  'api-key.disabled': 'Key disabled',
  'api-key.enabled': 'Key enabled',
  'api-key.deleted': 'Key deleted',
  'notification-settings.updated': 'Notifications changed',
  'access.denied': 'Access denied',
};

/** An action in words; one the console does not know yet is shown as the API names it. */
export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}

/** Who acted: the admin's email (or subject), or the key's name and id. */
export function actorLabel(actor: AuditActor): { text: string; detail: string } {
  if (actor.type === 'key') return { text: actor.name, detail: `API key ${actor.keyId}` };
  return { text: actor.email ?? actor.subject, detail: 'Root admin' };
}

/**
 * What was acted on: a key's name and id; for no key, the company's settings where that is what
 * changed, else "No key" (e.g. a refused creation).
 */
export function targetLabel(event: AuditEventView): { text: string; detail: string } {
  if (event.target === null) {
    return {
      text: event.action === 'notification-settings.updated' ? 'Company settings' : 'No key',
      detail: '',
    };
  }
  return { text: event.target.name, detail: event.target.keyId };
}

/** One line of an event's details. */
export interface Detail {
  label: string;
  value: string;
}

/**
 * The words for the fields the API's `changes` carry, in the order they are shown (a stored map has
 * no meaningful order); others follow, under their own name.
 */
const FIELD_LABELS: Record<string, string> = {
  scopes: 'Scopes',
  expiresAt: 'Expires',
  allowedIps: 'Allowed IPs',
  oldName: 'Old name',
  newName: 'New name',
  newKeyId: 'New key',
  gracePeriodSeconds: 'Grace period',
  oldExpiresAt: 'Old key expiry before',
  newExpiresAtOfOldKey: 'Old key expiry now',
  successorExpiresAt: 'New key expires',
  wasEnabled: 'Was enabled',
  enabled: 'Enabled',
  emails: 'Recipients',
  oldEmails: 'Old recipients',
  newEmails: 'New recipients',
  operation: 'Operation',
  reason: 'Reason',
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A duration in seconds as the rotate dialog says it ("1 day", "0 seconds" = "at once"). */
function duration(seconds: number): string {
  if (seconds === 0) return 'none (stopped at once)';
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, unit] of units) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** One value of `changes` in words: dates in the admin's locale, lists joined, yes/no. */
function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return field === 'gracePeriodSeconds' ? duration(value) : String(value);
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? formatDate(value) : value;
  return JSON.stringify(value);
}

/**
 * The details of an event from its `changes`: a rename reads "Old name → New name" as one line; every
 * other field is a line of its own — the known ones in {@link FIELD_LABELS}' order, then the rest as
 * the API gives them — so nothing the API records is hidden.
 */
export function describeChanges(event: AuditEventView): Detail[] {
  const changes = event.changes ?? {};
  const details: Detail[] = [];
  const rest = { ...changes };
  if (typeof changes.oldName === 'string' && typeof changes.newName === 'string') {
    details.push({ label: 'Name', value: `${changes.oldName} → ${changes.newName}` });
    delete rest.oldName;
    delete rest.newName;
  }
  const known = Object.keys(FIELD_LABELS);
  const rank = (field: string) => (known.includes(field) ? known.indexOf(field) : known.length);
  const fields = Object.keys(rest).sort((a, b) => rank(a) - rank(b));
  for (const field of fields) {
    details.push({ label: FIELD_LABELS[field] ?? field, value: valueText(field, rest[field]) });
  }
  return details;
}

/**
 * What to tell the admin when the audit log cannot be read: the API's own words where it has them,
 * and plain ones for the two cases that are not faults — an API without the audit log (404, an older
 * keygate) and a caller not allowed to read it (403).
 */
export function auditProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return String((error as Error)?.message ?? error);
  const { status, detail } = error.problem;
  if (status === 404)
    return 'This keygate has no audit log to show: its API does not offer GET /v1/audit-events. Update keygate to see who changed what.';
  if (status === 403)
    return `You are not allowed to read the audit log${detail ? ` (${detail})` : ''}. Sign in as a root admin of this company.`;
  return error.message;
}
