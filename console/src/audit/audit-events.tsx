import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ManagementApi } from '../api/client.js';
import { AUDIT_ACTIONS, type AuditAction, type AuditEventView } from '../api/types.js';
import { FormAlert } from '../ui/field-error.js';
import { ACTION_LABELS, auditProblem } from './audit-format.js';
import { AuditTable } from './audit-table.js';

/** Events read per page ("Load more" reads the next). */
export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log as a list the admin pages through: a filter by action, the events newest first, and
 * "Load more" while the API has a next page. With `keyId`, only that key's trail (events whose target
 * or actor it is). A refused or missing API is said in words; the list is never silently empty.
 */
export function AuditEvents(props: { api: ManagementApi; keyId?: string; caption: string }) {
  const [action, setAction] = useState<AuditAction | ''>('');
  const [events, setEvents] = useState<AuditEventView[] | undefined>(undefined);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // Answers to an earlier filter may arrive after a later one's: only the latest query's are shown.
  const query = useRef(0);
  const filterId = useId();
  // When the last page is in, "Load more" goes: focus moves to the count, not to the page's start.
  const countRef = useRef<HTMLParagraphElement>(null);
  const [focusCount, setFocusCount] = useState(false);
  useEffect(() => {
    if (focusCount && !nextCursor) countRef.current?.focus();
    setFocusCount(false);
  }, [focusCount, nextCursor]);

  const load = async (cursor: string | undefined) => {
    const asked = ++query.current;
    setBusy(true);
    setProblem([]);
    try {
      const page = await props.api.listAuditEvents({
        limit: AUDIT_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
        ...(props.keyId ? { keyId: props.keyId } : {}),
        ...(action ? { action } : {}),
      });
      if (asked !== query.current) return;
      setEvents((shown) => {
        const before = cursor ? (shown ?? []) : [];
        const seen = new Set(before.map((event) => event.id));
        return [...before, ...page.items.filter((event) => !seen.has(event.id))];
      });
      setNextCursor(page.nextCursor);
      if (cursor) setFocusCount(true);
    } catch (error) {
      if (asked !== query.current) return;
      setProblem([auditProblem(error)]);
      if (!cursor) setEvents(undefined);
    } finally {
      if (asked === query.current) setBusy(false);
    }
  };

  useEffect(() => {
    setEvents(undefined);
    setNextCursor(null);
    void load(undefined);
  }, [props.api, props.keyId, action]);

  const count = events?.length ?? 0;
  return (
    <div class="audit">
      <div class="toolbar">
        <div class="field inline">
          <label for={filterId}>Action</label>
          <select
            id={filterId}
            value={action}
            onChange={(event) => setAction(event.currentTarget.value as AuditAction | '')}
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((value) => (
              <option key={value} value={value}>
                {ACTION_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormAlert messages={problem} />
      {events === undefined && busy ? <p aria-live="polite">Loading the audit log…</p> : null}
      {events !== undefined && count === 0 ? (
        <p class="empty">{action ? `No "${ACTION_LABELS[action]}" events.` : 'No audit events yet.'}</p>
      ) : null}
      {events !== undefined && count > 0 ? (
        <>
          <p class="count" aria-live="polite" ref={countRef} tabIndex={-1}>
            {count} {count === 1 ? 'event' : 'events'} shown, newest first
            {nextCursor ? '; more to load' : ''}
          </p>
          <AuditTable events={events} caption={props.caption} />
        </>
      ) : null}
      {events !== undefined && nextCursor ? (
        <div class="form-buttons">
          {/* Not disabled while loading: a disabled button drops the keyboard focus. */}
          <button
            type="button"
            class="secondary"
            aria-describedby={`${filterId}-more`}
            onClick={() => {
              if (!busy) void load(nextCursor);
            }}
          >
            Load more
          </button>
          <span id={`${filterId}-more`} class="visually-hidden">
            {busy ? 'loading' : `the next ${AUDIT_PAGE_SIZE} events`}
          </span>
        </div>
      ) : null}
    </div>
  );
}
