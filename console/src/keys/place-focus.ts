import type { FocusTarget } from './focus-after-change.js';

/** Focuses the target's control in the table, or `fallback` (the heading) when it is not there. */
export function placeFocus(target: FocusTarget, fallback: HTMLElement | null): void {
  const row = target.keyId ? document.querySelector(`tr[data-key-id="${CSS.escape(target.keyId)}"]`) : null;
  const preferred = target.actions
    .map((id) => row?.querySelector<HTMLElement>(`button[data-action="${CSS.escape(id)}"]`))
    .find((button) => button);
  const control = preferred ?? row?.querySelector<HTMLElement>('button[data-action]') ?? fallback;
  control?.focus();
}
