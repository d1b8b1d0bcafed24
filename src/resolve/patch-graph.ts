import type { CodeIndex } from '../index/code-index.js';
import type { FactsDiff } from '../index/facts-diff.js';
import type { CallFact } from '../types/facts.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot } from './edge-list.js';
import { type LineMoves, lineMovesOf, remapEvidence } from './remap-evidence.js';
import type { ParamUseKind } from './propagate-params.js';
import { ParamUseTable } from './param-use-table.js';
import { type Callbacks, SimpleCalls } from './simple-calls.js';
import { edgeBlock } from './caller-phases.js';
import { forEachCallEdge } from './resolve.js';
import { type StoredColumn, storedColumn } from './stored-column.js';
import { splicedEdges } from './splice-edges.js';
import { goneSitesOf, isPlainMemberCall, withMemberPairs, withoutGoneSites } from './member-call-edits.js';
import { callsAny, type KeptNode, oldLines, type OldLine, type UnboundCall } from './kept-bodies.js';
import { roleOf, rolesOf } from './bind-object-hand-offs.js';

const DISPATCH = kindId('dispatch-table');

/** Call sites fit in 20 bits: (node, site) pairs make one safe integer key. */
const SITE_SPAN = 1 << 20;
/** Lines fit in 22 bits: (node, line) pairs make one safe integer key. */
const LINE_SPAN = 1 << 22;

/**
 * Patches a cached graph (node tables and edges, no facts) for files edited in their bodies'
 * calls and lines (a call through a member taken out loses its site's edges, one given other
 * arguments keeps them, one added is left to the binding patch: member-call-edits.ts,
 * add-member-sites.ts), in functions added (addNode) and in calls whose name's definitions changed
 * (rebind), so that it equals what resolving the new facts would give, edge order aside. Each
 * call changes the tables in place; any answer false leaves them half patched, to be thrown
 * away for a full resolution.
 */
export class GraphPatch {
  /** Edges to drop (removed calls), by edge id. */
  private readonly dropped = new Set<number>();
  /** Edges of added calls: from, to, kind, line, call site, BindFlag bits (splice-edges.ts ADDED_STRIDE numbers each). */
  private readonly added: number[] = [];
  /** Per node of the edited files: old call site -> new call site, for the calls kept. */
  private readonly siteMaps = new Map<number, Map<number, number>>();
  /** Per edited file: old lines of calls taken out (or of functions removed) whose callback-arg edges went, for moveEvidence (lineMovesOf). */
  private readonly goneLines = new Map<number, number[]>();

  /** Notes that the callback evidence of old line `line` of file `fileId` is shown by no edge any more (its call was taken out, or its function removed). */
  forgetLine(fileId: number, line: number): void {
    (this.goneLines.get(fileId) ?? this.goneLines.set(fileId, []).get(fileId)!).push(line);
  }

  /** Whether forgetLine noted a line of file `fileId`. */
  forgets(fileId: number): boolean {
    return this.goneLines.has(fileId);
  }

  /** The nodes whose added or removed calls (or, for a function added, any call) pass a function where it is called (passesCallback): their callback-arg edges are made again (patch-callbacks.ts). */
  readonly callbackCallers = new Set<number>();
  /** The nodes whose added or removed calls (or, for a function added, any call) pass a function where it is stored (passesStored): the bindings they make are made again (patch-param-stores.ts). */
  readonly storeCallers = new Set<number>();
  /** The call sites (new ones) of the calls queueing work by its object that edits added, by function (ids before external nodes are renumbered): their object hand-off edges are added (patch-object-hand-offs.ts). */
  readonly queueingAdded = new Map<number, Set<number>>();
  /** The same for the calls registering a handler of work handed off by its object (`INIT_WORK(&a->w, fn)`): the calls queueing their keys get their edges again. */
  readonly registeringAdded = new Map<number, Set<number>>();
  /** Per node of the edited files: old call sites of the calls through a member it lost (member-call-edits.ts), and of calls taken out that passed a callback, whose edges all go. */
  private readonly goneSites = new Map<number, Set<number>>();
  /** Old node * SITE_SPAN + old call site of the calls through a member whose arguments alone changed (withMemberPairs), and those of them whose edges moveEdges moved. */
  private readonly pairedSites = new Set<number>();
  private readonly pairedMoved = new Set<number>();
  /**
   * New lines and call sites of kept edges (by edge id) that moveEdges moved: written into the
   * columns finish makes, so that the cached columns are read as stored and never decoded to be
   * changed in place (stored-column.ts). `movedLo`..`movedHi` bound the edge ids moved.
   */
  /** How the lines of each file applyBodies patched moved: moveEvidence moves the evidence (tens of MB of text on a kernel) once for all. */
  private readonly evidenceMoves: { file: string; move: LineMoves }[] = [];
  private readonly movedLine = new Map<number, number>();
  private readonly movedSite = new Map<number, number>();
  private movedLo = Infinity;
  private movedHi = -1;
  /** The cached columns read as stored, by name, each made once (null: the snapshot has no such column). */
  private readonly stored = new Map<string, StoredColumn | null>();
  /** Calls of names that bind to nothing and have no external node: edges to make once external nodes are renumbered. */
  readonly unbound: UnboundCall[] = [];
  /**
   * Says whether a name that binds to nothing may become an external node (a fresh index would
   * make one: no file defines it otherwise); absent: none may (the patch is refused).
   */
  newExternal: ((name: string) => boolean) | null = null;

