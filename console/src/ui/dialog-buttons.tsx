/** A dialog's confirming button: a form's submit button, or a plain button with `onClick`. */
export interface DialogAction {
  label: string;
  /** Inert while the action's request is under way, so it is sent once. */
  busy: boolean;
  /** For a change that stops a key working (disable, delete). */
  danger?: boolean;
  /** Absent: the button submits the dialog's form. */
  onClick?: () => void;
}

/**
 * The buttons at a dialog's foot: the one that closes it without a change ("Cancel", or `closeLabel`),
 * then, when there is one, the action. A busy action is `aria-disabled` and ignores presses rather
 * than `disabled`: a disabled button drops the keyboard focus to the page's start.
 */
export function DialogButtons(props: { onClose: () => void; closeLabel?: string; action?: DialogAction }) {
  const { action } = props;
  return (
    <div class="dialog-buttons">
      <button type="button" class="secondary" onClick={props.onClose}>
        {props.closeLabel ?? 'Cancel'}
      </button>
      {action === undefined ? null : (
        <button
          type={action.onClick === undefined ? 'submit' : 'button'}
          class={action.danger ? 'danger' : undefined}
          aria-disabled={action.busy ? 'true' : undefined}
          onClick={(event) => {
            if (action.busy) {
              event.preventDefault();
              return;
            }
            action.onClick?.();
          }}
        >
          {action.label}
        </button>
      )}
    </div>
  );
}
