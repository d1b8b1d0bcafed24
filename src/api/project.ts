import { CallGraph } from '../graph/call-graph.js';
import { type GraphRows, rowsOf } from '../graph/graph-rows.js';
import { callTree, type TreeNode } from '../graph/call-tree.js';
import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import { EDGE_KINDS, type EdgeKind, isIndirect, kindId } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { UnreadableFile } from '../types/facts.js';
import type { PathsResult, TreeItem, TreeResult } from '../types/results.js';
import { UsageError } from '../util/errors.js';
import { type CallSiteSummary, summariseCallSites } from '../cache/call-site-summary.js';
import { edgeRef, nodeRef, nodeRefs } from './describe.js';
import { nodesForName } from './names.js';
import { ownParameterCalls, unboundSites, unboundSitesReader, unresolvedCalls } from './unresolved-calls.js';
import { pathsKey, treeKey } from './ahead-keys.js';
import { type TreeFilter, treeKeep } from './tree-filter.js';
import { builtCall, markedEdge, notBuiltMark, withBuiltBindings, withNotBuilt } from './unbuilt.js';
import { describePaths, findPathSteps, type PathQuery } from './find-paths.js';
import { foundAfterPatch, type SearchAhead } from './ahead-after-patch.js';

export { DISTINCT_BY, type PathQuery } from './find-paths.js';
import type { KeptBeside } from '../cache/open-index.js';
import { writeGraphRowsSoon } from './graph-rows-file.js';
import { CallTexts } from './call-texts-file.js';
import { callbackChains, withThrough } from './callback-steps.js';

/** Which edges a query may use. */
export interface EdgeFilter {
  /** Only direct and macro calls, as cflow sees them. */
  noIndirect?: boolean;
  /** Drop kinds weaker than this one. */
  minConfidence?: EdgeKind;
  /** Leave out deferred edges (work handed to another context): the synchronous call graph. */
  noDeferred?: boolean;
  /** Paths and trees through code the configuration builds only (api/built-only.ts); the call graph itself is the same. */
  builtOnly?: boolean;
}

/**
 * The filters whose call graph rows are kept beside the graph cache (graph-rows-file.ts): every
 * edge kind, synchronous (a path query) or not (callees and callers trees). Keys as in Project.graph.
 */
const KEPT_FILTERS = new Set([`0:${EDGE_KINDS.length - 1}:1`, `0:${EDGE_KINDS.length - 1}:0`]);

/** An indexed tree, ready for queries. */
export class Project {
  private readonly graphs = new Map<string, CallGraph>();
  /** Rows kept from an earlier run over these edges, by filter key (api/graph-rows-file.ts), and the keys of graphs made without them. */
  private keptRows: { rows: Map<string, GraphRows>; made: Set<string> } | null = null;
  /** Call graphs of the project before a patch (deriveGraphsFrom), by filter key: each the base of this project's graph of the same filter, then dropped. */
  private readonly bases = new Map<string, CallGraph>();
  /** When the patch since the bases renumbered nodes: the node of this project of each of theirs (-1: gone). */
  private baseNodeMap: Int32Array | undefined;
  /** Callees trees made here, whose expanded items withUnresolved may give their unresolved pointer calls: item -> node. */
  private readonly callsToList = new WeakMap<TreeResult, Map<TreeItem, number>>();
  /** The unbound pointer calls (unboundSites) of the functions a callees tree expands, once needsFacts worked them out. */
  private readonly unbound = new WeakMap<TreeResult, Map<number, number[]>>();
  /** callSiteSummary's answer once made. */
  private summary: CallSiteSummary | undefined;
  /** Each function's call sites through a pointer bound to nothing, for the call graphs (CallGraph.unboundSitesOf). */
  private unboundReader: ((node: number) => readonly number[] | undefined) | undefined;
  /**
   * Call graphs made from now on make each row when a reader first asks for it (CallGraph's
   * onDemand), their full rows (from kept rows when they fit) only when a reader of them all asks:
   * for a callees tree, which reads a hundred rows of a kernel's 722,000. (A path query reads some
   * 46,000: making them one by one cost more CPU than decoding the kept rows, Linux 6.1.)
   */
  rowsOnDemand = false;
  /** The paths the index was limited to (relative to the root), if any: an unknown name may be defined outside them. */
  pathLimits: readonly string[] = [];
  /** Where the rows of the kept filters' call graphs go once built (keepRowsBeside). */
  private rowsBeside: KeptBeside | null = null;
  /** Answers worked out ahead (answerAhead), by query key: each is taken once, by the query asked the same. */
  private readonly ahead = new Map<string, PathsResult | TreeResult[]>();
  /** The path searches behind the answers worked out ahead (answerAhead), by query key, with the rows each read. */
  private readonly searchedAhead = new Map<string, SearchAhead>();
  /** While set (answerAhead): the graphs graph() hands out record the rows read, each listed here once. */
  private recording: SearchAhead['reads'] | null = null;
  /**
   * The project whose graphs deriveGraphsFrom made this one's bases, with its node map: a path
   * search it made ahead is taken when it finds what the same search finds here (ahead-after-patch.ts).
   */
  private patchedFrom: { project: Project; nodeMap: Int32Array | undefined } | null = null;
  /** How many call texts carryTexts took from the project over the graph before the patch (for tests). */
  textsCarried = 0;
  /** How many path answers were described from a search made ahead on the graph before the patch (for --verbose and tests). */
  searchesKept = 0;
  /** What path answers and explain read back from the source for their pointer steps (call-texts-file.ts); kept beside the graph cache. */
  callTexts = new CallTexts();

