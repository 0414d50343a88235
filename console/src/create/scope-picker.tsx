import { useState } from 'preact/hooks';
import type { ScopeCatalog, ScopeDescription } from '../api/types.js';
import { GLOBAL_SCOPE } from '../domain.js';
import { errorId, FieldError } from '../ui/field-error.js';
import { operationMatches, sectionsOf } from './scope-sections.js';

/** The most operations listed at once; a search narrows a larger catalog. */
const MAX_LISTED_OPERATIONS = 200;

/**
 * "Permissions": Global Development Access (`*:*`), each catalog section with full or read-only
 * access, and Specific by Operation with a Search field. Every choice is a checkbox whose label shows
 * the exact scope beside its description, so an admin sees what they grant.
 */
export function ScopePicker(props: {
  catalog: ScopeCatalog;
  selected: ReadonlySet<string>;
  errors: string[] | undefined;
  onToggle: (scope: string, on: boolean) => void;
}) {
  const [search, setSearch] = useState('');
  const describe = new Map(props.catalog.scopes.map((s) => [s.scope, s]));
  const sections = sectionsOf(props.catalog);
  const operations = props.catalog.scopes.filter(
    (s) => s.scope !== GLOBAL_SCOPE && !s.scope.endsWith(':*') && !s.scope.endsWith(':read'),
  );
  const matching = operations.filter((s) => operationMatches(s, search));
  const listed = matching.slice(0, MAX_LISTED_OPERATIONS);
  const global = describe.get(GLOBAL_SCOPE);

  const box = (scope: ScopeDescription | undefined, label: string) =>
    scope ? (
      <ScopeCheckbox
        key={scope.scope}
        scope={scope}
        label={label}
        checked={props.selected.has(scope.scope)}
        onToggle={props.onToggle}
      />
    ) : null;

  return (
    <fieldset class="permissions" aria-describedby={errorId('scopes', props.errors)}>
      <legend>Permissions</legend>
      <FieldError id="scopes-error" messages={props.errors} />
      <p class="selected" aria-live="polite">
        {props.selected.size === 0
          ? 'No permission chosen yet.'
          : `Chosen: ${[...props.selected].sort().join(', ')}`}
      </p>
      {global ? (
        <fieldset class="section global">
          <legend>Global Development Access</legend>
          <p class="hint" id="global-hint">
            Full access to every API and operation, including routes added later. For development only, not
            production: a key with it lives at most 7 days.
          </p>
          {box(global, 'Global Development Access')}
        </fieldset>
      ) : null}
      <h2>Access by section</h2>
      <div class="sections">
        {sections.map((section) => (
          <fieldset class="section" key={section.id}>
            <legend>{section.title}</legend>
            {section.hint ? <p class="hint">{section.hint}</p> : null}
            {box(describe.get(section.fullScope), 'Full access')}
            {section.readScope ? box(describe.get(section.readScope), 'Read-only') : null}
          </fieldset>
        ))}
      </div>
      <h2>Specific by Operation</h2>
      <div class="field">
        <label for="operation-search">Search</label>
        <input
          id="operation-search"
          type="search"
          value={search}
          aria-describedby="operation-count"
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
        <p id="operation-count" class="hint" aria-live="polite">
          {matching.length} of {operations.length} operations
          {matching.length > listed.length ? `; the first ${listed.length} are listed, search to narrow` : ''}
        </p>
      </div>
      <div class="operations">{listed.map((operation) => box(operation, ''))}</div>
    </fieldset>
  );
}

function ScopeCheckbox(props: {
  scope: ScopeDescription;
  label: string;
  checked: boolean;
  onToggle: (scope: string, on: boolean) => void;
}) {
  const { scope } = props.scope;
  return (
    <label class="scope-choice">
      <input
        type="checkbox"
        value={scope}
        checked={props.checked}
        onChange={(event) => props.onToggle(scope, event.currentTarget.checked)}
      />
      <code class="scope-name">{scope}</code>
      <span class="scope-description">
        {props.label ? <strong>{props.label}: </strong> : null}
        {props.scope.description}
        {props.label ? null : (
          <span class="access"> ({props.scope.access === 'read' ? 'read-only' : 'read and write'})</span>
        )}
      </span>
    </label>
  );
}
