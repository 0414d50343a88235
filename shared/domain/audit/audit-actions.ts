/**
 * The actions the audit log records, in a module of their own with no imports, so that the web
 * console can name them (its filter, its labels) from this one list without bundling the rest of
 * the audit domain.
 */

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'api-key.created',
  'api-key.renamed',
  'api-key.rotated',
  'api-key.disabled',
  'api-key.enabled',
  'api-key.deleted',
  'notification-settings.updated',
  // A refused management attempt (the handler's 403): `changes` is `{operation, reason}`.
  'access.denied',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Whether `value` names one of {@link AUDIT_ACTIONS}. */
export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
