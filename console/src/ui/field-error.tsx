/** A field's error messages, referenced by the field's `aria-describedby` (see {@link errorId}). */
export function FieldError(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages || props.messages.length === 0) return null;
  return (
    <div id={props.id} class="field-error">
      {props.messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

/** The general messages of a form, announced when they appear. */
export function FormAlert(props: { messages: string[] }) {
  if (props.messages.length === 0) return null;
  return (
    <div class="form-alert" role="alert">
      {props.messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

/** The id of a field's error block, for `aria-describedby`, when it has errors. */
export function errorId(field: string, messages: string[] | undefined): string | undefined {
  return messages && messages.length > 0 ? `${field}-error` : undefined;
}
