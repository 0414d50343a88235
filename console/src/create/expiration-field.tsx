import { errorId, FieldError } from '../ui/field-error.js';
import { EXPIRATION_PRESETS, type PresetId } from './create-request.js';

/** "Expiration": seed 001's presets (1 year by default) or a custom date and time. */
export function ExpirationField(props: {
  value: PresetId | 'custom';
  customDate: string;
  errors: string[] | undefined;
  note: string | undefined;
  onChange: (value: PresetId | 'custom') => void;
  onCustomDate: (value: string) => void;
}) {
  const described = [errorId('expiration', props.errors), 'expiration-hint'].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for="expiration">Expiration</label>
      <select
        id="expiration"
        value={props.value}
        aria-describedby={described}
        aria-invalid={props.errors ? 'true' : undefined}
        onChange={(event) => props.onChange(event.currentTarget.value as PresetId | 'custom')}
      >
        {EXPIRATION_PRESETS.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {preset.label}
          </option>
        ))}
        <option value="custom">Custom date…</option>
      </select>
      {props.value === 'custom' ? (
        <div class="field nested">
          <label for="expiration-date">Expires at (your local time)</label>
          <input
            id="expiration-date"
            type="datetime-local"
            value={props.customDate}
            aria-describedby={described}
            aria-invalid={props.errors ? 'true' : undefined}
            onInput={(event) => props.onCustomDate(event.currentTarget.value)}
          />
        </div>
      ) : null}
      <p id="expiration-hint" class="hint">
        From 1 hour to 1 year; 1 year if you do not choose.{props.note ? ` ${props.note}` : ''}
      </p>
      <FieldError id="expiration-error" messages={props.errors} />
    </div>
  );
}
