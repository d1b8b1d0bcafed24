import type { CodeIndex } from '../index/code-index.js';
import type { BodyDiff, FactsDiff } from '../index/facts-diff.js';
import type { CallFact, FileFacts } from '../types/facts.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot } from './edge-list.js';
import { remapEvidence } from './remap-evidence.js';
import { forEachDirectEdge } from './resolve.js';

const DISPATCH = kindId('dispatch-table');
/** Lines fit in 22 bits: (node, line) pairs make one safe integer key. */
const LINE_SPAN = 1 << 22;
/** Parameter positions below this make (node, param) keys; a call with more arguments is never simple. */
const PARAM_SPAN = 1 << 10;
/** Numbers per added edge in GraphPatch.added. */
const ADDED_STRIDE = 6;

/** What became of the calls that stood on one old line of a body. */
interface OldLine {
  /** New lines of the calls kept. */
  to: Set<number>;
  /** Calls removed (all simple: their edges are direct or macro ones). */
  removed: CallFact[];
}

/**
 * Patches a cached graph (node tables and edges, no facts) for files edited in their bodies'
 * calls and lines only, so that it equals what resolving the new facts would give, edge order
 * aside. Each `apply` changes the tables in place; any answer false leaves them half patched,
 * to be thrown away for a full resolution.
 */
export class GraphPatch {
  /** Edges to drop (removed calls), by edge id. */
  private readonly dropped = new Set<number>();
  /** Edges of added calls: from, to, kind, line, call site, BindFlag bits (ADDED_STRIDE numbers each). */
  private readonly added: number[] = [];
  /** Per node of the edited files: old call site -> new call site, for the calls kept. */
  private readonly siteMaps = new Map<number, Map<number, number>>();
  /** EdgeList.paramUses as node * PARAM_SPAN + param; null when the cache does not know them. */
  private readonly uses: Set<number> | null = null;

  constructor(
    /** Index loaded from the snapshot: names, files and flags are what they were. */
    private readonly index: CodeIndex,
    private readonly edges: EdgeSnapshot,
  ) {
    const pairs = edges.paramUses;
    if (pairs) {
      this.uses = new Set();
      for (let i = 0; i < pairs.length; i += 2) this.uses.add(pairs[i]! * PARAM_SPAN + pairs[i + 1]!);
    }
  }

  /**
   * True for a call whose presence changes nothing but its own direct (or macro) edges: a call
   * by name, not through a wrapper, a member, an array or a parameter, that passes nothing (no
   * name: a function, a parameter, a local pointer variable or one an out-parameter fills; no
   * member's address, CallFact.refs; no member read, CallFact.argMembers) into a parameter that
   * functions are followed into or stored through (paramUses).
   * Without paramUses (an older cache), no such argument is allowed.
   */
  private isSimple(node: number, call: CallFact): boolean {
    const { index, uses } = this;
    if (call.name === undefined || call.hints || call.param !== undefined || call.field !== undefined || call.array !== undefined || call.recv !== undefined) return false;
    // Any name (a function, a parameter, a variable an out-parameter fills), member address or member read passed.
    const members = new Set(call.argMembers?.map((m) => m.arg));
    const reaches = (a: string | null, i: number): boolean => a !== null || !!call.refs?.[i] || members.has(i);
    if (!call.args.some(reaches)) return true;
    if (!uses || call.args.length > PARAM_SPAN) return false;
    let followed = false;
    forEachDirectEdge(index, node, call, (target) => {
      call.args.forEach((a, i) => {
        if (reaches(a, i) && uses.has(target * PARAM_SPAN + i)) followed = true;
      });
    });
    return !followed;
  }

  /** Patches for one file (`fileId` in the index) whose facts went from `before` to `after`. */
  apply(fileId: number, before: FileFacts, after: FileFacts, diff: FactsDiff): boolean {
    if (diff.unchanged) return true;
    const { index } = this;
    const bodyOf = new Map(diff.bodies.map((b) => [`${b.macro ? 'm' : 'f'}${b.item}`, b]));
    const nodes: number[] = [];
    for (let n = 0; n < index.nodeCount; n++) if (index.nodeFile[n] === fileId) nodes.push(n);
    if (nodes.length !== before.functions.length + before.macros.length) return false;
    const lineMaps = new Map<number, Map<number, OldLine>>();
    const defLines = new Map<number, [number, number]>();
    for (const n of nodes) {
      const macro = index.isMacro(n);
      const item = index.nodeItem[n]!;
      const body = bodyOf.get(`${macro ? 'm' : 'f'}${item}`);
      const was = macro ? before.macros[item] : before.functions[item];
      const now = macro ? after.macros[item] : after.functions[item];
      if (!body || !was || !now || was.name !== index.name(n) || index.nodeLine[n] !== was.line) return false;
      if (![...body.added, ...body.removed].every((c) => this.isSimple(n, c))) return false;
      lineMaps.set(n, oldLines(body));
      const oldSite = new Map(was.calls.map((c, i) => [c, i]));
      const newSite = new Map(now.calls.map((c, i) => [c, i]));
      this.siteMaps.set(n, new Map(body.kept.map(([o, c]) => [oldSite.get(o)!, newSite.get(c)!])));
      defLines.set(n, [was.line, now.line]);
      // A call to a name defined nowhere that has no external node yet would need a new node: resolve afresh.
      let unbound = false;
      for (const call of body.added) forEachDirectEdge(index, n, call, (target, kind, bind) => this.added.push(n, target, kind, call.line, newSite.get(call)!, bind), () => (unbound = true));
      if (unbound) return false;
    }
    if (!this.moveEdges(fileId, lineMaps, defLines) || !this.moveOverCap()) return false;
    for (const [n, [, line]] of defLines) index.nodeLine[n] = line;
    const lines = new Map<number, number>();
    for (const [o, n] of diff.lines) lines.set(o, lines.has(o) && lines.get(o) !== n ? -1 : n);
    const anon = new Map(diff.anon);
    return remapEvidence(this.edges, after.path, {
      line: (line) => {
        const moved = lines.get(line);
        return moved === undefined || moved < 0 ? undefined : moved;
      },
      anon: (line) => anon.get(line),
    });
  }

