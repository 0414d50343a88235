import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/**
 * A wide table in its own scrolling region: on a screen narrower than the table it scrolls sideways
 * inside the page instead of widening it (WCAG 1.4.10), and it takes the keyboard focus so it can be
 * scrolled with the arrow keys (axe: scrollable-region-focusable). The region is named by the table's
 * caption, which screen readers read and the page does not show. `children`: the head and body.
 */
export function ScrollingTable(props: { class: string; caption: string; children: ComponentChildren }) {
  const captionId = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard
    <section class="table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table class={props.class}>
        <caption id={captionId} class="visually-hidden">
          {props.caption}
        </caption>
        {props.children}
      </table>
    </section>
  );
}
