import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefinerRecords, definerRecords, mapDefinerFiles, reachedDefiners } from '../../src/cache/definer-records.js';
import { expandDefiners } from '../../src/index/expand-definers.js';
import { emptyFacts, fileParser, textExtractor } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';
import type { FileFacts } from '../../src/types/facts.js';
import { LIST_ITEMS, type StringItems, TEXT_SLICES } from '../../src/util/text-slices.js';

const profile = detectProfile('fixtures/minikernel');
const extract = textExtractor(profile);

/** The parsed facts of files written to a new temporary tree, in the order given. */
function parsed(files: Record<string, string>): FileFacts[] {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-definers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const parse = fileParser(root, profile);
  return Object.keys(files).map((p) => parse(p));
}

// Nested definers (a list reaching a definer, an initializer macro in a body), a name defined in two headers, one conditionally, and macros no invocation reaches.
const TREE = {
  'include/a.h': '#define OPS_INIT(f) { .show = f }\n#define MAKE_SHOW(n) static int n##_show(int x) { return x; } static const struct ops n##_ops = OPS_INIT(n##_show)\n#define UNUSED_MAKER(n) static int n##_unused(void) { return 0; }\n',
  'include/b.h': '#ifdef CONFIG_B\n#define MAKE_ONE(n) static int n##_one(void) { return 1; }\n#endif\n#define MAKE_BOTH(n) MAKE_SHOW(n); MAKE_ONE(n)\n#define OTHER_UNUSED(n) static int n##_other(void) { return 2; }\n',
  'include/c.h': '#define MAKE_ONE(n) static int n##_one(void) { return 11; }\n',
  'lib/stats.c': '#include "../include/a.h"\n#include "../include/b.h"\nMAKE_BOTH(stats);\nint stats_total(void)\n{\n\treturn stats_show(1) + stats_one();\n}\n',
  'lib/other.c': '#include "../include/a.h"\nMAKE_SHOW(other);\n',
};

/** A StringItems over `list` that counts the items read one by one and fails when the whole list is asked for. */
function counted(list: string[], reads: { n: number }): StringItems {
  return {
    length: list.length,
    at: (i) => {
      reads.n++;
      return list[i]!;
    },
    all: () => {
      throw new Error('the whole list was read');
    },
  };
}

describe('definer records (GraphPayload.definers)', () => {
  it('gives each edited file the same expansion as the whole table does', () => {
    const facts = parsed(TREE);
    const records = definerRecords(facts);
    expect(records.names).toEqual([...records.names].sort());
    const full = expandDefiners(facts, extract);
    facts.forEach((f, file) => {
      const reached = reachedDefiners(records, f.invocations ?? [], new Set([file]));
      const carriers = [...reached].map(([id, macros]) => ({ id, facts: { ...emptyFacts(facts[id]!.path), macros } }));
      const all = [...carriers, { id: file, facts: f }].sort((a, b) => a.id - b.id).map((c) => c.facts);
      expect(expandDefiners(all, extract)[all.indexOf(f)], f.path).toEqual(full[file]);
    });
    // stats.c's expansion made what both nested definers and the initializer macro give.
    expect(full[3]!.functions.map((f) => f.name)).toEqual(expect.arrayContaining(['stats_show', 'stats_one', 'stats_total']));
  });

  it('reads only the records the invocations reach, by binary search over the names', () => {
    const facts = parsed(TREE);
    const { names, text, starts, files, entries } = definerRecords(facts);
    const reads = { n: 0 };
    const slices: [number, number][] = [];
    // The text as the cache keeps it: read by slices only (reading it whole throws).
    const stored = { names, starts, files, entries } as unknown as DefinerRecords;
    Object.defineProperty(stored, 'text', { get: () => { throw new Error('the whole text was read'); } });
    Object.defineProperty(stored, LIST_ITEMS, { value: { names: counted(names, reads) } });
    Object.defineProperty(stored, TEXT_SLICES, { value: { text: (from: number, to: number) => (slices.push([from, to]), text.slice(from, to)) } });
    const reached = reachedDefiners(stored, facts[4]!.invocations ?? [], new Set([4]));
    // other.c invokes MAKE_SHOW, whose body names OPS_INIT: those two records, from a.h alone.
    expect([...reached.keys()]).toEqual([0]);
    expect(reached.get(0)!.map((m) => m.name)).toEqual(['OPS_INIT', 'MAKE_SHOW']);
    expect(slices).toHaveLength(2);
    // Names were read one at a time (the whole list would have thrown).
    expect(reads.n).toBeGreaterThan(0);
  });
});

