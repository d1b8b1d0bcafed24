import { CodeIndex } from '../../src/index/code-index.js';
import { genericProfile } from '../../src/profiles/generic.js';
import { type EdgeKind, kindId } from '../../src/resolve/edge-kind.js';
import { EdgeList } from '../../src/resolve/edge-list.js';
import type { FileFacts } from '../../src/types/facts.js';

/** How an edge written with one separator character is made. */
export interface EdgeStyle {
  kind: EdgeKind;
  deferred?: boolean;
}

/**
 * A tiny index and edge list for unit tests: functions named in `spec`, all in one file `g.c`
 * (in name order, function i on line i + 1), and one edge per spec string `a>b`, where the
 * separator character between the two names picks the edge's style from `styles`. Edge n's call
 * site is on line n + 1, so a test can tell parallel edges apart.
 */
export function tinyGraph(spec: string[], styles: Record<string, EdgeStyle>): { index: CodeIndex; edges: EdgeList; id: (name: string) => number } {
  const separators = new RegExp(`[${Object.keys(styles).join('').replace(/[\]\\^-]/g, '\\$&')}]`);
  const names = [...new Set(spec.flatMap((s) => s.split(separators)))].sort();
  const file: FileFacts = {
    path: 'g.c', hash: '', parseErrors: 0, macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], includes: [], fieldAliases: [],
    functions: names.map((name, i) => ({ name, line: i + 1, endLine: i + 1, signature: '', returns: 'int', params: [], calls: [] })),
  };
  const index = new CodeIndex('/', genericProfile, [file]);
  const edges = new EdgeList();
  const id = (n: string): number => names.indexOf(n);
  spec.forEach((s, line) => {
    const [a, b] = s.split(separators) as [string, string];
    const style = styles[s.charAt(a.length)]!;
    edges.add(id(a), id(b), kindId(style.kind), -1, line + 1);
    if (style.deferred) edges.markDeferred(edges.length - 1, edges.length);
  });
  return { index, edges, id };
}