  /** The parameters functions are followed into (EdgeList.paramUses), with the patch's own changes. */
  private readonly params: ParamUseTable;
  /** Which calls the patch adds or takes out by their own edges (SimpleCalls). */
  private readonly calls: SimpleCalls;

  constructor(
    /** Index loaded from the snapshot: names, files and flags are what they were. */
    private readonly index: CodeIndex,
    private readonly edges: EdgeSnapshot,
  ) {
    this.params = new ParamUseTable(edges.paramUses);
    this.calls = new SimpleCalls(index, this.params);
  }

  /** Column `name` of the cached edges, read as stored while it is not decoded. */
  private column(name: string): StoredColumn | null {
    if (!this.stored.has(name)) this.stored.set(name, storedColumn(this.edges, name));
    return this.stored.get(name)!;
  }

  /** The call site of kept edge `e` as moved so far (-1 without call sites). */
  private siteOf(e: number): number {
    const moved = e >= this.movedLo && e <= this.movedHi ? this.movedSite.get(e) : undefined;
    return moved ?? this.column('site')?.at(e) ?? -1;
  }

  /** Notes that [node, param] is followed for `kind` at `depth` (a use the patch adds: a new function passing its parameter on). */
  addUse(node: number, param: number, kind: ParamUseKind, depth: number): void {
    this.params.add(node, param, kind, depth);
  }

  /** Notes that [node, param] is no longer followed for `kind` (a call that passed it on was removed). */
  dropUse(node: number, param: number, kind: ParamUseKind): void {
    this.params.drop(node, param, kind);
  }

  /** Why [node, param] is followed: each kind with its least depth; undefined when it is not (or the cache does not know). */
  useOf(node: number, param: number): ReadonlyMap<ParamUseKind, number> | undefined {
    return this.params.of(node, param);
  }

  /** True for a call whose presence changes nothing but its own direct (or macro) edges: see SimpleCalls.whyNotSimple. */
  isSimple(node: number, call: CallFact, ownParams = false, callbacks: Callbacks = false, paramCalls = false): boolean {
    return this.calls.whyNotSimple(node, call, ownParams, callbacks, paramCalls) === null;
  }

  /** What makes a call more than a simple call, in words for `-v`, or null (SimpleCalls.whyNotSimple). */
  whyNotSimple(node: number, call: CallFact, ownParams = false, callbacks: Callbacks = false, paramCalls = false): string | null {
    return this.calls.whyNotSimple(node, call, ownParams, callbacks, paramCalls);
  }

  /** Whether a call queues work by its object (`schedule_work(&a->work)`: Profile.objectHandOffs): its edges are those of the registrations under its key. False for no call (undefined: a site its facts do not hold). */
  queues(call: CallFact | undefined): boolean {
    const role = call && this.roleOf(call);
    return role !== undefined && role.handler === undefined;
  }

  /** Whether a call registers a handler of work handed off by its object (`INIT_WORK(&a->work, fn)`): the calls queueing its key take their edges from it. */
  registers(call: CallFact): boolean {
    return this.roleOf(call)?.handler !== undefined;
  }

  /** The profile's object hand-off role of a call (bind-object-hand-offs.ts roleOf), the roles read once. */
  private roleOf(call: CallFact): ReturnType<typeof roleOf> {
    return roleOf((this.roles ??= rolesOf(this.index.profile.objectHandOffs ?? [])), call);
  }

  private roles: ReturnType<typeof rolesOf> | null = null;

