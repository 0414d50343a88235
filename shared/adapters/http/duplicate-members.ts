import { type JSONPath, visit } from 'jsonc-parser';

/**
 * The JSON Pointers (RFC 6901) of every member whose name repeats an earlier member of the same
 * object, at any depth, in document order: `{"scopes":[…],"scopes":[…]}` gives `["/scopes"]`.
 * RFC 8259 leaves duplicate names to the parser; JSON.parse keeps the last silently, so a body that
 * says two things would mean whichever came last. Names compare after unescaping, as JSON.parse
 * compares them (`"\u0061"` repeats `"a"`). Call it on text JSON.parse has accepted: it does not judge
 * syntax (the scanner, `jsonc-parser`'s, also tolerates comments).
 */
export function findDuplicateMembers(text: string): string[] {
  const duplicates: string[] = [];
  const open: Array<Set<string>> = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (
        name: string,
        _offset: number,
        _length: number,
        _line: number,
        _column: number,
        path: () => JSONPath,
      ) => {
        const seen = open.at(-1);
        if (seen === undefined) return;
        if (seen.has(name)) duplicates.push(toPointer([...path(), name]));
        else seen.add(name);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return duplicates;
}

/** `["a/b", 0, "~"]` → `/a~1b/0/~0`. */
export function toPointer(path: JSONPath): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
