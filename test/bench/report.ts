/** Plain-text tables for the terminal. */

export type Cell = string | number;

/** Formats rows under headers, numbers right-aligned, text left-aligned. */
export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...text.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map((_, column) =>
    rows.every(
      (row) => typeof row[column] === 'number' || /^[-+]?[\d.,]+[^\s]*$/.test(String(row[column] ?? '')),
    ),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...text.map(line)].join('\n');
}

/** `1234.5` → `1,235`; small values keep `digits` decimals. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Bytes as KiB with one decimal. */
export const kib = (bytes: number) => `${num(bytes / 1024, 1)} KiB`;

/** A signed KiB difference. */
export const deltaKib = (bytes: number) => `${bytes >= 0 ? '+' : '-'}${num(Math.abs(bytes) / 1024, 1)} KiB`;

export function heading(title: string): string {
  return `\n== ${title} ${'='.repeat(Math.max(0, 96 - title.length))}`;
}