  /** How applyBodies moved the call sites of `node` (its id before external nodes are renumbered): old site -> new; undefined when its body was not patched. */
  sitesOf(node: number): ReadonlyMap<number, number> | undefined {
    return this.siteMaps.get(node);
  }

  /** Whether argument `arg` of `call` (of `node`), passed into a parameter followed as `use` says, binds nothing there (SimpleCalls.passesNothing). */
  passesNothing(node: number, call: CallFact, arg: number, use: ReadonlyMap<ParamUseKind, number>): boolean {
    return this.calls.passesNothing(node, call, arg, use);
  }

  /** Whether a call passes a function where it is called (SimpleCalls.passesInto). */
  passesCallback(node: number, call: CallFact): boolean {
    return this.calls.passesInto(node, call, 'called');
  }

  /** Whether a call passes a function where it is stored into a member (SimpleCalls.passesInto). */
  passesStored(node: number, call: CallFact): boolean {
    return this.calls.passesInto(node, call, 'stored');
  }

  /** Whether a call passing a function where it is stored may be added or taken out (SimpleCalls.storesKept). */
  set storesKept(kept: boolean) {
    this.calls.storesKept = kept;
  }

  /**
   * Patches the kept definitions of one edited file: their edges move with their calls' lines and
   * sites, removed calls lose theirs, added ones get theirs. Calls by a name of `rebound` (names
   * whose definitions changed: their old edges were taken out beforehand) are bound again
   * wherever they stand. How the file's lines moved is kept for moveEvidence (`wasEmpty`: the file
   * held no facts before; remap-evidence.ts lineMovesOf), unless the file is `leftEmpty` (deleted,
   * or left with no facts): no edge shows an entry naming its lines any more, and a later version of
   * it is one that held no facts before, whose lines such entries keep (wasEmpty). Moving them cost a
   * kernel's deleted driver file a copy of the whole evidence text (32 MB, some 100 ms).
   */
  applyBodies(fileId: number, path: string, kept: KeptNode[], diff: FactsDiff, rebound: ReadonlySet<string>, wasEmpty = false, leftEmpty = false): boolean {
    const { index } = this;
    const lineMaps = new Map<number, Map<number, OldLine>>();
    const defLines = new Map<number, [number, number]>();
    for (const { node: n, was, now, body: diffed } of kept) {
      if (was.name !== index.name(n) || index.nodeLine[n] !== was.line) return false;
      // A call through a member whose arguments alone changed keeps its site: its edges move as a kept call's (withMemberPairs).
      const { body, paired } = index.isMacro(n) ? { body: diffed, paired: [] } : withMemberPairs(diffed, was.calls, now.calls);
      // A call through a member taken out loses every edge of its site; one added is bound by the binding patch (add-member-sites.ts).
      const removed = body.removed.filter((c) => !isPlainMemberCall(c));
      const added = body.added.filter((c) => !isPlainMemberCall(c));
      // A function's own parameter passed on: the caller changed the pairs it makes (patch-kept-param-uses.ts).
      // A function passed where it is called: the caller's callback-arg edges are made again after (patch-callbacks.ts).
      if (!added.every((c) => this.isSimple(n, c, !index.isMacro(n), 'added', true)) || !removed.every((c) => this.isSimple(n, c, !index.isMacro(n), 'removed', true))) return false;
      const callbacks = [...added, ...removed].filter((c) => this.passesCallback(n, c));
      if (callbacks.length) this.callbackCallers.add(n);
      const stores = [...added, ...removed].filter((c) => this.passesStored(n, c));
      if (stores.length) this.storeCallers.add(n);
      const rebind = (c: CallFact): boolean => rebound.size > 0 && callsAny(c, rebound);
      // A kept call of a rebound name binds to new definitions, which may follow what it passes.
      if (!body.kept.every(([o, c]) => !rebind(o) || this.isSimple(n, c))) return false;
      lineMaps.set(n, oldLines({ ...body, removed: removed.filter((c) => !rebind(c)) }));
      const oldSite = new Map(was.calls.map((c, i) => [c, i]));
      // A call taken out that passed a callback loses its callback-arg edges with its site.
      const gone = goneSitesOf(was.calls, body.removed);
      for (const c of removed) {
        // A call of a parameter taken out: the evidence of the callbacks it was a way of calling names its line.
        if (c.param !== undefined) this.forgetLine(fileId, c.line);
        // A queueing call taken out: its object hand-off edges go with its site (their evidence names the registrations).
        if (!index.isMacro(n) && this.queues(c)) gone.add(oldSite.get(c)!);
        // A registration taken out: the evidence of the queueing calls of its key names its line (their edges are made again).
        if (!index.isMacro(n) && this.registers(c)) this.forgetLine(fileId, c.line);
        // A call taken out that passed a function to be stored: the evidence of the bindings it made names its line.
        if (stores.includes(c)) this.forgetLine(fileId, c.line);
        if (!callbacks.includes(c)) continue;
        gone.add(oldSite.get(c)!);
        this.forgetLine(fileId, c.line);
      }
      if (gone.size) this.goneSites.set(n, gone);
      const newSite = new Map(now.calls.map((c, i) => [c, i]));
      const queueing = index.isMacro(n) ? [] : added.filter((c) => this.queues(c)).map((c) => newSite.get(c)!);
      if (queueing.length) this.queueingAdded.set(n, new Set(queueing));
      const registering = index.isMacro(n) ? [] : added.filter((c) => this.registers(c)).map((c) => newSite.get(c)!);
      if (registering.length) this.registeringAdded.set(n, new Set(registering));
      this.siteMaps.set(n, new Map(body.kept.map(([o, c]) => [oldSite.get(o)!, newSite.get(c)!])));
      for (const [o] of paired) this.pairedSites.add(n * SITE_SPAN + oldSite.get(o)!);
      defLines.set(n, [was.line, now.line]);
      // Kept calls of a rebound name lost their edges: they are bound again, as added ones are.
      for (const call of [...added, ...body.kept.filter(([o]) => rebind(o)).map(([, c]) => c)]) if (!this.emitCall(n, call, newSite.get(call)!)) return false;
    }
    if (!this.moveEdges(fileId, lineMaps, defLines) || !this.moveOverCap()) return false;
    // A paired site with no edge may have had none for want of a signature fallback candidate, which its new arguments may find.
    if ([...this.pairedSites].some((key) => !this.pairedMoved.has(key))) return false;
    for (const [n, [, line]] of defLines) index.nodeLine[n] = line;
    if (!leftEmpty) this.evidenceMoves.push({ file: path, move: lineMovesOf(diff, wasEmpty, this.goneLines.get(fileId)) });
    return true;
  }

