import type { ApiKey } from '../api/types.js';
import { creatorLabel, formatDate } from '../ui/format.js';
import { ScrollingTable } from '../ui/scrolling-table.js';
import { KEY_ACTIONS, type KeyAction } from './key-actions.js';
import type { SortOrder } from './key-filters.js';
import { ScopesBadge } from './scopes-badge.js';

/** Expired rows are red; disabled ones greyed (an expired key is shown as expired first). */
const rowClass = (key: ApiKey) =>
  [key.expired ? 'expired' : '', key.enabled === false ? 'disabled' : ''].filter(Boolean).join(' ') ||
  undefined;

/** The keys as seed 001's list shows them; an expired key's row is red and says "Expired". */
export function KeysTable(props: {
  keys: readonly ApiKey[];
  sort: SortOrder;
  onSort: (sort: SortOrder) => void;
  onAction: (action: KeyAction, key: ApiKey) => void;
}) {
  const ascending = props.sort === 'expires-asc';
  const sortedByExpiry = props.sort !== 'created-desc';
  const names = new Map(props.keys.map((key) => [key.id, key.name]));
  const keyName = (id: string) => names.get(id);
  return (
    <ScrollingTable class="keys" caption="API keys">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Scopes</th>
          <th scope="col">Key</th>
          <th scope="col">Allowed IPs</th>
          <th scope="col">Created</th>
          <th scope="col" aria-sort={sortedByExpiry ? (ascending ? 'ascending' : 'descending') : 'none'}>
            <button
              type="button"
              class="sort"
              onClick={() => props.onSort(ascending ? 'expires-desc' : 'expires-asc')}
            >
              Expires <span aria-hidden="true">{sortedByExpiry ? (ascending ? '▲' : '▼') : '↕'}</span>
              <span class="visually-hidden">
                {sortedByExpiry
                  ? `, sorted ${ascending ? 'soonest' : 'latest'} first; sort ${ascending ? 'latest' : 'soonest'} first`
                  : ', sort by expiry'}
              </span>
            </button>
          </th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((key) => (
          <tr key={key.id} class={rowClass(key)} data-key-id={key.id}>
            <th scope="row" class="name">
              {key.name}
              {key.expired ? <span class="badge expired-badge">Expired</span> : null}
              {key.enabled === false ? <span class="badge">Disabled</span> : null}
              {/* The old key of a rotation still works through its grace period: say it has a successor. */}
              {key.rotatedTo ? <span class="badge">Rotated</span> : null}
            </th>
            <td>
              <ScopesBadge scopes={key.scopes} />
            </td>
            <td>
              <code class="key-prefix">{key.keyPrefix}…</code>
            </td>
            <td class="allowed-ips">
              {key.allowedIps.length === 0 ? (
                <span class="sub">Any address</span>
              ) : (
                key.allowedIps.map((range) => <code key={range}>{range}</code>)
              )}
            </td>
            <td class="created">
              {formatDate(key.createdAt)}
              <span class="sub">by {creatorLabel(key.createdBy, keyName)}</span>
            </td>
            <td>{formatDate(key.expiresAt)}</td>
            <td>{formatDate(key.lastUsedAt)}</td>
            <td class="actions">
              {KEY_ACTIONS.filter((action) => action.available(key)).map((action) => (
                <button
                  key={action.id}
                  type="button"
                  data-action={action.id}
                  class={action.id === 'delete' || action.id === 'disable' ? 'link danger' : 'link'}
                  aria-label={action.describe(key)}
                  onClick={() => props.onAction(action, key)}
                >
                  {action.label}
                </button>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}