  constructor(
    readonly index: CodeIndex,
    readonly edges: EdgeList,
    /** Files and folders skipped because they could not be read or are not text, by path. */
    readonly unreadable: UnreadableFile[] = [],
    /** Call sites by how they call, when kept with the cached graph (else stats reads them from the facts). */
    readonly callSites?: CallSiteSummary,
  ) {}

  /** The call graph restricted by a filter (built once per filter). */
  graph(filter: EdgeFilter = {}): CallGraph {
    const min = filter.minConfidence ? kindId(filter.minConfidence) : EDGE_KINDS.length - 1;
    const key = `${filter.noIndirect ? 1 : 0}:${min}:${filter.noDeferred ? 1 : 0}`;
    let g = this.graphs.get(key);
    if (!g) {
      const rows = this.keptRows?.rows.get(key) ?? this.bases.get(key);
      this.bases.delete(key);
      g = new CallGraph(this.index, this.edges, (kind) => kind <= min && !(filter.noIndirect && isIndirect(kind)), !filter.noDeferred, rows, rows instanceof CallGraph ? this.baseNodeMap : undefined, this.rowsOnDemand);
      g.unboundSitesOf = this.unboundReader ??= unboundSitesReader(this.edges, () => this.callSites ?? (this.index.factsReadable ? this.callSiteSummary() : undefined));
      if (this.keptRows && !rows && KEPT_FILTERS.has(key)) this.keptRows.made.add(key);
      this.graphs.set(key, g);
      if (KEPT_FILTERS.has(key)) this.rowsDue();
    }
    if (this.recording && !g.reads) {
      g.reads = { rows: new Uint8Array(this.index.nodeCount), whole: false };
      this.recording.push({ graph: g, reads: g.reads });
    }
    return g;
  }

  /**
   * Lets graph() make its call graphs from `rows` (kept from an earlier run over the very same
   * edges: api/graph-rows-file.ts), and remember which of the kept filters it made without them.
   */
  useKeptRows(rows: Map<string, GraphRows>): void {
    this.keptRows = { rows, made: new Set() };
  }

  /**
   * Lets path answers read the texts of their pointer steps kept for this graph beside its cache
   * file (`beside`: call-texts-file.ts) instead of the source; what they read of the source is
   * kept there only once keepTextsBeside says the graph holds.
   */
  useKeptTexts(beside: KeptBeside): void {
    this.callTexts = new CallTexts(beside, this.index.root);
  }

  /**
   * Keeps the texts path answers read of the source for their pointer steps beside the cache file
   * of this project's graph (`beside`: OpenReport.kept for the graph used as stored, or keptWritten),
   * with those read by a project whose graphs this one adopted.
   */
  keepTextsBeside(beside: KeptBeside): void {
    this.callTexts.keepBeside(beside);
  }

