import { parseDocument } from 'yaml';

/** What a catalog file's text holds, or where it fails to parse. */
export type StructuredTextResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errors: ReadonlyArray<{ readonly at: string; readonly message: string }> };

/**
 * Parses JSON or YAML text (JSON is YAML 1.2, so one parser reads both and refuses a repeated key in
 * either, which `JSON.parse` would silently let the last one win). Aliases are capped so a small
 * file cannot expand into a huge one. Pure: the caller reads the file.
 */
export function readStructuredText(text: string): StructuredTextResult {
  const document = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    // Pretty errors carry the line and column (the message's excerpt is dropped below).
    prettyErrors: true,
  });
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => {
        const position = error.linePos?.[0];
        // The library's first message line is the reason; the rest is a code excerpt.
        const reason = error.message.split('\n')[0] ?? error.message;
        return {
          at: position ? `line ${position.line}, column ${position.col}` : 'text',
          message: reason.replace(/ at line \d+, column \d+:?$/, ''),
        };
      }),
    };
  }
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    // toJS throws only on alias expansion beyond the cap.
    return { ok: false, errors: [{ at: 'text', message: (error as Error).message }] };
  }
}
