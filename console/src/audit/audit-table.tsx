import type { AuditEventView } from '../api/types.js';
import { formatDate } from '../ui/format.js';
import { ScrollingTable } from '../ui/scrolling-table.js';
import { actionLabel, actorLabel, describeChanges, targetLabel } from './audit-format.js';

/** The audit events as a table, in the order given (the API's: newest first). */
export function AuditTable(props: { events: readonly AuditEventView[]; caption: string }) {
  return (
    <ScrollingTable class="audit-events" caption={props.caption}>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Actor</th>
          <th scope="col">Target</th>
          <th scope="col">Details</th>
          <th scope="col">Source IP</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((event) => {
          const actor = actorLabel(event.actor);
          const target = targetLabel(event);
          const details = describeChanges(event);
          return (
            <tr key={event.id} data-event-id={event.id} data-action={event.action}>
              <th scope="row" class="when">
                <time dateTime={event.at}>{formatDate(event.at)}</time>
              </th>
              <td class={event.action === 'access.denied' ? 'action denied' : 'action'}>
                {actionLabel(event.action)}
              </td>
              <td>
                {actor.text}
                <span class="sub">{actor.detail}</span>
              </td>
              <td>
                {target.text}
                {target.detail ? <code class="sub">{target.detail}</code> : null}
              </td>
              <td class="details-cell">
                {details.length === 0 ? (
                  <span class="sub">—</span>
                ) : (
                  <dl class="details">
                    {details.map((detail) => (
                      <div key={detail.label}>
                        <dt>{detail.label}:</dt>
                        <dd>{detail.value}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </td>
              <td>{event.sourceIp ? <code>{event.sourceIp}</code> : <span class="sub">unknown</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </ScrollingTable>
  );
}
