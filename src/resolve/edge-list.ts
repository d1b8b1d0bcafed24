import { type Evidence, packEvidence, unpackEvidence } from './evidence-text.js';
import { orderBindings } from './order-bindings.js';
import { IntList } from '../util/int-list.js';
import { narrowView } from '../util/narrow-views.js';
import { rowReads } from '../util/row-reads.js';
import { type StoredColumn, storedColumn } from './stored-column.js';
import { freshColumn } from './edge-rows.js';
import { textSlicer } from '../util/text-slices.js';
import type { EdgeColumn, EdgeSnapshot } from './edge-snapshot.js';

// Evidence and its packed line live in evidence-text.ts; re-exported for the readers of this module.
export { type Evidence, packEvidence, unpackEvidence } from './evidence-text.js';

// The order bindings are shown in lives in order-bindings.ts; re-exported for the readers of this module.
export { orderBindings } from './order-bindings.js';

// The snapshot's shape lives in edge-snapshot.ts; re-exported for the readers of this module.
export type { EdgeColumn, EdgeSnapshot } from './edge-snapshot.js';

// The edge rows' helpers live in edge-rows.ts; re-exported for the readers of this module.
export { copyEdgeRow, EDGE_ROW_COLUMNS, type EdgeRows, emptyEdgeRows } from './edge-rows.js';

/**
 * Every resolved edge, one per (call site, target), in flat arrays.
 * `site` is the index of the call in the caller's `calls`; -1 for edges with no call site. Sites
 * refer to per-file facts: a snapshot keeps them when every edge has one (`hasSites`), so that
 * call details read on demand from cached facts can be matched with the edges.
 */
export class EdgeList {
  /**
   * The per-edge columns, each made when first read: over a loaded snapshot, a query that reads
   * a few edges never decodes (nor widens) the columns it does not touch (see cache/column-read.ts).
   */
  private readonly columns: Partial<Record<EdgeColumn, IntList>> = {};
  private readonly source: EdgeSnapshot | null;

  get from(): IntList {
    return this.column('from');
  }

  get to(): IntList {
    return this.column('to');
  }

  get kind(): IntList {
    return this.column('kind');
  }

  /** Index of the call in the caller's `calls`; -1 for edges with no call site. */
  get site(): IntList {
    return this.column('site');
  }

  /** Line of the call site in the caller's file. */
  get line(): IntList {
    return this.column('line');
  }

  /** Index of the edge's evidence set, or -1. */
  get proof(): IntList {
    return this.column('proof');
  }

  /**
   * 1 when the edge hands work to another context (its call site is one of the profile's
   * deferredCalls: a softirq, tasklet, workqueue, RCU or IRQ dispatcher), 0 otherwise.
   */
  get deferred(): IntList {
    return this.column('deferred');
  }

  /**
   * Per edge, the BindFlag bits (resolve/definition-scope.ts) of the call by name it comes from:
   * 1 config-dependent (the site binds several definitions, one of unknown activity), 2 no
   * candidate visible through the includes; 0 for other edges.
   */
  get bind(): IntList {
    return this.column('bind');
  }

  /** Column `name`, made on first use: taken from the snapshot as it is, or as stored when the cache keeps it narrower (util/narrow-views.ts), not widened (byte columns, 16-bit lines); empty without a snapshot. */
  private column(name: EdgeColumn): IntList {
    let list = this.columns[name];
    if (list) return list;
    const s = this.source;
    const narrow = s ? narrowView(s, name) : undefined;
    if (!s) list = freshColumn(name);
    else if (narrow) list = IntList.adoptNarrow(narrow);
    else if (name === 'site') list = s.site ? IntList.adopt(s.site) : new IntList(16);
    else if (name === 'kind' || name === 'deferred' || name === 'bind') list = IntList.adoptNarrow(s[name]);
    else list = IntList.adopt(s[name]);
    this.columns[name] = list;
    return list;
  }

  /** Column `name` read as stored in the cache file (stored-column.ts: rows copied a range at a time, never decoded whole) while it is not made; null once it is, or without a snapshot. */
  storedRows(name: EdgeColumn): StoredColumn | null {
    return this.columns[name] || !this.source ? null : storedColumn(this.source, name);
  }

