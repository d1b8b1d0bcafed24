import type { CodeIndex } from '../index/code-index.js';
import type { FunctionFact } from '../types/facts.js';
import type { EvidenceAppender } from './append-evidence.js';
import { type BindingRecordSnapshot, recordStrings } from './binding-record.js';
import { FALLBACK_STRIDE, fromDeltas } from './fallback-record.js';
import { kindId } from './edge-kind.js';
import type { EdgeRows, EdgeSnapshot } from './edge-list.js';
import { edgeColumn, type EdgeSplice } from './edge-splice.js';
import { scanColumns } from './stored-column.js';
import { arityFits, type FunctionProfile, fitsQuery, isVariadic, profileOf } from './fallback-query.js';
import { MAX_SIGNATURE_TARGETS, signatureEvidenceText } from './narrow-fallback.js';
import { placesAmongCallers } from './caller-phases.js';
import { ascending, firstSeen, marks, takenOtherwiseNow, takenUnchanged } from './fallback-taken.js';
import type { NewRecord } from './patch-bindings-record.js';

const SIGNATURE = kindId('signature');
const SPAN = 1 << 20;
const LAST = Number.MAX_SAFE_INTEGER;

/** A function an edited body now passes as a value (`now`), or no longer passes: then no other way of its file takes it (`gone`), or that is not known. */
export interface PassedChange {
  node: number;
  state: 'now' | 'gone' | 'unknown';
}

/** What changed among the functions whose address is taken, as the signature fallback lists them. */
export interface TakenChange {
  /** The patched index (new node ids); the edited files' facts are its own. */
  index: CodeIndex;
  /** Files (new ids) whose facts the patched index holds: their call sites' lines are read again. */
  editedFiles: ReadonlySet<number>;
  /** Old node -> new node (-1: gone); null when no node moved. */
  map: Int32Array | null;
  /** A function of the cached graph (old node id) as its facts were, when an edited file defines it; else undefined. */
  oldFunction: (node: number) => FunctionFact | undefined;
  /** Functions (new ids) that edited bodies now pass as a value and did not (`now`), or no longer pass: then taken no other way (`gone`), or not known. */
  passed: PassedChange[];
}

/** A run of a call site's signature edges in the edge list: [first, end). */
type Run = [number, number];

/**
 * Brings the signature fallback's edges up to date with a change of the functions whose address is
 * taken (addressTakenFunctions: its candidates, in the order they were first taken, the plain
 * bindings' first): each call site that took the fallback (BindingRecordSnapshot.fallbackSites)
 * lists the functions that joined and fit it (fallback-query.ts), no longer lists those that left,
 * and lists the rest in the new order; a site that goes over MAX_SIGNATURE_TARGETS loses its edges
 * and is counted over the cap (EdgeSnapshot.overCap), one over it stays there with its new count.
 * Its changes of the edge rows go to `splices` (applied with the binding patch's own: edge-splice.ts, placed
 * against `edges` as they are, which those other splices never overlap); edges.overCap changes in place. Null when done, else why it cannot be exact: a site over the cap that
 * comes under it (its other candidates are not kept), a function whose types the fallback never
 * read, the order among functions taken otherwise than by plain bindings where a site lists
 * several and one of them moved, joined or left.
 */
