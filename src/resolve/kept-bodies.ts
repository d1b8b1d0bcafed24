import type { CodeIndex } from '../index/code-index.js';
import type { BodyDiff } from '../index/facts-diff.js';
import type { CallFact, FunctionFact, MacroFact } from '../types/facts.js';

/** What a graph patch (patch-graph.ts) reads of the bodies an edit kept: their calls before and after, and the lines those calls stood on. */

/** A definition an edit kept (same name, same kind), with its facts before and after and how its calls changed. */
export interface KeptNode {
  node: number;
  was: FunctionFact | MacroFact;
  now: FunctionFact | MacroFact;
  body: BodyDiff;
}

/** A call by a name defined nowhere, waiting for its external node. */
export interface UnboundCall {
  node: number;
  name: string;
  line: number;
  site: number;
}

/** True when a call by name may bind to one of `names` (its name, or a name its macro expansion ends with). */
export function callsAny(call: CallFact, names: ReadonlySet<string>): boolean {
  return (call.name !== undefined && names.has(call.name)) || (call.expandsTo ?? []).some((n) => names.has(n));
}

/** What became of the calls that stood on one old line of a body. */
export interface OldLine {
  /** New lines of the calls kept. */
  to: Set<number>;
  /** Calls removed (all simple: their edges are direct or macro ones). */
  removed: CallFact[];
}

/** The parameter names of a node (a function's, or a macro's), by position, as propagateParams matches an argument to them. */
export function paramNames(index: CodeIndex, node: number): string[] {
  const file = index.fileFacts(index.nodeFile[node]!);
  const item = index.nodeItem[node]!;
  return index.isMacro(node) ? file.macros[item]!.params : file.functions[item]!.params.map((p) => p.name);
}

/** A body's old call lines: where the kept calls went, and which calls went away. */
export function oldLines(body: BodyDiff): Map<number, OldLine> {
  const map = new Map<number, OldLine>();
  const at = (line: number): OldLine => {
    let entry = map.get(line);
    if (!entry) map.set(line, (entry = { to: new Set(), removed: [] }));
    return entry;
  };
  for (const [o, n] of body.kept) at(o.line).to.add(n.line);
  for (const c of body.removed) at(c.line).removed.push(c);
  return map;
}
