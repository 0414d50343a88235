/** Dates as the admin reads them: their locale, with the time, and "Never" for absent ones. */

const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined, absent = 'Never'): string {
  if (!iso) return absent;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
}
