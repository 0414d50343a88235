import { useId } from 'preact/hooks';

/**
 * A key's scopes as a count; the list appears on hover and on keyboard focus (seed 001: "hovering the
 * mouse on the number, you can see the scope details"), and screen readers read it as the count's
 * description.
 */
export function ScopesBadge(props: { scopes: readonly string[] }) {
  const id = useId();
  const count = props.scopes.length;
  return (
    <span class="scopes">
      <button type="button" class="scopes-count" aria-describedby={id}>
        {count} {count === 1 ? 'scope' : 'scopes'}
      </button>
      <span role="tooltip" id={id} class="tooltip">
        {props.scopes.map((scope) => (
          <code key={scope}>{scope}</code>
        ))}
      </span>
    </span>
  );
}