  /**
   * Moves the evidence to the new lines of every file applyBodies patched (remap-evidence.ts):
   * null when done, else the path of a file one of whose evidence lines cannot be moved (nothing
   * is changed then: the caller resolves in full). Called once, after the last applyBodies.
   */
  moveEvidence(): string | null {
    const failed = remapEvidence(this.edges, this.evidenceMoves);
    this.evidenceMoves.length = 0;
    return failed;
  }

  /**
   * The edges of a new definition's body (a function added): false unless every call in it is
   * simple (`ownParams`: see isSimple; the caller added the pairs its parameters make with addUse).
   */
  addNode(node: number, calls: CallFact[], ownParams = false): boolean {
    // Its calls through a member are bound by the binding patch (add-member-sites.ts).
    if (!calls.every((c) => isPlainMemberCall(c) || this.isSimple(node, c, ownParams, 'added'))) return false;
    if (calls.some((c) => !isPlainMemberCall(c) && this.passesCallback(node, c))) this.callbackCallers.add(node);
    if (calls.some((c) => !isPlainMemberCall(c) && this.passesStored(node, c))) this.storeCallers.add(node);
    const queueing = this.index.isMacro(node) ? [] : calls.flatMap((c, site) => (this.queues(c) ? [site] : []));
    if (queueing.length) this.queueingAdded.set(node, new Set(queueing));
    const registering = this.index.isMacro(node) ? [] : calls.flatMap((c, site) => (this.registers(c) ? [site] : []));
    if (registering.length) this.registeringAdded.set(node, new Set(registering));
    return calls.every((c, site) => isPlainMemberCall(c) || this.emitCall(node, c, site));
  }

  /** Binds again a call by name whose old edges were taken out (its name's definitions changed): false unless the call is simple. */
  rebind(node: number, site: number, call: CallFact): boolean {
    return this.isSimple(node, call) && this.emitCall(node, call, site);
  }

  /**
   * Adds the edges a simple call makes (forEachDirectEdge); a name that binds to nothing and has
   * no external node yet goes to `unbound`, for an external node made once all are known.
   * False when `newExternal` refuses such a name (it may be defined otherwise: a variable, a typedef).
   */
  private emitCall(node: number, call: CallFact, site: number): boolean {
    let refused = false;
    forEachCallEdge(
      this.index,
      node,
      call,
      (target, kind, bind) => this.added.push(node, target, kind, call.line, site, bind),
      (name) => {
        if (this.newExternal?.(name)) this.unbound.push({ node, name, line: call.line, site });
        else refused = true;
      },
    );
    return !refused;
  }

