import { useEffect, useState } from 'preact/hooks';
import type { ManagementApi } from '../api/client.js';
import { ApiError, fieldMessages } from '../api/problem.js';
import type { CreatedApiKey, ScopeCatalog } from '../api/types.js';
import { GLOBAL_SCOPE, GLOBAL_SCOPE_MAX_LIFETIME_SECONDS, MAX_KEY_NAME_LENGTH } from '../domain.js';
import { useUnloadGuard } from '../ui/busy-guard.js';
import { errorId, FieldError, FormAlert } from '../ui/field-error.js';
import { focusFirstError } from '../ui/focus-first-error.js';
import {
  buildCreateRequest,
  type CreateForm,
  DEFAULT_PRESET,
  EXPIRATION_PRESETS,
  type FormErrors,
} from './create-request.js';
import { ExpirationField } from './expiration-field.js';
import { ScopePicker } from './scope-picker.js';
import { SecretPanel } from './secret-panel.js';

const FIELD_OF_POINTER: Record<string, keyof FormErrors> = {
  name: 'name',
  expiresAt: 'expiration',
  expiresIn: 'expiration',
  scopes: 'scopes',
  allowedIps: 'allowedIps',
};

const EMPTY_FORM: CreateForm = {
  name: '',
  expiration: DEFAULT_PRESET,
  customDate: '',
  scopes: new Set(),
  allowedIps: '',
};

/** Said when the admin tries to leave while the key is being created. */
export const CREATION_UNDER_WAY =
  'Creating the key: stay on this screen until it arrives, as its secret is shown only once.';

/**
 * Create API Key, then the secret once. `onClose` returns to the list. While the request is under way
 * the screen cannot be left ("Back", and the console's navigation asks `onBusy`'s listener to hold):
 * the key is created anyway, and its secret would be lost unseen.
 */
export function CreateKeyScreen(props: {
  api: ManagementApi;
  onClose: () => void;
  /** Told when a creation starts and ends, so the console holds its navigation meanwhile. */
  onBusy?: (busy: boolean) => void;
  /** Set by the console when navigation was held: the screen says why. */
  held?: boolean;
}) {
  const [catalog, setCatalog] = useState<ScopeCatalog | undefined>(undefined);
  const [form, setForm] = useState<CreateForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [note, setNote] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | undefined>(undefined);
  const [backHeld, setBackHeld] = useState(false);
  // Until "Done", closing or reloading the tab would throw away a secret that is shown only once.
  useUnloadGuard(busy || created !== undefined);
  const { onBusy } = props;
  useEffect(() => {
    onBusy?.(busy);
    if (!busy) setBackHeld(false);
  }, [busy, onBusy]);
  useEffect(() => () => onBusy?.(false), [onBusy]);

  useEffect(() => {
    props.api.scopes().then(setCatalog, (error: unknown) => setGeneral([(error as Error).message]));
  }, [props.api]);

  if (created) {
    return (
      <SecretPanel
        created={created}
        onDone={() => {
          // The only reference to the secret goes with this state: the page no longer holds it.
          setCreated(undefined);
          props.onClose();
        }}
      />
    );
  }

  const update = (patch: Partial<CreateForm>) => setForm((current) => ({ ...current, ...patch }));
  const toggleScope = (scope: string, on: boolean) => {
    const scopes = new Set(form.scopes);
    if (on) scopes.add(scope);
    else scopes.delete(scope);
    const patch: Partial<CreateForm> = { scopes };
    // Global access lives at most 7 days: a longer preset is lowered to 7 days, and the admin told.
    const preset = EXPIRATION_PRESETS.find((p) => p.id === form.expiration);
    if (on && scope === GLOBAL_SCOPE && preset && preset.seconds > GLOBAL_SCOPE_MAX_LIFETIME_SECONDS) {
      patch.expiration = '7d';
      setNote('Set to 7 days, the longest a key with Global Development Access may live.');
    }
    // The note explains a choice made for Global Development Access: it goes with it.
    if (!on && scope === GLOBAL_SCOPE) setNote(undefined);
    update(patch);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setGeneral([]);
    const built = buildCreateRequest(form, new Date());
    if (!built.ok) {
      setErrors(built.errors);
      focusFirstError(document, '.permissions .field-error');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setCreated(await props.api.createKey(built.request));
      setForm(EMPTY_FORM);
    } catch (error) {
      if (error instanceof ApiError) {
        const messages = fieldMessages(error.problem, (segment) => FIELD_OF_POINTER[segment]);
        setErrors(messages.fields as FormErrors);
        setGeneral(messages.general);
      } else setGeneral([String(error)]);
      focusFirstError(document, '.permissions .field-error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="create-title">
      <div class="screen-head">
        <h1 id="create-title" tabIndex={-1}>
          Create API Key
        </h1>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            // Not disabled: pressed while the key is on its way, it says why the screen stays.
            if (busy) setBackHeld(true);
            else props.onClose();
          }}
        >
          Back to API keys
        </button>
      </div>
      <p class={busy && (backHeld || props.held) ? 'busy-note' : 'visually-hidden'} role="status">
        {busy && (backHeld || props.held) ? CREATION_UNDER_WAY : ''}
      </p>
      <form onSubmit={submit} noValidate>
        <FormAlert messages={general} />
        <div class="field">
          <label for="key-name">Name</label>
          <input
            id="key-name"
            value={form.name}
            maxLength={MAX_KEY_NAME_LENGTH * 2}
            required
            aria-invalid={errors.name ? 'true' : undefined}
            aria-describedby={['name-hint', errorId('key-name', errors.name)].filter(Boolean).join(' ')}
            onInput={(event) => update({ name: event.currentTarget.value })}
          />
          <p id="name-hint" class="hint">
            A name that tells you what uses the key, e.g. "CRM sync".
          </p>
          <FieldError id="key-name-error" messages={errors.name} />
        </div>
        <ExpirationField
          value={form.expiration}
          customDate={form.customDate}
          errors={errors.expiration}
          note={note}
          onChange={(expiration) => {
            setNote(undefined);
            update({ expiration });
          }}
          onCustomDate={(customDate) => update({ customDate })}
        />
        {catalog ? (
          <ScopePicker
            catalog={catalog}
            selected={form.scopes}
            errors={errors.scopes}
            onToggle={toggleScope}
          />
        ) : (
          <p aria-live="polite">Loading permissions…</p>
        )}
        <div class="field">
          <label for="allowed-ips">Allowed IP addresses (optional)</label>
          <textarea
            id="allowed-ips"
            rows={3}
            value={form.allowedIps}
            aria-invalid={errors.allowedIps ? 'true' : undefined}
            aria-describedby={['ips-hint', errorId('allowed-ips', errors.allowedIps)]
              .filter(Boolean)
              .join(' ')}
            onInput={(event) => update({ allowedIps: event.currentTarget.value })}
          />
          <p id="ips-hint" class="hint">
            One IPv4 or IPv6 address or CIDR range per line, e.g. 203.0.113.0/24. Empty: any address.
          </p>
          <FieldError id="allowed-ips-error" messages={errors.allowedIps} />
        </div>
        <div class="form-buttons">
          {/* Not disabled while busy: a disabled button drops the keyboard focus to the page's start. */}
          <button type="submit" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Creating…' : 'Create API Key'}
          </button>
        </div>
      </form>
    </section>
  );
}