  /**
   * Takes the call texts `before` (a project over the cached graph this one's was patched from)
   * knows for callers in files whose content did not change (`changed`: the paths of those that
   * did, OpenedGraph.changedFiles), each under its caller's node here (`nodeMap`: see
   * deriveGraphsFrom), as learnt: a text is read from its caller's file alone, at the call's line,
   * so it is the same (reading fs/read_write.c and include/linux/fs.h again for the pointer steps
   * of a path answer took a patched Linux 6.1 query some 200 ms). Not the text of a function a
   * definer macro makes (read from the macro's file, which may have changed).
   */
  carryTexts(before: Project, changed: readonly string[], nodeMap?: Int32Array): void {
    const skip = new Set(changed);
    const { index } = before;
    for (const [key, text, file] of before.callTexts.entries()) {
      const [tag, callerText, lineText] = key.split(':');
      const [caller, line] = [Number(callerText), Number(lineText)];
      if (!(caller >= 0 && caller < index.nodeCount) || index.nodeLine[caller] === line) continue;
      const path = index.file(caller);
      if (path === undefined || path !== file.path || skip.has(path)) continue;
      const now = nodeMap ? nodeMap[caller]! : caller;
      if (!(now >= 0 && now < this.index.nodeCount) || this.index.file(now) !== path || this.index.name(now) !== index.name(caller)) continue;
      this.callTexts.learn(`${tag}:${now}:${line}`, text, file);
      this.textsCarried++;
    }
  }

  /** The rows to keep when graph() made a kept filter's full rows without rows since useKeptRows (those kept already, and the new ones); null when nothing is new. */
  rowsToKeep(): Map<string, GraphRows> | null {
    const made = [...(this.keptRows?.made ?? [])].filter((key) => this.graphs.get(key)!.isFull);
    if (!made.length) return null;
    const out = new Map(this.keptRows!.rows);
    for (const key of made) out.set(key, rowsOf(this.graphs.get(key)!));
    return out;
  }

  /**
   * Keeps the rows of the kept filters' call graphs this project builds (those built already, and
   * each built later) beside the graph file written for its edges (`beside`: OpenReport.keptWritten,
   * which names that very graph), so that the next query on it makes its call graphs from them
   * instead of folding every edge. Written once the current task is done (after a query's
   * answer is out: writeGraphRowsSoon), each time a kept filter's graph is added.
   */
  keepRowsBeside(beside: KeptBeside): void {
    this.rowsBeside = beside;
    if ([...KEPT_FILTERS].some((key) => this.graphs.has(key))) this.rowsDue();
  }

  /** Has keepRowsBeside's rows written soon (those of the kept filters' graphs built by then). */
  private rowsDue(): void {
    // Only full rows are kept: those made on demand alone would have to be made in full first.
    if (this.rowsBeside) writeGraphRowsSoon(this.rowsBeside, () => new Map([...KEPT_FILTERS].flatMap((key) => (this.graphs.get(key)?.isFull ? [[key, rowsOf(this.graphs.get(key)!)] as const] : []))));
  }

  /** How each call graph built so far was made (CallGraph.madeSoFar, with how many rows were made on demand), in the order they were built: for --verbose. */
  graphsMade(): { how: CallGraph['madeSoFar']; rows: number }[] {
    return [...this.graphs.values()].map((g) => ({ how: g.madeSoFar, rows: g.rowsMade }));
  }

  /** Takes the call graphs `other` built when it is over the very same index and edges (a project prepared while the tree was listed) and returns true; else does nothing and returns false. */
  adoptGraphs(other: Project): boolean {
    if (other.index !== this.index || other.edges !== this.edges) return false;
    for (const [key, g] of other.graphs) if (!this.graphs.has(key)) this.graphs.set(key, g);
    // The same graph: the texts read for its pointer steps hold for this project too.
    this.callTexts = other.callTexts;
    for (const [key, answer] of other.ahead) {
      if (this.ahead.has(key)) continue;
      this.ahead.set(key, answer);
      // A callees tree answered ahead still gets its unresolved pointer calls here (withUnresolved).
      if (!('paths' in answer)) {
        for (const t of answer) {
          if (other.callsToList.has(t)) this.callsToList.set(t, other.callsToList.get(t)!);
          if (other.unbound.has(t)) this.unbound.set(t, other.unbound.get(t)!);
        }
      }
    }
    return true;
  }

