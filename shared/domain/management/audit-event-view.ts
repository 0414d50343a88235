import type { AuditEvent } from '../audit/audit-event.js';
import type { AuditEventView } from './response-schemas.js';

export type { AuditEventView };

/**
 * Renders a stored event field by field, so nothing stored beside it (the company, the target's
 * scopes, whatever a later version adds) can leak out.
 */
export function toAuditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    at: event.at,
    action: event.action,
    actor:
      event.actor.type === 'key'
        ? { type: 'key', keyId: event.actor.keyId, name: event.actor.name }
        : { type: 'root-admin', subject: event.actor.subject, email: event.actor.email },
    target: event.target === null ? null : { keyId: event.target.keyId, name: event.target.name },
    requestId: event.requestId,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
    changes: structuredClone(event.changes),
  };
}
