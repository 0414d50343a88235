/** Dates as the admin reads them: their locale, with the time, and "Never" for absent ones. */

const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined, absent = 'Never'): string {
  if (!iso) return absent;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
}

/**
 * Who created a key, as the admin reads it: the API writes `admin:<email or subject>` for a root admin
 * and `key:<id>` for a managing key (named when `keyName` knows it); anything else as it is.
 */
export function creatorLabel(createdBy: string, keyName: (id: string) => string | undefined): string {
  if (createdBy.startsWith('admin:')) return createdBy.slice('admin:'.length);
  if (createdBy.startsWith('key:')) {
    const id = createdBy.slice('key:'.length);
    const name = keyName(id);
    return name ? `API key ${name}` : `API key ${id}`;
  }
  return createdBy;
}