  /**
   * Makes this project's call graphs from those `other` built, when it is over other edges (the
   * cached graph, patched since for edited files: a project prepared while the tree was listed):
   * graph() then reuses the rows of the callers whose edges did not change (graph/derive-rows.ts).
   * Its answers worked out ahead are never taken as they are: they may not hold for these edges; a
   * path search it made ahead is described here when the same search here finds the same paths
   * (findPaths: ahead-after-patch.ts). `nodeMap`:
   * when the patch renumbered nodes (functions or files added or removed), the node of this
   * project of each node of `other` (-1: gone).
   */
  deriveGraphsFrom(other: Project, nodeMap?: Int32Array): void {
    if (other.edges === this.edges) return;
    this.baseNodeMap = nodeMap;
    for (const [key, g] of other.graphs) if (!this.graphs.has(key)) this.bases.set(key, g);
    if (other.searchedAhead.size) this.patchedFrom = { project: other, nodeMap };
  }

  /**
   * Works out now the answer to a query asked later (a path query or a tree), so that findPaths
   * or tree called with the same arguments returns it at once (the first such call only: later
   * ones work it out again). A query that fails is not kept: the later call meets the same
   * error. For the CLI, which answers while the tree is still being listed (api/open-tree.ts):
   * the answer is kept only when the graph it was made on is the one returned. Returns the
   * answer kept, or undefined when the query failed.
   */
  answerAhead(query: { paths: PathQuery } | { tree: Parameters<Project['tree']> }): PathsResult | TreeResult[] | undefined {
    try {
      const [key, answer] = 'paths' in query ? [pathsKey(query.paths), this.searchAhead(query.paths)] : [treeKey(query.tree), this.tree(...query.tree)];
      this.ahead.set(key, answer);
      return answer;
    } catch {
      // Met again, and reported, by the query itself.
      return undefined;
    }
  }

  /** The answer worked out ahead for `key`, taken out; undefined when there is none. */
  private takeAhead<T extends PathsResult | TreeResult[]>(key: string): T | undefined {
    const answer = this.ahead.get(key);
    if (answer !== undefined) this.ahead.delete(key);
    return answer as T | undefined;
  }

  /**
   * The tree's call sites by how they call (CallSiteSummary): the one kept with the cached graph,
   * else summarised from the facts once (which reads every file's facts when they are read on demand).
   */
  callSiteSummary(): CallSiteSummary {
    return (this.summary ??= this.callSites ?? summariseCallSites(this.index));
  }

  /** Nodes a name designates; throws UsageError (with suggestions) when there are none. */
  nodes(name: string): number[] {
    return nodesForName(this.index, name, this.pathLimits);
  }

  /** The answer to `q`, its search's reads recorded (searchedAhead) for a project over the graph patched from this one. */
  private searchAhead(q: PathQuery): PathsResult {
    const reads: SearchAhead['reads'] = [];
    this.recording = reads;
    let found;
    try {
      found = findPathSteps(this, q);
    } finally {
      this.recording = null;
      for (const r of reads) r.graph.reads = null;
    }
    this.searchedAhead.set(pathsKey(q), { found, reads });
    return describePaths(this, q, found, this.callTexts);
  }

  findPaths(q: PathQuery): PathsResult {
    const key = pathsKey(q);
    const ready = this.takeAhead<PathsResult>(key);
    if (ready) return ready;
    // A search made ahead on the graph before the patch, taken once when it holds here.
    const before = this.patchedFrom;
    const searched = before?.project.searchedAhead.get(key);
    if (before && searched) {
      before.project.searchedAhead.delete(key);
      const found = foundAfterPatch(before.project, this, before.nodeMap, q, searched);
      if (found) {
        this.searchesKept++;
        // The rows of the graph the search would have made here are kept beside the patched graph all the same (for the next query), once the answer is out.
        if (this.rowsBeside) setImmediate(() => void this.graph({ ...q, noDeferred: !q.deferred }));
        return describePaths(this, q, found, this.callTexts);
      }
    }
    return describePaths(this, q, findPathSteps(this, q), this.callTexts);
  }

