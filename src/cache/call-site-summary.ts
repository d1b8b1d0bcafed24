import type { CodeIndex } from '../index/code-index.js';
import { macroShadowing } from '../resolve/bind-direct.js';
import { pointerVariableNames } from '../resolve/bind-pointer-vars.js';
import type { CallFact, FileFacts } from '../types/facts.js';
import { sharedArray } from '../util/shared-arrays.js';

/**
 * A tree's call sites by how they call, and its files with parse errors: what `stats` needs
 * of the per-file facts, small enough to keep with the cached graph (about 50,000 indirect
 * sites in a kernel), so that stats reads no facts.
 */
export interface CallSiteSummary {
  /** Calls by name, not through a wrapper's hints (a function or a macro; a call through a global pointer variable is indirect: callClass). */
  direct: number;
  /** Calls of the enclosing function's own parameter (bound at the callers: callback-arg edges). */
  throughParameter: number;
  /**
   * The other call sites (through a member, an array element, a pointer, or an indirect-call
   * wrapper) as flat [node, site, how] triples, ascending by node then site; `how` indexes
   * INDIRECT_SITE_KINDS (indirectSiteKind).
   */
  indirect: Int32Array;
  /** Files with parse errors and how many each, by path. */
  parseErrors: { path: string; count: number }[];
  /**
   * The names of the calls through file-scope variables (the indirect sites of kind 'global'),
   * sorted, once each, as a full resolution found them: a patch keeps them as they are (it adds no
   * such call: it resolves in full instead), so they are a superset. Absent from older caches.
   */
  variableNames?: string[];
}

/**
 * How an indirect call site calls, as stats shows it: through a struct member (`x->f()`), a local
 * pointer variable (`fp()`), a file-scope pointer variable (`hook()`), an array element
 * (`tbl[i]()`), an indirect-call wrapper naming likely targets (`INDIRECT_CALL_2(...)`), or any
 * other expression (the result of a call or of a macro: `get_handler(t)(x)`, `static_call(f)(x)`).
 */
export const INDIRECT_SITE_KINDS = ['member', 'local', 'global', 'array', 'wrapper', 'expression'] as const;
export type IndirectSiteKind = (typeof INDIRECT_SITE_KINDS)[number];

/** INDIRECT_SITE_KINDS index of a call by the name of a file-scope variable. */
const GLOBAL_SITE = INDIRECT_SITE_KINDS.indexOf('global');

/** The INDIRECT_SITE_KINDS index of an indirect call (callClass 'indirect'). */
export function indirectSiteKind(call: CallFact): number {
  const how: IndirectSiteKind = call.hints ? 'wrapper' : call.field !== undefined ? 'member' : call.var !== undefined ? 'local' : call.array !== undefined ? 'array' : call.name !== undefined ? 'global' : 'expression';
  return INDIRECT_SITE_KINDS.indexOf(how);
}

/**
 * How stats counts a call: through a parameter, direct, or indirect. A call by a name for which
 * `isVariable` is true (a global function pointer: see variableCalls) is indirect; a call through
 * a local for which `isMacro` is true (a function-like macro of its name: macroShadowing) is direct.
 */
export function callClass(call: CallFact, isVariable: (name: string) => boolean = () => false, isMacro: (call: CallFact) => boolean = () => false): 'parameter' | 'direct' | 'indirect' {
  if (call.param !== undefined) return 'parameter';
  if (isMacro(call)) return 'direct';
  return call.name !== undefined && !call.hints && !isVariable(call.name) ? 'direct' : 'indirect';
}

/**
 * True for a name that is a file-scope pointer variable (pointerVariableNames) and names no
 * function, macro or external node of the index: calls by it go through a pointer. Needs the
 * index's facts; without them, no name is.
 */
function variableCalls(index: CodeIndex): (name: string) => boolean {
  if (!index.hasFacts) return () => false;
  const names = pointerVariableNames(index.files);
  return (name) => names.has(name) && index.nodesNamed(name).length === 0;
}

/** Node ids grouped by file (ascending within each): file f's at nodes[start[f]..start[f+1]), external nodes (file -1) last. */
function nodesByFile(nodeFile: Int32Array, files: number): { start: Int32Array; nodes: Int32Array } {
  const start = new Int32Array(files + 2);
  for (const f of nodeFile) start[(f < 0 ? files : f) + 1]!++;
  for (let f = 0; f <= files; f++) start[f + 1]! += start[f]!;
  const next = start.slice(0, files + 1);
  const nodes = new Int32Array(nodeFile.length);
  nodeFile.forEach((f, n) => (nodes[next[f < 0 ? files : f]!++] = n));
  return { start, nodes };
}