  /** Moves the edges of the file's nodes to their calls' new lines and call sites, dropping those of removed calls. */
  private moveEdges(fileId: number, lineMaps: Map<number, Map<number, OldLine>>, defLines: Map<number, [number, number]>): boolean {
    const { index, edges } = this;
    const groups = new Map<number, number[]>();
    // Callers outside the file's first to last node are passed over without reading the node table (a file's nodes are one run of ids: renumberNodes).
    const { nodeFile } = index;
    const lo = nodeFile.indexOf(fileId);
    const hi = lo < 0 ? -1 : nodeFile.lastIndexOf(fileId);
    const lines = this.column('line')!;
    // Callers read as stored (runs of one caller's edges, on a kernel): the column is not decoded into 4 million rows to find a file's few.
    this.column('from')!.rowsWithin(lo, hi, (e, from) => {
      if (nodeFile[from] !== fileId) return;
      const key = from * LINE_SPAN + lines.at(e);
      const group = groups.get(key);
      if (group) group.push(e);
      else groups.set(key, [e]);
    });
    for (const [key, group] of groups) {
      const node = Math.floor(key / LINE_SPAN);
      const line = key % LINE_SPAN;
      const old = lineMaps.get(node)?.get(line);
      for (const call of old?.removed ?? []) {
        let missing = false;
        forEachCallEdge(index, node, call, (target, kind) => {
          const e = group.find((x) => !this.dropped.has(x) && edges.to[x] === target && edges.kind[x] === kind && this.column('proof')!.at(x) === -1);
          if (e === undefined) missing = true;
          else this.dropped.add(e);
        });
        if (missing) return false;
      }
      const [defBefore, defAfter] = defLines.get(node)!;
      const gone = this.goneSites.get(node);
      for (const e of group) {
        if (this.dropped.has(e)) continue;
        if (gone?.has(this.siteOf(e))) {
          this.dropped.add(e);
          continue;
        }
        const to = new Set(old?.to);
        if (edges.kind[e] === DISPATCH && line === defBefore) to.add(defAfter);
        if (to.size !== 1) return false;
        this.movedLo = Math.min(this.movedLo, e);
        this.movedHi = Math.max(this.movedHi, e);
        this.movedLine.set(e, to.values().next().value!);
        const site = this.siteOf(e);
        if (site < 0) continue;
        if (this.pairedSites.has(node * SITE_SPAN + site)) this.pairedMoved.add(node * SITE_SPAN + site);
        const moved = this.siteMaps.get(node)?.get(site);
        if (moved === undefined) return false;
        this.movedSite.set(e, moved);
      }
    }
    return true;
  }

  /** Renumbers the call sites of edited bodies among the sites over a fallback cap (EdgeList.overCap), those of member calls removed left out; false when another was removed. */
  private moveOverCap(): boolean {
    if (!this.edges.overCap) return true;
    const over = (this.edges.overCap = withoutGoneSites(this.edges.overCap, 4, this.goneSites));
    for (let i = 0; i < over.length; i += 4) {
      // Over a fallback cap: its candidates fit its arguments, which changed.
      if (this.pairedSites.has(over[i]! * SITE_SPAN + over[i + 1]!)) return false;
      const map = this.siteMaps.get(over[i]!);
      if (!map) continue;
      const moved = map.get(over[i + 1]!);
      if (moved === undefined) return false;
      over[i + 1] = moved;
    }
    return true;
  }

  /**
   * Where resolveEdges adds an edge (resolve.ts): 0, calls by name to a definition (resolveDirect,
   * first, by caller and call site); 1, every binding through a pointer, a table or a
   * registration; 2, calls by name to an external node (addExternalEdges, last, by caller and call site).
   */
  private edgeBlock(kind: number, to: number): number {
    return edgeBlock(kind, this.index.isExternal(to));
  }

  /** The edges with every applied patch: dropped ones left out, added ones where a full resolution puts them (edgeBlock). */
  finish(): EdgeSnapshot {
    return splicedEdges(this.edges, {
      dropped: this.dropped,
      added: this.added,
      block: (kind, to) => this.edgeBlock(kind, to),
      siteOf: (e) => this.siteOf(e),
      column: (name) => this.column(name),
      movedLine: this.movedLine,
      movedSite: this.movedSite,
    });
  }
}