  /** Row `edge` of column `name`: read alone from the snapshot as stored while the column is not made (util/row-reads.ts), else from the column. */
  private cell(name: EdgeColumn, edge: number): number {
    const reads = !this.columns[name] && this.source ? rowReads(this.source, name) : undefined;
    return reads ? reads.at(edge) : this.column(name).get(edge);
  }

  /** The caller of an edge (`from`), read alone while the column is not made. */
  callerOf(edge: number): number {
    return this.cell('from', edge);
  }

  /** The callee of an edge (`to`), read alone while the column is not made. */
  calleeOf(edge: number): number {
    return this.cell('to', edge);
  }

  /** The kind (EDGE_KINDS index) of an edge, read alone while the column is not made. */
  kindOf(edge: number): number {
    return this.cell('kind', edge);
  }

  /** The call site (index in the caller's `calls`) of an edge, -1 for none, read alone while the column is not made. */
  siteOf(edge: number): number {
    return this.cell('site', edge);
  }

  /** The line of an edge's call site (`line`), read alone while the column is not made: a query prints a few edges' lines of four million. */
  lineOf(edge: number): number {
    return this.cell('line', edge);
  }

  /** The edges whose caller is marked in `callers` (by node id), in edge order: from callerRuns when there are (a few hundred thousand pairs, not four million callers); `ofCaller`, when given, gets each one's caller at the same place (callerOf would work out every caller run's end). */
  edgesFrom(callers: Uint8Array, ofCaller?: number[]): number[] {
    const out: number[] = [];
    const runs = this.callerRuns();
    if (runs) {
      for (let k = 0, e = 0; k < runs.length; e = runs[k + 1]!, k += 2) {
        if (!callers[runs[k]!]) continue;
        for (let i = e; i < runs[k + 1]!; i++) out.push(i);
        if (ofCaller) for (let i = e; i < runs[k + 1]!; i++) ofCaller.push(runs[k]!);
      }
      return out;
    }
    const from = this.from.view();
    for (let e = 0; e < from.length; e++) {
      if (!callers[from[e]!]) continue;
      out.push(e);
      ofCaller?.push(from[e]!);
    }
    return out;
  }

  /** The callers as [caller, end] pairs in edge order (`end`: one past the run's last edge), while `from` is not made and the snapshot keeps it as runs; else undefined (read `from`). */
  callerRuns(): Int32Array | undefined {
    return !this.columns.from && this.source ? rowReads(this.source, 'from')?.runEnds?.() : undefined;
  }

  /** Each evidence added here, as its packed line by id: the map's keys, not Evidence objects (48 bytes each, and their texts, held through a cold resolve). */
  private readonly lines: string[] = [];
  /** Each evidence once (by its packed line), however many edges and sets it is part of. */
  private readonly evidenceIds = new Map<string, number>();
  /** A loaded snapshot's evidence: slices of its packed text (read without building the whole text when the cache keeps it in blocks), and where each entry starts. */
  private readonly packed: { slice: (from: number, to: number) => string; readonly start: Int32Array } | null;
  /** Evidence sets in compressed rows (see EdgeSnapshot), each distinct set once. */
  private sets: { start: IntList; items: IntList } | null = null;

  /** The evidence sets' rows, made when first used: over a loaded snapshot, a query printing no evidence never reads them. */
  private get setStart(): IntList {
    return this.evidenceSets().start;
  }

  private get setItems(): IntList {
    return this.evidenceSets().items;
  }

  private evidenceSets(): { start: IntList; items: IntList } {
    const s = this.source;
    this.sets ??= { start: s ? IntList.of(s.setStart) : IntList.of(new Int32Array(1)), items: s ? IntList.of(s.setItems) : new IntList() };
    return this.sets;
  }
  private readonly setIds = new Map<string, number>();
  /**
   * Parameters that functions passed as arguments are followed into, as flat [node, param]
   * pairs: stored or called by the function, or passed on to such a parameter; and the
   * out-parameters functions store through (`*slot = fn`, BindingFact.out). A new call that
   * passes nothing into these makes no edge but its own (what an incremental re-index checks).
   * Null when unknown (a cache written before they were kept).
   */
  paramUses: Int32Array | null;
  /**
   * Call sites a weak fallback found too many candidates for, so they make no edge (see
   * MAX_FALLBACK_TARGETS in narrow-fallback.ts): flat [node, site, kind, candidates] quadruples,
   * `kind` the fallback's EDGE_KINDS index.
   */
  readonly overCap: number[];

