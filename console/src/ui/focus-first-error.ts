/**
 * Moves focus to the first field marked invalid in `root` (or the form's alert, or `extra`'s match),
 * once the errors are rendered, so a keyboard or screen-reader user lands on what to fix and hears
 * its message (the field's `aria-describedby` names it).
 */
export function focusFirstError(root: ParentNode | null = document, extra = ''): void {
  requestAnimationFrame(() => {
    const invalid = (root ?? document).querySelector<HTMLElement>(
      ['[aria-invalid="true"]', '.form-alert', extra].filter(Boolean).join(', '),
    );
    if (invalid && !invalid.matches('input, select, textarea, button'))
      invalid.setAttribute('tabindex', '-1');
    invalid?.focus();
  });
}