export function patchFallback(next: NewRecord, old: BindingRecordSnapshot, edges: EdgeSnapshot, evidence: EvidenceAppender, change: TakenChange, splices: EdgeSplice[]): string | null {
  const { index, map } = change;
  const moved = (n: number): number => (map ? map[n]! : n);
  const targetsNow = next.targets(true);
  // Most edits leave the functions whose address is taken as they were: told without the marks below (a few hundred ms on a kernel).
  if (change.passed.length === 0 && takenUnchanged(old, next.takenOtherwise, targetsNow, moved, index.nodeCount)) {
    // As below: the functions taken otherwise, ascending, each once.
    if (next.takenOtherwise.some((n, i, a) => i > 0 && a[i - 1]! >= n)) next.takenOtherwise = Int32Array.from(new Set(next.takenOtherwise)).sort();
    return null;
  }
  // Sets of nodes as marks over the node ids (a kernel's record names some 200,000 bindings' targets).
  const count = index.nodeCount;
  const plainOld = firstSeen(old.conTarget, count, moved);
  const plainNew = firstSeen(targetsNow, count);
  const wasPlain = marks(count, plainOld);
  const rank = new Int32Array(count).fill(-1);
  plainNew.forEach((t, i) => (rank[t] = i));
  const ranked = (n: number): boolean => rank[n]! >= 0;
  const { marked: otherwise, order: otherwiseOrder } = takenOtherwiseNow(next.takenOtherwise, change.passed, count);
  next.takenOtherwise = ascending(otherwise);
  // Functions no longer passed that may or may not be taken otherwise: a site they fit cannot be told.
  const doubtful = new Set(change.passed.filter((p) => p.state === 'unknown' && !ranked(p.node)).map((p) => p.node));
  const nowTaken = marks(count, plainNew);
  for (let m = 0; m < count; m++) nowTaken[m]! |= otherwise[m]!;
  // Old functions by old id: those gone or no longer taken have left.
  const left: number[] = [];
  const oldIds = new Uint8Array(count);
  const oldSeen = new Uint8Array(map ? map.length : count);
  const leave = (n: number): void => {
    if (oldSeen[n]) return;
    oldSeen[n] = 1;
    const m = moved(n);
    if (m >= 0) oldIds[m] = 1;
    if (m < 0 || !nowTaken[m]) left.push(n);
  };
  const { conTarget } = old;
  for (let i = 0; i < conTarget.length; i++) leave(conTarget[i]!);
  if (old.fallback) for (const n of fromDeltas(old.fallback.takenOtherwise)) leave(n);
  // The functions taken now that were not before, in the order they are taken (plain-bound ones first).
  const takenNow = new Int32Array(plainNew.length + otherwiseOrder.length);
  takenNow.set(plainNew);
  takenNow.set(otherwiseOrder, plainNew.length);
  const joined = firstSeen(takenNow, count, (n) => (oldIds[n] ? -1 : n));
  // Functions whose place among those taken otherwise is not known: a site listing one with another such function cannot be ordered.
  const unsure = new Set<number>(change.passed.filter((p) => p.state === 'now' && !ranked(p.node)).map((p) => p.node));
  for (const n of plainOld) if (!ranked(n) && nowTaken[n]) unsure.add(n);
  // Whether the plain-bound functions still ranked lost their order (an indexed loop: an Int32Array's filter is slow on 100,000 ids).
  let reordered = false;
  for (let i = 0, last = -1; i < plainOld.length && !reordered; i++) {
    const r = rank[plainOld[i]!]!;
    if (r < 0) continue;
    reordered = last > r;
    last = r;
  }
  // Functions taken before otherwise and now by a plain binding: they move up among the plain-bound ones, by their first binding.
  const madePlain = new Set<number>();
  for (let i = 0; i < plainNew.length; i++) if (!wasPlain[plainNew[i]!] && oldIds[plainNew[i]!]) madePlain.add(plainNew[i]!);
  if (joined.length === 0 && left.length === 0 && unsure.size === 0 && doubtful.size === 0 && madePlain.size === 0 && !reordered) return null;
  const record = old.fallback;
  if (!record) return 'the functions whose address is taken changed (the signature fallback picks among them), and the cached graph keeps no record of its call sites';
  const table = recordStrings(record);
  const text = (id: number): string => table[id]!;

  const tags = new Map<string, string>();
  const { typeTags } = record;
  for (let i = 0; i < typeTags.length; i += 2) tags.set(text(typeTags[i]!), text(typeTags[i + 1]!));
  const tagOf = (type: string): string | null => tags.get(type) ?? null;
  // A function of a file not edited is read from its cached facts (the same before and after), when the index can read them.
  // Each function's facts read once (every site asks for each function that joined).
  const factsOf = new Map<number, FunctionFact | undefined>();
  const newFunction = (n: number): FunctionFact | undefined => {
    if (factsOf.has(n)) return factsOf.get(n);
    let f: FunctionFact | undefined;
    if (!index.isMacro(n) && !index.isExternal(n)) {
      try {
        f = index.fileFacts(index.nodeFile[n]!).functions[index.nodeItem[n]!];
      } catch {
        f = undefined;
      }
    }
    factsOf.set(n, f);
    return f;
  };
  // Whether a function that joined, left or may have left fits a site: its arity first, which needs no type, then its profile (made once).
  const profiles = new Map<FunctionFact, FunctionProfile | null>();
  const fitsSite = (f: FunctionFact | undefined, name: string, query: string): boolean | string => {
    if (!f) return `${name} joined or left the functions whose address is taken, and its facts cannot be read`;
    if (!arityFits(query, f.params.length, isVariadic(f))) return false;
    if (!profiles.has(f)) profiles.set(f, profileOf(f, tagOf));
    const p = profiles.get(f)!;
    return p ? fitsQuery(query, p) >= 0 : `${name} joined or left the functions whose address is taken, and the signature fallback never read one of its types (a call site that took it has as many arguments)`;
  };
  // Left functions: only needed where a site over the cap must say how many of them it listed (the same for every site of one query).
  const leftByQuery = new Map<string, number | string>();
  const leftFits = (query: string): number | string => {
    let known = leftByQuery.get(query);
    if (known === undefined) leftByQuery.set(query, (known = leftFitsOf(query)));
    return known;
  };
  const leftFitsOf = (query: string): number | string => {
    let count = 0;
    for (const n of left) {
      const m = moved(n);
      const fit = fitsSite(change.oldFunction(n) ?? (m >= 0 && !change.editedFiles.has(index.nodeFile[m]!) ? newFunction(m) : undefined), `function ${n}`, query);
      if (typeof fit === 'string') return fit;
      if (fit) count++;
    }
    return count;
  };
  const doubtfulFits = (n: number, query: string): boolean | string => fitsSite(newFunction(n), index.name(n), query);
  const variadic = new Set(next.takenVariadic);
  // The functions that joined and fit a query, in the order they joined, or why that cannot be told: the same for every site of one query.
  const gainedByQuery = new Map<string, number[] | string>();
  const gainedFor = (query: string): number[] | string => {
    const known = gainedByQuery.get(query);
    if (known !== undefined) return known;
    let gained: number[] | string = [];
    for (const n of joined) {
      const fit = fitsSite(newFunction(n), index.name(n), query);
      if (typeof fit === 'string') {
        gained = fit;
        break;
      }
      if (!fit) continue;
      gained.push(n);
      if (isVariadic(newFunction(n)!)) variadic.add(n);
    }
    gainedByQuery.set(query, gained);
    return gained;
  };

  // Each site's current run of signature edges, and its count when over the cap.
  const runs = new Map<number, Run>();
  // The lines read as they lie (16-bit lines not widened); callers, kinds and sites read as stored a chunk at a time for the pass over
  // every edge (stored-column.ts scanColumns: a cached kernel's callers are 17 MB decoded whole).
  const lineOf = edgeColumn(edges, 'line');
  let apart = -1;
  scanColumns(edges, ['from', 'kind', 'site'] as const, (rows, start, count) => {
    const { from, kind, site } = rows as Record<'from' | 'kind' | 'site', Int32Array>;
    for (let i = 0; i < count && apart < 0; i++) {
      if (kind[i] !== SIGNATURE) continue;
      const e = start + i;
      const key = from[i]! * SPAN + site[i]!;
      const run = runs.get(key);
      if (!run) runs.set(key, [e, e + 1]);
      else if (run[1] === e) run[1] = e + 1;
      else apart = from[i]!;
    }
  });
  if (apart >= 0) return `the signature edges of a call site of ${index.name(apart)} are not together`;
  const overCap = edges.overCap ?? new Int32Array(0);
  const capped = new Map<number, number>();
  for (let i = 0; i < overCap.length; i += 4) if (overCap[i + 2] === SIGNATURE) capped.set(overCap[i]! * SPAN + overCap[i + 1]!, i);

  const ops: Op[] = [];
  const newCounts = new Map<number, number>();
  const sites = next.fallbackSites;
  for (let i = 0; i < sites.length; i += FALLBACK_STRIDE) {
    const [node, site, queryId, howId, deferred] = [sites[i]!, sites[i + 1]!, sites[i + 2]!, sites[i + 3]!, sites[i + 4]!];
    const key = node * SPAN + site;
    const query = text(queryId);
    const gained = gainedFor(query);
    if (typeof gained === 'string') return gained;
    const at = capped.get(key);
    if (at !== undefined) {
      const lost = left.length ? leftFits(query) : 0;
      if (typeof lost === 'string') return lost;
      for (const n of doubtful) {
        const fits = doubtfulFits(n, query);
        if (fits !== false) return typeof fits === 'string' ? fits : `${index.name(n)} is no longer passed, registered or stored as a value by an edited file, which may change the functions whose address is taken, and a call site over the signature fallback's cap may list it`;
      }
      const count = overCap[at + 3]! + gained.length - lost;
      if (count <= MAX_SIGNATURE_TARGETS) return `a call site of ${index.name(node)} over the signature fallback's cap comes under it`;
      if (count !== overCap[at + 3]) newCounts.set(at, count);
      continue;
    }
    const run = runs.get(key);
    const listed: number[] = [];
    if (run) for (let e = run[0]; e < run[1]; e++) listed.push(edges.to[e]!);
    const kept = listed.filter((n) => nowTaken[n]);
    for (const n of doubtful) {
      const fits = kept.includes(n) || doubtfulFits(n, query);
      if (fits !== false) return typeof fits === 'string' ? fits : `${index.name(n)} is no longer passed, registered or stored as a value by an edited file, which may change the functions whose address is taken, and a call site of ${index.name(node)} may list it`;
    }
    if (gained.length === 0 && kept.length === listed.length && !reordered && !kept.some((n) => unsure.has(n) || madePlain.has(n))) continue;
    const ordered = order(kept, gained, rank, wasPlain, unsure, (n) => (query.startsWith('A') && variadic.has(n) ? 1 : 0));
    if (typeof ordered === 'string') return `${ordered} at a call site of ${index.name(node)}`;
    if (ordered.length === listed.length && ordered.every((n, k) => n === listed[k])) continue;
    const how = text(howId);
    // The call's line: that of its edges, else of its call fact (read from the cached facts on demand).
    const line = run ? lineOf[run[0]]! : index.calls(node)[site]!.line;
    const proofOf = new Map<number, number>();
    if (run) for (let e = run[0]; e < run[1]; e++) proofOf.set(edges.to[e]!, edges.proof[e]!);
    const rows =
      ordered.length > MAX_SIGNATURE_TARGETS
        ? []
        : ordered.map((to) => ({ from: node, site, to, line, deferred, proof: proofOf.get(to) ?? evidence.set([{ file: index.file(to), line: index.nodeLine[to]!, text: signatureEvidenceText(how) }]) }));
    ops.push({ key, run: run ?? null, rows, over: ordered.length > MAX_SIGNATURE_TARGETS ? ordered.length : 0 });
  }
  if (ops.length === 0 && newCounts.size === 0) return null;
  // The member call sites of the callers whose new runs are placed among their edges (those with no run yet) alone.
  const placed = place(index, edges, ops, next.memberSites(new Set(ops.filter((op) => !op.run && op.rows.length).map((op) => Math.floor(op.key / SPAN)))));
  if (typeof placed === 'string') return placed;
  for (const { start, end, op } of placed) splices.push({ start, end, count: op.rows.length, write: (rows, at) => writeRows(rows, at, op), ...(op.run ? {} : { site: op.key % SPAN }) });
  updateOverCap(edges, overCap, newCounts, ops);
  return null;
}