  /** Empty, or over a snapshot's arrays, which it takes as they are (no copy): the snapshot must not be changed afterwards. */
  constructor(snapshot?: EdgeSnapshot) {
    // The snapshot's arrays are taken as they are (not copied): loading a cached graph reads them in place.
    this.source = snapshot ?? null;
    // Where each evidence starts is read when first asked for (a query printing no evidence never does).
    this.packed = snapshot
      ? {
          slice: textSlicer(snapshot, 'evidenceText'),
          get start() {
            return snapshot.evidenceStart;
          },
        }
      : null;
    this.paramUses = snapshot?.paramUses ?? null;
    this.overCap = snapshot?.overCap ? [...snapshot.overCap] : [];
  }

  /**
   * The list as plain data. With `shared`, its 32-bit and byte columns are views of the list's own
   * storage, not copies: valid while no edge is added or changed, for a snapshot written at once
   * (a cold index's graph file: on Linux 6.1's 4.35 million edges, process.memoryUsage's arrayBuffers
   * once the payload is made 229 MiB against 303-305 with copies, one run each).
   */
  snapshot(options: { shared?: boolean } = {}): EdgeSnapshot {
    const { from, to, kind, line, proof } = this;
    const { lines } = this;
    const ints = (list: IntList): Int32Array => (options.shared ? list.int32s() : list.toArray());
    const bytes = (list: IntList): Uint8Array => (options.shared ? list.bytes() : Uint8Array.from(list.view()));
    const evidenceStart = new Int32Array(lines.length + 1);
    lines.forEach((l, i) => {
      evidenceStart[i + 1] = evidenceStart[i]! + l.length + 1;
    });
    return {
      from: ints(from),
      to: ints(to),
      kind: bytes(kind),
      line: ints(line),
      proof: ints(proof),
      deferred: bytes(this.deferred),
      bind: bytes(this.bind),
      evidenceText: lines.join('\n'),
      evidenceStart,
      setStart: this.setStart.toArray(),
      setItems: this.setItems.toArray(),
      ...(this.paramUses ? { paramUses: this.paramUses } : {}),
      ...(this.hasSites ? { site: ints(this.site) } : {}),
      overCap: Int32Array.from(this.overCap),
    };
  }

  /** True when `site` is known for every edge (built by resolving, or loaded from a snapshot that kept them). */
  get hasSites(): boolean {
    return this.site.length === this.length;
  }

  /** The evidence with this id (an entry of a set). */
  evidenceAt(i: number): Evidence {
    if (!this.packed) return unpackEvidence(this.lines[i]!);
    const { slice, start } = this.packed;
    return unpackEvidence(slice(start[i]!, start[i + 1]! - 1));
  }

  /** Every binding behind an edge, in the order they are shown (see orderBindings; `targetName` the callee's name): empty for edges without evidence. */
  evidenceOf(edge: number, targetFile: string, targetName = ''): Evidence[] {
    const ids = this.evidenceIdsOf(edge);
    return ids.length ? orderBindings(ids.map((i) => this.evidenceAt(i)), targetFile, targetName) : [];
  }

  /** How many evidence the list holds (ids 0 to this, exclusive, for evidenceAt), read by an edge or not. */
  get evidenceCount(): number {
    return this.packed ? this.packed.start.length - 1 : this.lines.length;
  }

  /** How many evidence sets the list holds (ids 0 to this, exclusive, for evidenceIdsOfSet). */
  get setCount(): number {
    return this.setStart.length - 1;
  }

  /** The evidence ids of set `s` (evidenceAt reads each), ascending. */
  evidenceIdsOfSet(s: number): number[] {
    const ids: number[] = [];
    for (let i = this.setStart.get(s); i < this.setStart.get(s + 1); i++) ids.push(this.setItems.get(i));
    return ids;
  }

