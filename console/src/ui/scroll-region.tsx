import type { ComponentChildren } from 'preact';

/**
 * A wide table's own scrolling region: on a screen narrower than the table it scrolls sideways
 * inside the page instead of widening it (WCAG 1.4.10), and it takes the keyboard focus so it can be
 * scrolled with the arrow keys (axe: scrollable-region-focusable). Named by the table's caption.
 */
export function ScrollRegion(props: { labelledBy: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard
    <section class="table-scroll" aria-labelledby={props.labelledBy} tabIndex={0}>
      {props.children}
    </section>
  );
}
