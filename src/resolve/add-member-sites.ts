import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { type BindingRecordSnapshot, recordStrings } from './binding-record.js';
import { FALLBACK_STRIDE, fallbackSites } from './fallback-record.js';
import { kindId } from './edge-kind.js';
import type { EdgeRows, EdgeSnapshot } from './edge-list.js';
import { applySplices, type EdgeSplice } from './edge-splice.js';
import { tagOf } from './split-tags.js';
import { bindingsBlock, type CallerEdge, callerPhase, edgeBlock, placeAmongCaller } from './caller-phases.js';
import { hasColumn, scanColumns, storedColumn } from './stored-column.js';
import { sharedFrom } from '../util/shared-arrays.js';
import { KeptSteps } from './member-steps.js';

const HINT = kindId('indirect-hint');
/** Call sites fit in 20 bits: (node, site) pairs make one safe integer key. */
const SPAN = 1 << 20;

/** A call through a member an edit added to a kept body: its caller and call site (the patched graph's ids) and its facts. */
export interface AddedMemberSite {
  node: number;
  site: number;
  call: CallFact;
}

/** An edge of a call site in the cached graph, before a patch: callee (old node id), kind, evidence set and its row then (cache/moved-member-runs.ts). */
export interface SiteRunRow {
  to: number;
  kind: number;
  proof: number;
  at: number;
}

/**
 * The edges a site added through a member may take from a site the same edits took out (a
 * function renamed or removed, a call taken out of a body: `gone`, by old node, its old call
 * sites), per slot (string id): the taken-out site's run in the cached graph (`runs`, by old node
 * * 2^20 + site, cache/moved-member-runs.ts editedSiteRuns), when it read its slot's bindings alone
 * (among the record's siteReads, not the signature fallback's, no indirect-call wrapper's
 * candidate among its edges, its edges together), none of its callees is gone (`map`: old node ->
 * new, -1 gone; null: none moved), and the binding patch changed none of that slot's bindings
 * (`changed`: such a slot maps to null, so that the refusal can say why). Callees are given as the patched graph's ids.
 */
export function takenOutRuns(record: BindingRecordSnapshot, gone: ReadonlyMap<number, ReadonlySet<number>>, runs: ReadonlyMap<number, readonly SiteRunRow[]>, map: Int32Array | null, changed: ReadonlySet<number>): Map<number, SiteRunRow[] | null> {
  const out = new Map<number, SiteRunRow[] | null>();
  const fallback = record.fallback ? fallbackSites(record.fallback) : new Int32Array(0);
  const other = new Set<number>();
  for (let i = 0; i < fallback.length; i += FALLBACK_STRIDE) other.add(fallback[i]! * SPAN + fallback[i + 1]!);
  const { siteReads } = record;
  for (let i = 0; i < siteReads.length; i += 3) {
    const [node, site, slot] = [siteReads[i]!, siteReads[i + 1]!, siteReads[i + 2]!];
    const run = gone.get(node)?.has(site) ? runs.get(node * SPAN + site) : undefined;
    if (!run?.length || other.has(node * SPAN + site) || out.get(slot)) continue;
    if (changed.has(slot)) {
      out.set(slot, null);
      continue;
    }
    if (run.some((r, k) => r.kind === HINT || r.at !== run[0]!.at + k || (map !== null && map[r.to]! < 0))) continue;
    out.set(slot, run.map((r) => ({ ...r, to: map ? map[r.to]! : r.to })));
  }
  return out;
}

/**
 * Binds the calls through a member that edits added (`added`), as a full resolution would
 * (resolveIndirectSites), from what the binding record kept, or says why it cannot:
 *
 * - the slot: the receiver names no variable and no call, and call sites of the tree took each of
 *   its steps (BindingRecordSnapshot.receiverSteps: its root type, then each member's struct; in
 *   any file, or in the same file for a step to a split tag; or the steps the resolution noted for
 *   members leading to members bound, holderSteps), and one reached the member through the
 *   struct it evaluates to (memberSlots);
 * - the edges: those of another call site that reads the slot through its bindings (in siteReads,
 *   not among the signature fallback's sites nor over a cap, with edges and no indirect-call
 *   wrapper's): a slot's bindings bind each of its sites alike, in the same order, whatever it
 *   passes; deferred when the profile defers the member (Profile.deferredCalls);
 * - their place: among the caller's edges where a resolution adds them, after the phases before
 *   the indirect call sites and its indirect call sites before it, before the later ones.
 *
 * With no such site left, the edges of a site the same edits took out that read the slot
 * (`takenOut`, by slot: takenOutRuns) serve alike. A slot no site reads through its bindings is
 * refused: the signature fallback would read the call's arguments. `edges` change in place (edge-splice.ts applySplices); returns the record with
 * the new sites among its site reads, or why not.
 */