describe('definer records with file ids mapped (files added or deleted: mapDefinerFiles)', () => {
  // Bodies and names a scanner of the JSON could mistake for structure: quotes, backslashes, brackets, digits, newlines.
  const hostile = ['a(x)', '"[[1,{"', '\\\\"', 'x[0] = {1, 2}; "]],[3,"', '\\\\', 'line\none', '[[', '99,{', "'\"'"];
  it('gives the records of the facts with their files moved, for random tables and order-keeping maps', () => {
    let seed = 11;
    const r = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const pick = <T>(list: T[]): T => list[Math.floor(r() * list.length)]!;
    for (let round = 0; round < 300; round++) {
      // Ids around 9, 99 and 999, so that a shift changes how many digits an id has.
      const count = pick([8, 12, 98, 105, 1000, 1003]);
      const sparse = new Set(Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * count)));
      const files = Array.from({ length: count }, (_, f) => ({ ...emptyFacts(`f${f}.h`), macros: sparse.has(f) ? Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => ({ name: pick(['A', 'B', 'C']), line: i + 1, params: ['x'], calls: [], body: pick(hostile) })) : [] }));
      // Files inserted (empty) and files without macros taken out, as a patch of the file list does.
      const gone = new Set(Array.from({ length: Math.floor(r() * 4) }, () => Math.floor(r() * count)).filter((f) => !sparse.has(f)));
      const inserted = Array.from({ length: Math.floor(r() * 4) }, () => Math.floor(r() * (count + 1)));
      const after: typeof files = [];
      const map = new Int32Array(count).fill(-1);
      for (let f = 0; f <= count; f++) {
        for (const at of inserted) if (at === f) after.push(emptyFacts(`new${after.length}.h`) as (typeof files)[number]);
        if (f === count) break;
        if (gone.has(f)) continue;
        map[f] = after.length;
        after.push(files[f]!);
      }
      const mapped = mapDefinerFiles(definerRecords(files), (f) => {
        if (map[f]! < 0) throw new Error(`file ${f} is gone`);
        return map[f]!;
      });
      expect(mapped).toEqual(definerRecords(after));
    }
  });

  it('maps the file ids without reading the text (a cache keeps it deflated: files added or deleted leave it as stored)', () => {
    const b = { ...emptyFacts('b.h'), macros: [{ name: 'M', line: 1, params: ['x'], calls: [], body: 'f(x)' }] };
    const c = { ...emptyFacts('c.h'), macros: [{ name: 'M', line: 2, params: ['x'], calls: [], body: 'g(x)' }] };
    const table = definerRecords([emptyFacts('a.h'), b, c]);
    const { text } = table;
    const stored = { ...table } as DefinerRecords;
    Object.defineProperty(stored, 'text', { get: () => { throw new Error('the whole text was read'); } });
    const mapped = mapDefinerFiles(stored, (f) => f + 2);
    expect(Array.from(mapped.files)).toEqual([3, 4]);
    // What the records of the tree with two files ahead of them give, the text as it was.
    expect(definerRecords([emptyFacts('x.h'), emptyFacts('y.h'), emptyFacts('a.h'), b, c])).toEqual({ names: mapped.names, text, starts: mapped.starts, files: mapped.files, entries: mapped.entries });
  });

  it('passes on the refusal of a file id (a deleted file that still defines a macro)', () => {
    const table = definerRecords([emptyFacts('a.h'), { ...emptyFacts('b.h'), macros: [{ name: 'M', line: 1, params: ['x'], calls: [], body: 'f(x)' }] }]);
    expect(() =>
      mapDefinerFiles(table, (f) => {
        if (f === 1) throw new Error('b.h is gone');
        return f;
      }),
    ).toThrow('b.h is gone');
  });
});
