import type { CreateApiKeyRequest } from '../api/types.js';
import { resolveExpiry, validateKeyName } from '../domain.js';

/**
 * The Create API Key form's state turned into the request body, checked with the API's own rules
 * (key name, expiry policy) first, so most mistakes show before anything is sent. DOM-free.
 */

const HOUR = 3600;
const DAY = 86_400;

/** Seed 001's expiration choices; one year is the default. */
export const EXPIRATION_PRESETS = [
  { id: '1h', label: '1 hour', seconds: HOUR },
  { id: '1d', label: '1 day', seconds: DAY },
  { id: '7d', label: '7 days', seconds: 7 * DAY },
  { id: '30d', label: '30 days', seconds: 30 * DAY },
  { id: '90d', label: '90 days', seconds: 90 * DAY },
  { id: '1y', label: '1 year', seconds: 365 * DAY },
] as const;

export type PresetId = (typeof EXPIRATION_PRESETS)[number]['id'];
export const DEFAULT_PRESET: PresetId = '1y';

export interface CreateForm {
  name: string;
  /** A preset, or `custom` with `customDate` (a `datetime-local` value, in the admin's time zone). */
  expiration: PresetId | 'custom';
  customDate: string;
  scopes: ReadonlySet<string>;
  /** One CIDR or address per line (or separated by commas); blank means no allow-list. */
  allowedIps: string;
}

export type FormErrors = Partial<Record<'name' | 'expiration' | 'scopes' | 'allowedIps', string[]>>;

export type BuiltRequest = { ok: true; request: CreateApiKeyRequest } | { ok: false; errors: FormErrors };

/** Builds and checks the request at `now`. */
export function buildCreateRequest(form: CreateForm, now: Date): BuiltRequest {
  const errors: FormErrors = {};
  const name = validateKeyName(form.name);
  if (!name.ok) errors.name = [name.message];

  const scopes = [...form.scopes].sort();
  if (scopes.length === 0) errors.scopes = ['Choose at least one permission.'];

  let expiry: Pick<CreateApiKeyRequest, 'expiresAt' | 'expiresIn'> = {};
  if (form.expiration === 'custom') {
    const date = parseLocalDateTime(form.customDate);
    if (!date) errors.expiration = ['Enter the date and time the key should expire.'];
    else expiry = { expiresAt: date.toISOString() };
  } else {
    const preset = EXPIRATION_PRESETS.find((p) => p.id === form.expiration);
    expiry = { expiresIn: preset?.seconds ?? 0 };
  }
  if (!errors.expiration) {
    const checked = resolveExpiry(expiry, scopes, now);
    if (!checked.ok) errors.expiration = checked.errors.map((error) => error.message);
  }

  const allowedIps = splitList(form.allowedIps);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      name: name.ok ? name.name : form.name,
      scopes,
      ...expiry,
      ...(allowedIps.length > 0 ? { allowedIps } : {}),
    },
  };
}

/** Entries of a list typed one per line or comma-separated, trimmed, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A `datetime-local` value (`2027-01-31T12:00`, seconds optional) as the instant in local time. */
export function parseLocalDateTime(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