/** Entries sorted by path (code-unit order, the same in every locale). */
const byPath = <T extends { path: string }>(list: T[]): T[] => list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/** [node, site, how] triples sorted by node, then site. */
function sortedTriples(triples: number[]): Int32Array {
  const order = Array.from({ length: triples.length / 3 }, (_, i) => i);
  order.sort((a, b) => triples[3 * a]! - triples[3 * b]! || triples[3 * a + 1]! - triples[3 * b + 1]!);
  const out = new Int32Array(triples.length);
  order.forEach((p, i) => {
    out[3 * i] = triples[3 * p]!;
    out[3 * i + 1] = triples[3 * p + 1]!;
    out[3 * i + 2] = triples[3 * p + 2]!;
  });
  return out;
}

/** nodesByFile for a few files alone (a patch's edited files): one pass over the nodes, not a grouping of them all. */
function nodesOfFiles(nodeFile: Int32Array, files: number[]): Map<number, number[]> {
  const nodes = new Map<number, number[]>(files.map((f) => [f, []]));
  for (let n = 0; n < nodeFile.length; n++) nodes.get(nodeFile[n]!)?.push(n);
  return nodes;
}

/** Two lists of triples, each sorted by their first two numbers, merged into one so sorted (`a`'s first on a tie), in shared memory (a patch's column: util/shared-arrays.ts sharedFrom). */
function mergedTriples(a: Int32Array, b: Int32Array): Int32Array {
  const out = sharedArray(Int32Array, a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && (a[i]! < b[j]! || (a[i] === b[j] && a[i + 1]! <= b[j + 1]!)));
    const src = fromA ? a : b;
    const at = fromA ? i : j;
    out[k++] = src[at]!;
    out[k++] = src[at + 1]!;
    out[k++] = src[at + 2]!;
    if (fromA) i += 3;
    else j += 3;
  }
  return out;
}

/**
 * The summary of the given files (all by default), their facts from `factsOf` (file id ->
 * facts; the index's own by default). Each file's facts are asked for once, in file order.
 */
export function summariseCallSites(index: CodeIndex, files?: number[], factsOf: (file: number) => FileFacts = (f) => index.fileFacts(f), isVariable: (name: string) => boolean = variableCalls(index)): CallSiteSummary {
  // A few files (a patch's): their nodes alone; all of them: grouped by file.
  const few = files && files.length <= 64 ? nodesOfFiles(index.nodeFile, files) : null;
  const byFile = few ? null : nodesByFile(index.nodeFile, index.files.length);
  const nodesOf = (file: number): ArrayLike<number> => few?.get(file) ?? byFile!.nodes.subarray(byFile!.start[file]!, byFile!.start[file + 1]!);
  const sum = { direct: 0, throughParameter: 0 };
  const parseErrors: { path: string; count: number }[] = [];
  const pairs: number[] = [];
  const variableNames = new Set<string>();
  for (const file of files ?? index.files.map((_, i) => i)) {
    const facts = index.configured(factsOf(file), file);
    if (facts.parseErrors > 0) parseErrors.push({ path: index.files[file]!.path, count: facts.parseErrors });
    const nodes = nodesOf(file);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const item = index.nodeItem[n]!;
      const calls = index.isMacro(n) ? facts.macros[item]!.calls : facts.functions[item]!.calls;
      calls.forEach((call, site) => {
        // A call the configuration leaves out is no call site (index/inactive-calls.ts).
        if (call.inactive !== undefined) return;
        const how = callClass(call, isVariable, (c) => macroShadowing(index, file, c).length > 0);
        if (how === 'parameter') sum.throughParameter++;
        else if (how === 'direct') sum.direct++;
        else {
          const kind = indirectSiteKind(call);
          if (kind === GLOBAL_SITE) variableNames.add(call.name!);
          pairs.push(n, site, kind);
        }
      });
    }
  }
  return { ...sum, indirect: sortedTriples(pairs), parseErrors: byPath(parseErrors), variableNames: [...variableNames].sort() };
}