  /** The ids of the bindings behind an edge (evidenceAt reads each), in id order: empty for edges without evidence. Reads the edge's row alone while its column is not made. */
  evidenceIdsOf(edge: number): number[] {
    const set = this.cell('proof', edge);
    return set < 0 ? [] : this.evidenceIdsOfSet(set);
  }

  /** The evidence set of an edge (an index of the sets, shared by edges proved by the same bindings), or -1; read alone while the column is not made. */
  proofOf(edge: number): number {
    return this.cell('proof', edge);
  }

  /**
   * Adds an edge; `evidence` is what binds its target: one or several bindings, or the id of a
   * set made by evidenceSet. Several edges proved by the same bindings share one set.
   */
  add(from: number, to: number, kind: number, site: number, line: number, evidence?: Evidence | readonly Evidence[] | number): void {
    this.from.push(from);
    this.to.push(to);
    this.kind.push(kind);
    this.site.push(site);
    this.line.push(line);
    this.deferred.push(0);
    this.bind.push(0);
    if (evidence === undefined) this.proof.push(-1);
    else if (typeof evidence === 'number') this.proof.push(evidence);
    else this.proof.push(this.evidenceSet(Array.isArray(evidence) ? evidence : [evidence as Evidence]));
  }

  /**
   * Makes room for `count` edges in all in every column (IntList.reserve): a kernel's columns
   * otherwise double while the last steps of a resolution add edges, and the halves left behind
   * (some 80 MB) wait for the next full collection where the heap is largest.
   */
  reserve(count: number): void {
    for (const name of ['from', 'to', 'kind', 'site', 'line', 'proof', 'deferred', 'bind'] as const) this.column(name).reserve(count);
  }

  /** Marks the edges first..end-1 deferred (the edges of one call site, added together). */
  markDeferred(first: number, end: number): void {
    for (let e = first; e < end; e++) this.deferred.set(e, 1);
  }

  /** Records that call `site` of `node` has `candidates` targets by fallback `kind`, over its cap: it makes no edge. */
  addOverCap(node: number, site: number, kind: number, candidates: number): void {
    this.overCap.push(node, site, kind, candidates);
  }

  isDeferred(edge: number): boolean {
    return this.cell('deferred', edge) === 1;
  }

  /** Sets the BindFlag bits of the edges first..end-1 (the edges of one call site by name, added together). */
  markBind(first: number, end: number, flags: number): void {
    for (let e = first; e < end; e++) this.bind.set(e, flags);
  }

  /** The BindFlag bits of an edge (0 for an edge not from a call by name). */
  bindFlags(edge: number): number {
    return this.cell('bind', edge);
  }

  /** The id of the set of these bindings (deduplicated), made once; -1 for none. */
  evidenceSet(list: readonly Evidence[]): number {
    if (list.length === 0) return -1;
    const ids = [...new Set(list.map((e) => this.evidenceId(e)))].sort((a, b) => a - b);
    const key = ids.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.setStart.length - 1;
      for (const i of ids) this.setItems.push(i);
      this.setStart.push(this.setItems.length);
      this.setIds.set(key, id);
    }
    return id;
  }

  /** The id of an evidence some edge added here shows (its index among the snapshot's evidence), or -1 when none shows it. */
  knownEvidence(e: Evidence): number {
    return this.evidenceIds.get(packEvidence(e)) ?? -1;
  }

  /** The id of an evidence, added to the evidence when no edge shows it (the binding record keeps it there, where a patch moves its lines). */
  internEvidence(e: Evidence): number {
    return this.evidenceId(e);
  }

  private evidenceId(e: Evidence): number {
    const packed = packEvidence(e);
    let id = this.evidenceIds.get(packed);
    if (id === undefined) {
      id = this.lines.length;
      this.lines.push(packed);
      this.evidenceIds.set(packed, id);
    }
    return id;
  }

  get length(): number {
    // Read from the snapshot's byte column while `from` is not made (it may be stored as runs, slower to decode), by its row count as stored while that is not made either.
    return this.columns.from || !this.source ? this.from.length : (rowReads(this.source, 'kind')?.length ?? this.source.kind.length);
  }
}
