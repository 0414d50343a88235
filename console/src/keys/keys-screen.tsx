import { useEffect, useRef, useState } from 'preact/hooks';
import type { ManagementApi } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { FormAlert } from '../ui/field-error.js';
import { type FocusTarget, focusAfterChange } from './focus-after-change.js';
import type { KeyAction } from './key-actions.js';
import { FILTER_LABELS, KEY_FILTERS, type KeyFilter, type SortOrder, visibleKeys } from './key-filters.js';
import { KeysTable } from './keys-table.js';
import { placeFocus } from './place-focus.js';

/** The "Company API Keys" list: search, filters, sort by expiry, and each key's actions. */
export function KeysScreen(props: {
  api: ManagementApi;
  onCreate: () => void;
  announce: (text: string) => void;
}) {
  const [keys, setKeys] = useState<ApiKey[] | undefined>(undefined);
  const [error, setError] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<KeyFilter>('all');
  const [sort, setSort] = useState<SortOrder>('created-desc');
  const [open, setOpen] = useState<{ action: KeyAction; key: ApiKey } | undefined>(undefined);

  // Bumped to read the list again (after a rotation: the old key's expiry and a new key).
  const [generation, setGeneration] = useState(0);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    setLoading(true);
    props.api
      .listKeys()
      .then(setKeys, (failure: unknown) => setError([String((failure as Error).message)]))
      .finally(() => setLoading(false));
  }, [props.api, generation]);

  const shown = keys ? visibleKeys(keys, { search, filter, sort }, Date.now()) : [];

  // Once a change has rendered (and a reload is in), focus goes where the change leaves it sensible.
  const heading = useRef<HTMLHeadingElement>(null);
  const [focusTarget, setFocusTarget] = useState<FocusTarget | undefined>(undefined);
  useEffect(() => {
    if (focusTarget === undefined || loading) return;
    setFocusTarget(undefined);
    placeFocus(focusTarget, heading.current);
  }, [focusTarget, keys, loading]);

  return (
    <section aria-labelledby="keys-title">
      <div class="screen-head">
        <h1 id="keys-title" tabIndex={-1} ref={heading}>
          Company API Keys
        </h1>
        <button type="button" onClick={props.onCreate}>
          Create API Key
        </button>
      </div>
      <FormAlert messages={error} />
      <div class="toolbar">
        <div class="field inline">
          <label for="key-search">Search by name or scope</label>
          <input
            id="key-search"
            type="search"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <fieldset class="filters">
          <legend>Show</legend>
          {KEY_FILTERS.map((value) => (
            <label key={value} class="chip">
              <input
                type="radio"
                name="key-filter"
                value={value}
                checked={filter === value}
                onChange={() => setFilter(value)}
              />
              {FILTER_LABELS[value]}
            </label>
          ))}
        </fieldset>
      </div>
      {keys === undefined && error.length === 0 ? <p aria-live="polite">Loading API keys…</p> : null}
      {keys !== undefined && keys.length === 0 ? (
        <p class="empty">No API keys yet. Create one to let an application call your APIs.</p>
      ) : null}
      {keys !== undefined && keys.length > 0 ? (
        <>
          <p class="count" aria-live="polite">
            {shown.length} of {keys.length} {keys.length === 1 ? 'key' : 'keys'} shown
          </p>
          <KeysTable
            keys={shown}
            sort={sort}
            onSort={setSort}
            onAction={(action, key) => setOpen({ action, key })}
          />
        </>
      ) : null}
      {open ? (
        <open.action.Dialog
          apiKey={open.key}
          api={props.api}
          onClose={() => setOpen(undefined)}
          onDone={(change) => {
            setOpen(undefined);
            setFocusTarget(focusAfterChange(change, open.action, open.key, shown));
            if ('deleted' in change) {
              setKeys((current) => current?.filter((key) => key.id !== change.deleted));
            } else if ('updated' in change) {
              setKeys((current) =>
                current?.map((key) => (key.id === change.updated.id ? change.updated : key)),
              );
            } else {
              // Loading from now, so focus waits for the new list (a successor's row).
              setLoading(true);
              setGeneration((current) => current + 1);
            }
            props.announce(change.message);
          }}
        />
      ) : null}
    </section>
  );
}