/** One site's edges replaced: its old run (null: it had none), its new rows, and its candidate count when it goes over the cap (0: it does not). */
interface Op {
  key: number;
  run: Run | null;
  rows: { from: number; site: number; to: number; line: number; deferred: number; proof: number }[];
  over: number;
}

/**
 * The functions a site lists now, in the fallback's order: by group (`group`: variadic ones after
 * for the agreement fallback), then plain-bound ones by their first binding (`rank`), then the
 * others in the order the site listed them. Why not, when two of those others' order is not known.
 */
function order(kept: number[], gained: number[], rank: Int32Array, wasPlain: Uint8Array, unsure: Set<number>, group: (n: number) => number): number[] | string {
  const all = [...kept, ...gained];
  const place = new Map(kept.map((n, i) => [n, i]));
  const rankOf = (n: number): number => (rank[n]! >= 0 ? rank[n]! : LAST);
  for (const g of [0, 1]) {
    const rest = all.filter((n) => group(n) === g && rank[n]! < 0);
    if (rest.length > 1 && rest.some((n) => !place.has(n) || wasPlain[n] || unsure.has(n))) return 'the signature fallback lists at a call site functions whose address is taken otherwise than by an initializer or assignment, and the graph keeps no order among them for the ones the edit adds or moves';
  }
  return all.sort((a, b) => group(a) - group(b) || rankOf(a) - rankOf(b) || (place.get(a) ?? LAST) - (place.get(b) ?? LAST));
}