  /**
   * Callees (or callers) trees, one per function of that name, `depth` levels below the root, each
   * function and pointer call the build leaves out marked as on a path (NodeRef.notBuilt,
   * EdgeRef.unbuiltBinding). withUnresolved adds to a callees tree the pointer calls nothing is bound to.
   */
  tree(name: string, depth: number, direction: 'callees' | 'callers', filter: TreeFilter = {}): TreeResult[] {
    const ready = this.takeAhead<TreeResult[]>(treeKey([name, depth, direction, filter]));
    if (ready) return ready;
    if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`--depth must be a positive integer, got ${depth}`);
    const graph = this.graph(filter);
    // --built-only and --exclude: what they leave out is counted.
    const { keep, record, notBuiltUnder } = treeKeep(this.index, this.edges, filter);
    // Under each function, the calls the build makes come first: of a kernel's 286 callees of __napi_poll, 258 are drivers the defconfig does not build.
    const builtFirst = (node: number, edge: number): number => (builtCall(this.index, this.edges, node, edge) ? 0 : 1);
    const chainOf = callbackChains(graph);
    // What the build leaves out is marked as path steps mark it: a function of a file Kbuild does not build, a pointer call bound only by such files.
    return this.nodes(name).map((n) => {
      // The items of the functions the tree expands (not a leaf at the depth limit, not a repeat):
      // each lists its unresolved pointer calls, unless pointer calls are left out (--no-indirect).
      const expanded = new Map<TreeItem, number>();
      const ref = nodeRefs(this.index);
      const toItem = (t: TreeNode, level: number, parent: number): TreeItem => {
        const item: TreeItem = { node: withNotBuilt(ref(t.node), notBuiltMark(this.index, t.node)), children: t.children.map((c) => toItem(c, level + 1, t.node)) };
        const ends: [from: number, to: number] = direction === 'callees' ? [parent, t.node] : [t.node, parent]; // The caller is the row's node.
        if (t.edge >= 0) item.edge = withThrough(graph, chainOf, t.edge, markedEdge(this.index, this.edges, t.edge, edgeRef(this.index, this.edges, t.edge, { from: ends[0], ref }), ends));
        // --built-only: a call shows the bindings of built code only.
        if (item.edge && filter.builtOnly) item.edge = withBuiltBindings(this.index, item.edge);
        if (t.repeat) item.repeat = t.repeat;
        else if (level < depth) expanded.set(item, t.node);
        // Expanded, with every call left out by --built-only: not a function nothing calls (or that calls nothing).
        if (!t.repeat && level < depth && t.children.length === 0 && notBuiltUnder(t.node) > 0) item.leftOutNotBuilt = notBuiltUnder(t.node);
        return item;
      };
      const result: TreeResult = { direction, function: withNotBuilt(nodeRef(this.index, n), notBuiltMark(this.index, n)), root: toItem(callTree(graph, n, depth, direction, keep, builtFirst), 0, -1) };
      record(result);
      if (direction === 'callees' && !filter.noIndirect) this.callsToList.set(result, expanded);
      return result;
    });
  }

  /**
   * Whether withUnresolved will read call details (per-file facts) for `trees`: true when a
   * function a callees tree of them expands has a pointer call bound to no target (unboundSites)
   * or calls its own parameter (NodeFlag.CallsParameter), or when the call-site summary is not
   * kept with the graph (it would be made from the facts). Reads no facts; what it works out is
   * reused by withUnresolved.
   */
  needsFacts(trees: TreeResult[]): boolean {
    if (!this.callSites) return true;
    let needs = false;
    for (const t of trees) {
      const expanded = this.callsToList.get(t);
      if (!expanded) continue;
      for (const node of expanded.values()) if (this.index.flagsOf(node) & NodeFlag.CallsParameter) needs = true;
      let unbound = this.unbound.get(t);
      if (!unbound) this.unbound.set(t, (unbound = unboundSites(this.edges, this.callSites, expanded.values())));
      if (unbound.size > 0) needs = true;
    }
    return needs;
  }

  /**
   * Adds to each function a callees tree of `trees` expands (not a leaf at the depth limit, not a
   * repeat) its pointer calls that bound no target (TreeItem.unresolved; api/unresolved-calls.ts)
   * and its calls of its own parameters (TreeItem.parameterCalls), once per tree; callers trees and trees made with noIndirect get none. Needs call details (an
   * index with facts, or read on demand: the CLI opens callees trees in text and JSON so); throws
   * without them. Returns `trees`.
   */
  withUnresolved(trees: TreeResult[]): TreeResult[] {
    for (const t of trees) {
      const expanded = this.callsToList.get(t);
      if (!expanded) continue;
      this.callsToList.delete(t);
      const calls = unresolvedCalls(this.index, this.edges, this.callSiteSummary(), expanded.values(), this.unbound.get(t));
      const own = ownParameterCalls(this.index, expanded.values());
      for (const [item, node] of expanded) {
        const list = calls.get(node);
        if (list) item.unresolved = list;
        const params = own.get(node);
        if (params) item.parameterCalls = params;
      }
    }
    return trees;
  }
}