  /** Moves the edges of the file's nodes to their calls' new lines and call sites, dropping those of removed calls. */
  private moveEdges(fileId: number, lineMaps: Map<number, Map<number, OldLine>>, defLines: Map<number, [number, number]>): boolean {
    const { index, edges } = this;
    const groups = new Map<number, number[]>();
    for (let e = 0; e < edges.from.length; e++) {
      const from = edges.from[e]!;
      if (index.nodeFile[from] !== fileId) continue;
      const key = from * LINE_SPAN + edges.line[e]!;
      const group = groups.get(key);
      if (group) group.push(e);
      else groups.set(key, [e]);
    }
    for (const [key, group] of groups) {
      const node = Math.floor(key / LINE_SPAN);
      const line = key % LINE_SPAN;
      const old = lineMaps.get(node)?.get(line);
      for (const call of old?.removed ?? []) {
        let missing = false;
        forEachDirectEdge(index, node, call, (target, kind) => {
          const e = group.find((x) => !this.dropped.has(x) && edges.to[x] === target && edges.kind[x] === kind && edges.proof[x] === -1);
          if (e === undefined) missing = true;
          else this.dropped.add(e);
        });
        if (missing) return false;
      }
      const [defBefore, defAfter] = defLines.get(node)!;
      for (const e of group) {
        if (this.dropped.has(e)) continue;
        const to = new Set(old?.to);
        if (edges.kind[e] === DISPATCH && line === defBefore) to.add(defAfter);
        if (to.size !== 1) return false;
        edges.line[e] = to.values().next().value!;
        const site = edges.site?.[e] ?? -1;
        if (site < 0) continue;
        const moved = this.siteMaps.get(node)?.get(site);
        if (moved === undefined) return false;
        edges.site![e] = moved;
      }
    }
    return true;
  }

  /** Renumbers the call sites of edited bodies among the sites over a fallback cap (EdgeList.overCap); false when one was removed. */
  private moveOverCap(): boolean {
    const over = this.edges.overCap;
    if (!over) return true;
    for (let i = 0; i < over.length; i += 4) {
      const map = this.siteMaps.get(over[i]!);
      if (!map) continue;
      const moved = map.get(over[i + 1]!);
      if (moved === undefined) return false;
      over[i + 1] = moved;
    }
    return true;
  }

  /**
   * False when the removed calls left an external node with no caller: a fresh resolution would
   * not make that node, so the patched tables would not match it (the caller resolves afresh).
   */
  externalsKept(): boolean {
    const { index, edges, dropped, added } = this;
    const orphans = new Set<number>();
    for (const e of dropped) if (index.isExternal(edges.to[e]!)) orphans.add(edges.to[e]!);
    if (orphans.size === 0) return true;
    for (let e = 0; e < edges.from.length; e++) if (!dropped.has(e)) orphans.delete(edges.to[e]!);
    for (let i = 1; i < added.length; i += ADDED_STRIDE) orphans.delete(added[i]!);
    return orphans.size === 0;
  }

  /** The edges with every applied patch: dropped ones left out, added ones at the end. */
  finish(): EdgeSnapshot {
    const { edges, dropped, added } = this;
    if (dropped.size === 0 && added.length === 0) return edges;
    const length = edges.from.length - dropped.size + added.length / ADDED_STRIDE;
    const out: EdgeSnapshot = { from: new Int32Array(length), to: new Int32Array(length), kind: new Uint8Array(length), line: new Int32Array(length), proof: new Int32Array(length), deferred: new Uint8Array(length), bind: new Uint8Array(length), evidenceText: edges.evidenceText, evidenceStart: edges.evidenceStart, setStart: edges.setStart, setItems: edges.setItems, ...(edges.paramUses ? { paramUses: edges.paramUses } : {}), ...(edges.site ? { site: new Int32Array(length) } : {}), ...(edges.overCap ? { overCap: edges.overCap } : {}) };
    let at = 0;
    const put = (from: number, to: number, kind: number, line: number, proof: number, deferred: number, site: number, bind: number): void => {
      if (out.site) out.site[at] = site;
      out.bind[at] = bind;
      out.from[at] = from;
      out.to[at] = to;
      out.kind[at] = kind;
      out.line[at] = line;
      out.deferred[at] = deferred;
      out.proof[at++] = proof;
    };
    for (let e = 0; e < edges.from.length; e++) if (!dropped.has(e)) put(edges.from[e]!, edges.to[e]!, edges.kind[e]!, edges.line[e]!, edges.proof[e]!, edges.deferred[e]!, edges.site?.[e] ?? -1, edges.bind[e]!);
    // Added calls are simple calls by name (see isSimple): never through a deferred member.
    for (let i = 0; i < added.length; i += ADDED_STRIDE) put(added[i]!, added[i + 1]!, added[i + 2]!, added[i + 3]!, -1, 0, added[i + 4]!, added[i + 5]!);
    return out;
  }
}

/** A body's old call lines: where the kept calls went, and which calls went away. */
function oldLines(body: BodyDiff): Map<number, OldLine> {
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
