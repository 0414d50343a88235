import { useEffect, useId, useRef, useState } from 'preact/hooks';

/**
 * A key's scopes as a count; the list appears on hover and on keyboard focus (seed 001: "hovering the
 * mouse on the number, you can see the scope details"), and screen readers read it as the count's
 * description. Escape dismisses it without moving the pointer or the focus (WCAG 1.4.13); it shows
 * again once both have left and one comes back.
 */
export function ScopesBadge(props: { scopes: readonly string[] }) {
  const id = useId();
  const count = props.scopes.length;
  const ref = useRef<HTMLSpanElement>(null);
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    // The tooltip shows on :hover and :focus-within (CSS), so those say whether it is shown now. On the
    // document: a hovered tooltip's Escape comes from wherever the focus is. Once both pointer and
    // focus have left, a dismissed tooltip may show again.
    const active = () => ref.current?.matches(':hover, :focus-within') ?? false;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && active()) setDismissed(true);
    };
    const onMove = () => {
      if (!active()) setDismissed(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mouseover', onMove);
    document.addEventListener('focusin', onMove);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mouseover', onMove);
      document.removeEventListener('focusin', onMove);
    };
  }, []);
  return (
    <span class={dismissed ? 'scopes dismissed' : 'scopes'} ref={ref}>
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
