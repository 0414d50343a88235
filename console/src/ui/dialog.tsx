import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/**
 * A modal dialog on the native `<dialog>`: the browser traps focus inside, Escape asks `onClose` (which
 * may keep it open, e.g. while a request whose answer is shown once is under way), and focus returns
 * to the control that opened it. Labelled by its title.
 *
 * The opener may be gone once the dialog closes (Disable became Enable, the row was deleted): then
 * the dialog leaves focus to whoever placed it (the key list moves it to the row's replacement
 * control, the next row or its heading) and never to a removed element.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** For a table (the audit trail) rather than a form. */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const mounted = useRef(false);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    mounted.current = true;
    dialog?.showModal();
    return () => {
      mounted.current = false;
      dialog?.close();
      // After the change that closed the dialog has rendered: the opener may have gone with it.
      setTimeout(() => {
        const focused = document.activeElement;
        const lost = focused === null || focused === document.body || !focused.isConnected;
        if (lost && opener?.isConnected) opener.focus();
      }, 0);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
      onClose={() => {
        // The browser closed it itself (a second Escape in a row may not be cancelled): ask as Escape
        // does, and show it again unless that unmounted it (a busy dialog stays until its answer).
        if (!mounted.current) return;
        props.onClose();
        setTimeout(() => {
          if (mounted.current && !ref.current?.open) ref.current?.showModal();
        }, 0);
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
