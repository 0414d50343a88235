/**
 * The one sort order of catalog names and scopes: by UTF-16 code unit, so a list sorts the same on
 * every machine whatever its locale (`localeCompare` would not), and equal grants store equal lists.
 */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
