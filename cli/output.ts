/** Output for people (aligned tables, on stdout) and for scripts (`--json`, one JSON document). */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** An aligned table with a header row; empty cells show as `-`. */
export function printTable(
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | null | undefined>>,
) {
  const cells = rows.map((row) =>
    row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : cell)),
  );
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(columns), ...cells.map(line)].join('\n')}\n`);
}

/** Label/value lines for one record. */
export function printFields(
  fields: ReadonlyArray<readonly [string, string | null | undefined]>,
  to: NodeJS.WritableStream = process.stdout,
) {
  const width = Math.max(...fields.map(([label]) => label.length));
  to.write(`${fields.map(([label, value]) => `${label.padEnd(width)}  ${value || '-'}`).join('\n')}\n`);
}
