import type { ManagementApi } from '../api/client.js';
import { AuditEvents } from './audit-events.js';

/** The audit log: every change to the company's keys and settings, and every refused attempt. */
export function AuditScreen(props: { api: ManagementApi }) {
  return (
    <section aria-labelledby="audit-title">
      <div class="screen-head">
        <h1 id="audit-title" tabIndex={-1}>
          Audit log
        </h1>
      </div>
      <p>
        Who created, renamed, rotated, disabled, enabled or deleted a key, who changed the notification
        recipients, and which management requests were refused, newest first.
      </p>
      <AuditEvents api={props.api} caption="Audit events, newest first" />
    </section>
  );
}