export function addMemberSites(index: CodeIndex, edges: EdgeSnapshot, record: BindingRecordSnapshot, added: readonly AddedMemberSite[], takenOut: ReadonlyMap<number, readonly SiteRunRow[] | null> = new Map()): BindingRecordSnapshot | string {
  if (added.length === 0) return record;
  if (!hasColumn(edges, 'site')) return 'a call through a member was added, and the cached graph has no call sites';
  if (!record.receiverSteps || !record.memberSlots || !record.fallback) return 'a call through a member was added, and the cached graph does not keep what receivers evaluate to';
  const strings = recordStrings(record);
  const steps = new KeptSteps(record, strings);
  const slotOf = new Map<string, number>();
  for (let i = 0; i < record.memberSlots.length; i += 2) slotOf.set(strings[record.memberSlots[i]!]!, record.memberSlots[i + 1]!);
  // The sites that did not read their slot's bindings alone: the signature fallback's and those over a cap.
  const other = new Set<number>();
  const fallback = fallbackSites(record.fallback);
  for (let i = 0; i < fallback.length; i += FALLBACK_STRIDE) other.add(fallback[i]! * SPAN + fallback[i + 1]!);
  for (let i = 0; edges.overCap && i < edges.overCap.length; i += 4) other.add(edges.overCap[i]! * SPAN + edges.overCap[i + 1]!);
  const { siteReads } = record;
  const memberSites = new Set<number>();
  for (let i = 0; i < siteReads.length; i += 3) memberSites.add(siteReads[i]! * SPAN + siteReads[i + 1]!);
  const deferred = new Set(index.profile.deferredCalls.map((d) => `${d.holder}.${d.field}`));
  const wanted: { at: AddedMemberSite; slot: number; deferred: number; readers: Set<number> }[] = [];
  for (const at of added) {
    const { call } = at;
    const path = index.file(at.node);
    // A step whose value depends on the file (a split tag's definition it sees): an #include edit that would move one is resolved in full (include-edit.ts).
    const kept = call.recv ? steps.evaluate(call.recv, path) : { missing: 'a receiver of no known type' };
    if (!('value' in kept)) return `a call through the member ${call.field} was added or changed, and no call site of the tree reads ${kept.missing} as its receiver does (the graph keeps no type model to evaluate it)`;
    const holder = kept.value;
    const slot = slotOf.get(`${holder}\u0001${call.field}`);
    if (slot === undefined) return `a call through the member ${call.field} was added or changed, and no call site of the tree calls ${call.field} of ${tagOf(holder)}`;
    const key = strings[slot]!;
    const dot = key.lastIndexOf('.');
    const isDeferred = deferred.has(`${tagOf(holder)}.${call.field}`) || deferred.has(`${tagOf(key.slice(0, dot))}.${key.slice(dot + 1)}`);
    const readers = new Set<number>();
    for (let i = 0; i < siteReads.length; i += 3) if (siteReads[i + 2] === slot && !other.has(siteReads[i]! * SPAN + siteReads[i + 1]!)) readers.add(siteReads[i]! * SPAN + siteReads[i + 1]!);
    wanted.push({ at, slot, deferred: isDeferred ? 1 : 0, readers });
  }
  const readerKeys = new Set(wanted.flatMap((w) => [...w.readers]));
  const callers = new Set(added.map((a) => a.node));
  // The edges of the readers and of the new sites' callers: found in one pass over the callers' column as stored, their other columns read row by row.
  const interest = new Uint8Array(index.nodeCount);
  for (const key of readerKeys) interest[Math.floor(key / SPAN)] = 1;
  for (const node of callers) interest[node] = 1;
  const rows: number[] = [];
  scanColumns(edges, ['from'] as const, (chunk, start, count) => {
    const from = chunk.from!;
    for (let i = 0; i < count; i++) if (interest[from[i]!]) rows.push(start + i);
  });
  const at = { from: storedColumn(edges, 'from')!, kind: storedColumn(edges, 'kind')!, site: storedColumn(edges, 'site')!, to: storedColumn(edges, 'to')!, proof: storedColumn(edges, 'proof')! };
  // Each reader's run (its edges together, none a wrapper's), and the new sites' callers' edges with their phases.
  const runs = new Map<number, [number, number]>();
  const broken = new Set<number>();
  const own = new Map<number, CallerEdge[]>();
  for (const e of rows) {
    const from = at.from.at(e);
    const site = at.site.at(e);
    const kind = at.kind.at(e);
    const key = from * SPAN + site;
    if (readerKeys.has(key)) {
      const run = runs.get(key);
      if (kind === HINT || (run && run[1] !== e)) broken.add(key);
      else if (run) run[1] = e + 1;
      else runs.set(key, [e, e + 1]);
    }
    if (callers.has(from)) {
      const list = own.get(from) ?? own.set(from, []).get(from)!;
      list.push({ e, phase: callerPhase(kind, index.isExternal(at.to.at(e)), memberSites.has(key)), site });
    }
  }
  const splices: EdgeSplice[] = [];
  const newReads: number[] = [];
  const bindings = bindingsBlock(at.from.length, (e) => edgeBlock(at.kind.at(e), index.isExternal(at.to.at(e))));
  for (const w of wanted.sort((a, b) => a.at.node - b.at.node || a.at.site - b.at.site)) {
    const { node, site, call } = w.at;
    const reader = [...w.readers].find((key) => runs.has(key) && !broken.has(key));
    // No site left reading the slot: one the edits took out serves (a function renamed, a call moved), unless the slot changed.
    const run = reader === undefined ? undefined : runs.get(reader)!;
    const rows = run ? Array.from({ length: run[1] - run[0] }, (_, k) => run[0] + k).map((e) => ({ to: at.to.at(e), kind: at.kind.at(e), proof: at.proof.at(e) })) : takenOut.get(w.slot);
    if (rows === null) return `a call through the member ${call.field} was moved (its function renamed, or the call put elsewhere), and the same edit changed what that member holds, so the site taken out cannot lend its edges, and no other call site of the graph reads that member`;
    if (!rows) return `a call through the member ${call.field} was added or changed, and no other call site of the graph reads that member to take its edges from (a site reading no bindings takes the signature fallback's, which read the call's arguments)`;
    const place = placeAmongCaller(own.get(node) ?? [], site, at.from.length, bindings);
    if (place === null) return `the edges of ${index.name(node)} are not in the order a resolution adds them`;
    const write = (next: EdgeRows, to: number): void => {
      rows.forEach((r, k) => {
        next.from[to + k] = node;
        next.to[to + k] = r.to;
        next.kind[to + k] = r.kind;
        next.line[to + k] = call.line;
        next.proof[to + k] = r.proof;
        next.deferred[to + k] = w.deferred;
        next.bind[to + k] = 0;
        next.site![to + k] = site;
      });
    };
    splices.push({ start: place, end: place, count: rows.length, write });
    newReads.push(node, site, w.slot);
  }
  applySplices(edges, splices);
  return { ...record, siteReads: withSiteReads(siteReads, newReads) };
}

/** Site read rows ([node, site, slot]) with `more` put among them in (node, site) order. */
function withSiteReads(rows: Int32Array, more: number[]): Int32Array {
  const all: [number, number, number][] = [];
  for (let i = 0; i < rows.length; i += 3) all.push([rows[i]!, rows[i + 1]!, rows[i + 2]!]);
  const extra: [number, number, number][] = [];
  for (let i = 0; i < more.length; i += 3) extra.push([more[i]!, more[i + 1]!, more[i + 2]!]);
  const out: number[] = [];
  let k = 0;
  extra.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const row of all) {
    while (k < extra.length && (extra[k]![0] < row[0] || (extra[k]![0] === row[0] && extra[k]![1] < row[1]))) out.push(...extra[k++]!);
    out.push(...row);
  }
  while (k < extra.length) out.push(...extra[k++]!);
  return sharedFrom(Int32Array, out);
}