/**
 * Where each new run goes in the edge list (`start`, `end` of the range it replaces): in place of
 * its old run, else among its caller's edges as a full resolution adds them: after those of the
 * phases before the indirect call sites and of the caller's indirect call sites before it, before
 * those of later ones and of dispatch tables and external names.
 */
function place(index: CodeIndex, edges: EdgeSnapshot, ops: Op[], memberSites: Map<number, Set<number>>): { start: number; end: number; op: Op }[] | string {
  const out: { start: number; end: number; op: Op }[] = [];
  const fresh = ops.filter((op) => !op.run && op.rows.length);
  for (const op of ops) if (op.run) out.push({ start: op.run[0], end: op.run[1], op });
  const places = placesAmongCallers(index, edges, fresh.map((op) => op.key), memberSites);
  if (typeof places === 'string') return places;
  for (const op of fresh) out.push({ start: places.get(op.key)!, end: places.get(op.key)!, op });
  return out.sort((a, b) => a.start - b.start || a.end - b.end || (a.op.key % SPAN) - (b.op.key % SPAN));
}

/** An op's rows written into edge columns from row `w`. */
function writeRows(next: EdgeRows, w: number, op: Op): void {
  for (const r of op.rows) {
    next.from[w] = r.from;
    next.to[w] = r.to;
    next.kind[w] = SIGNATURE;
    next.line[w] = r.line;
    next.proof[w] = r.proof;
    next.deferred[w] = r.deferred;
    next.bind[w] = 0;
    next.site![w++] = r.site;
  }
}

/** The over-cap list with the new counts of sites over it (`counts`: by quad offset) and the sites that went over it (by op), in (node, site) order. */
function updateOverCap(edges: EdgeSnapshot, overCap: Int32Array, counts: Map<number, number>, ops: Op[]): void {
  const quads: number[][] = [];
  for (let i = 0; i < overCap.length; i += 4) quads.push([overCap[i]!, overCap[i + 1]!, overCap[i + 2]!, counts.get(i) ?? overCap[i + 3]!]);
  for (const op of ops) {
    if (!op.over) continue;
    const quad = [Math.floor(op.key / SPAN), op.key % SPAN, SIGNATURE, op.over];
    const at = quads.findIndex((q) => q[0]! > quad[0]! || (q[0] === quad[0] && q[1]! > quad[1]!));
    quads.splice(at < 0 ? quads.length : at, 0, quad);
  }
  edges.overCap = Int32Array.from(quads.flat());
}
