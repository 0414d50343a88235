import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateMembers, toPointer } from '../../../shared/adapters/http/duplicate-members.js';

describe('findDuplicateMembers', () => {
  it.each<[string, string, string[]]>([
    ['no duplicates', '{"name":"k","scopes":["a:read"],"o":{"name":1}}', []],
    ['a repeated top-level member', '{"scopes":["a:read"],"scopes":["*:*"]}', ['/scopes']],
    ['three of a kind (each repeat named)', '{"a":1,"a":2,"a":3}', ['/a', '/a']],
    ['a nested repeat', '{"o":{"p":{"q":1,"q":2}}}', ['/o/p/q']],
    ['a repeat inside an array', '{"list":[{"x":1},{"x":1,"x":2}]}', ['/list/1/x']],
    ['a repeat in a top-level array', '[{"a":1,"a":1}]', ['/0/a']],
    ['an escaped quote', '{"a\\"b":1,"a\\u0022b":2}', ['/a"b']],
    ['a unicode escapes of a plain name', '{"a":1,"\\u0061":2}', ['/a']],
    ['upper-case hex', '{"\\u00E9":1,"é":2}', ['/é']],
    ['a surrogate pair, escaped and not', '{"🔑":1,"\\ud83d\\udd11":2}', ['/🔑']],
    ['an escaped slash', '{"a/b":1,"a\\/b":2}', ['/a~1b']],
    ['a tilde', '{"~":1,"~":2}', ['/~0']],
    ['the empty name', '{"":1,"":2}', ['/']],
    ['a backslash', '{"\\\\":1,"\\u005c":2}', ['/\\']],
  ])('%s', (_label, text, pointers) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findDuplicateMembers(text)).toEqual(pointers);
  });

  it('tells apart names that only look alike', () => {
    expect(findDuplicateMembers('{"é":1,"e\u0301":2,"A":3,"a":4,"a ":5}')).toEqual([]);
  });

  it('does not mistake strings for members, or members of sibling objects for repeats', () => {
    expect(findDuplicateMembers('{"a":"\\"a\\":1","b":["a","a"],"c":{"a":1},"d":{"a":1}}')).toEqual([]);
  });

  it('writes RFC 6901 pointers', () => {
    expect(toPointer(['a/b', 0, '~1', ''])).toBe('/a~1b/0/~01/');
    expect(toPointer([])).toBe('');
  });
});

/**
 * A JSON document as data: objects are lists of members (names may repeat), rendered to text with
 * each UTF-16 unit of a name written plainly or escaped at random. The expected repeats are read off
 * the tree; JSON.parse is the judge that the text means the tree (last member wins).
 */
type Tree =
  | { kind: 'scalar'; value: number | string | boolean | null }
  | { kind: 'array'; items: Tree[] }
  | { kind: 'object'; members: Array<[string, Tree]> };

const NAMES = [
  'a',
  'b',
  'a"b',
  'a\\b',
  '/',
  '~',
  'é',
  'e\u0301',
  '🔑',
  '\u0000',
  '\n',
  '',
  'scopes',
  '\u2028',
];

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null))
      .map((value): Tree => ({ kind: 'scalar', value })),
    fc.array(tie('tree'), { maxLength: 3 }).map((items): Tree => ({ kind: 'array', items })),
    fc
      .array(fc.tuple(fc.constantFrom(...NAMES), tie('tree')), { maxLength: 4 })
      .map((members): Tree => ({ kind: 'object', members })),
  ),
}));

const hex4 = (unit: number, upper: boolean) => {
  const hex = unit.toString(16).padStart(4, '0');
  return upper ? hex.toUpperCase() : hex;
};

/** A name as a JSON string, each unit plain where JSON allows it, else (or when `escapes` says so) escaped. */
function renderName(name: string, escapes: boolean[]): string {
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    const char = name[i] as string;
    const mustEscape = unit < 0x20 || char === '"' || char === '\\';
    const choice = escapes[i % escapes.length] ?? false;
    if (mustEscape || choice) {
      const short = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\n': '\\n' }[char];
      out += short !== undefined && (i % 2 === 0 || mustEscape) ? short : `\\u${hex4(unit, i % 3 === 0)}`;
    } else {
      out += char;
    }
  }
  return `${out}"`;
}

function render(node: Tree, escapes: boolean[]): string {
  if (node.kind === 'scalar') return JSON.stringify(node.value);
  if (node.kind === 'array') return `[${node.items.map((item) => render(item, escapes)).join(' , ')}]`;
  return `{${node.members.map(([name, value]) => `${renderName(name, escapes)}:${render(value, escapes)}`).join(',')}}`;
}

/** What JSON.parse makes of the tree: the last member of a name wins, in the first one's place. */
function materialise(node: Tree): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(materialise);
  const object: Record<string, unknown> = {};
  for (const [name, value] of node.members) object[name] = materialise(value);
  return object;
}

function expectedRepeats(node: Tree, path: Array<string | number> = []): string[] {
  if (node.kind === 'scalar') return [];
  if (node.kind === 'array')
    return node.items.flatMap((item, index) => expectedRepeats(item, [...path, index]));
  const seen = new Set<string>();
  const repeats: string[] = [];
  for (const [name, value] of node.members) {
    if (seen.has(name)) repeats.push(toPointer([...path, name]));
    seen.add(name);
    repeats.push(...expectedRepeats(value, [...path, name]));
  }
  return repeats;
}

describe('findDuplicateMembers against JSON.parse', () => {
  it('finds exactly the repeated names of generated documents, however their names are escaped', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }), (document, escapes) => {
        const text = render(document, escapes);
        expect(JSON.parse(text)).toEqual(materialise(document));
        // Order differs only in nesting: the finder reports in document order, as does expectedRepeats.
        expect(findDuplicateMembers(text)).toEqual(expectedRepeats(document));
      }),
      { numRuns: 1000 },
    );
  });

  it('reports nothing for whatever JSON.stringify writes (it never repeats a name)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateMembers(JSON.stringify(value))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