/** The summary after the files `edited` went from `before` to `after` facts (a patched graph: same nodes, new calls). */
export function patchCallSites(index: CodeIndex, summary: CallSiteSummary, edited: { at: number; before: FileFacts; after: FileFacts }[]): CallSiteSummary {
  const files = edited.map((t) => t.at);
  const touched = new Set(files);
  // Calls through global pointers in the edited files, by name: those the summary counted indirect
  // (a patched graph has no call added or removed through them, and its index may have no facts).
  const variables = new Set<string>();
  for (let i = 0; i < summary.indirect.length; i += 3) {
    const node = summary.indirect[i]!;
    const before = edited.find((t) => t.at === index.nodeFile[node])?.before;
    if (!before) continue;
    const item = index.nodeItem[node]!;
    const call = (index.isMacro(node) ? before.macros[item] : before.functions[item])?.calls[summary.indirect[i + 1]!];
    if (call?.name !== undefined && !call.hints) variables.add(call.name);
  }
  const isVariable = (name: string): boolean => variables.has(name);
  const was = summariseCallSites(index, files, (f) => edited.find((t) => t.at === f)!.before, isVariable);
  const now = summariseCallSites(index, files, (f) => edited.find((t) => t.at === f)!.after, isVariable);
  // The sites of files not edited, in order, with the edited files' merged in (not all pushed one by one and sorted again: 47,000 sites on a kernel).
  const { indirect } = summary;
  const kept = new Int32Array(indirect.length);
  let k = 0;
  for (let i = 0; i < indirect.length; i += 3) {
    if (touched.has(index.nodeFile[indirect[i]!]!)) continue;
    kept[k++] = indirect[i]!;
    kept[k++] = indirect[i + 1]!;
    kept[k++] = indirect[i + 2]!;
  }
  return {
    direct: summary.direct - was.direct + now.direct,
    throughParameter: summary.throughParameter - was.throughParameter + now.throughParameter,
    indirect: mergedTriples(kept.subarray(0, k), sortedTriples([...now.indirect])),
    parseErrors: byPath([...summary.parseErrors.filter((e) => !edited.some((t) => t.before.path === e.path)), ...now.parseErrors]),
    ...(summary.variableNames ? { variableNames: summary.variableNames } : {}),
  };
}

/**
 * patchCallSites for a patch that renumbered nodes: `before` is the index as the summary was
 * made (the edited files' old nodes), `after` the patched one, `map` old node -> new node (-1 gone).
 */
export function patchCallSitesRenumbered(before: CodeIndex, after: CodeIndex, map: Int32Array, summary: CallSiteSummary, edited: { at: number; before: FileFacts; after: FileFacts }[]): CallSiteSummary {
  const renumbered = new Int32Array(summary.indirect.length);
  let k = 0;
  const old: number[] = [];
  const editedFile = new Set(edited.map((t) => t.at));
  const { indirect } = summary;
  for (let i = 0; i < indirect.length; i += 3) {
    const node = indirect[i]!;
    if (editedFile.has(before.nodeFile[node]!)) {
      old.push(node, indirect[i + 1]!, indirect[i + 2]!);
      continue;
    }
    renumbered[k++] = map[node]!;
    renumbered[k++] = indirect[i + 1]!;
    renumbered[k++] = indirect[i + 2]!;
  }
  const files = edited.map((t) => t.at);
  const variables = new Set<string>();
  for (let i = 0; i < old.length; i += 3) {
    const t = edited.find((x) => x.at === before.nodeFile[old[i]!])!;
    const item = before.nodeItem[old[i]!]!;
    const call = (before.isMacro(old[i]!) ? t.before.macros[item] : t.before.functions[item])?.calls[old[i + 1]!];
    if (call?.name !== undefined && !call.hints) variables.add(call.name);
  }
  const isVariable = (name: string): boolean => variables.has(name);
  const was = summariseCallSites(before, files, (f) => edited.find((t) => t.at === f)!.before, isVariable);
  const now = summariseCallSites(after, files, (f) => edited.find((t) => t.at === f)!.after, isVariable);
  return {
    direct: summary.direct - was.direct + now.direct,
    throughParameter: summary.throughParameter - was.throughParameter + now.throughParameter,
    // The kept sites stay in order (renumbering keeps the order of the nodes it keeps): the edited files' are merged in.
    indirect: mergedTriples(renumbered.subarray(0, k), sortedTriples([...now.indirect])),
    parseErrors: byPath([...summary.parseErrors.filter((e) => !edited.some((t) => t.before.path === e.path)), ...now.parseErrors]),
    ...(summary.variableNames ? { variableNames: summary.variableNames } : {}),
  };
}
