import type { CodeIndex } from '../index/code-index.js';
import { emitHinted } from './bind-indirect-sites.js';
import { placesAmongCallers } from './caller-phases.js';
import type { EvidenceAppender } from './append-evidence.js';
import { kindId } from './edge-kind.js';
import { copyEdgeRow, type EdgeSnapshot, type Evidence } from './edge-list.js';
import type { EdgeSplice } from './edge-splice.js';
import type { FieldRun } from './patch-field-names.js';
import { tagOf } from './split-tags.js';
import { hasColumn, scanColumns, storedColumn } from './stored-column.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');
const HINT = kindId('indirect-hint');

/** A function bound to a slot with every binding of it, as BindingTable keeps it. */
export interface Bound {
  target: number;
  kind: number;
  evidence: Evidence[];
}

/** A slot's key split into its struct and member (member names hold no dot; struct names may). */
export const slotOf = (key: string): { holder: string; field: string } => {
  const at = key.lastIndexOf('.');
  return { holder: key.slice(0, at), field: key.slice(at + 1) };
};

/**
 * Binds again every member call site that reads a slot of `rebind`: its run of edges (those of its
 * caller and call site that are no call by name, added together by resolveIndirectSites) is replaced by the
 * wrapper's candidates then the slot's bindings, deferred as before. A member call site left with no
 * edge (its only functions renamed or removed) gets its run where a resolution adds it among its
 * caller's edges (caller-phases.ts placesAmongCallers), deferred as the profile says (deferredFor);
 * a pointer variable's site with no edge is refused. A site's call fact is read
 * (which decodes its file's cached facts: about 1 s for the few hundred files a much-copied member
 * reaches in a kernel) only when its run has an indirect-call wrapper's candidate (the fact's
 * `hints` are needed), or `readFacts(node)` says so (an edited file); otherwise its line is that
 * of its edges, which a resolution gives the call's line, and it has no hint with a target. Nodes
 * renumbered do not change that: a hint is a mention, so a file not edited names no function
 * added, removed or renamed by a hint (patchDefinitions refuses the patch otherwise), and its
 * hints bind the functions they bound before. Returns why not, or how many sites it bound again.
 */
export function rebindSites(index: CodeIndex, edges: EdgeSnapshot, evidence: EvidenceAppender, sites: SitesToBind, readFacts: (node: number) => boolean, splices: EdgeSplice[]): string | number {
  const { readers, rebind, loads, fields } = sites;
  const wanted = new Map<number, Bound[]>();
  /** The slot each member call site of `wanted` reads. */
  const slotOfSite = new Map<number, number>();
  const SPAN = 1 << 20;
  for (const [slot, bound] of rebind) {
    for (const [node, site] of readers.get(slot)!) {
      wanted.set(node * SPAN + site, bound);
      slotOfSite.set(node * SPAN + site, slot);
    }
  }
  for (const [key, rows] of loads) wanted.set(key, rows);
  for (const [key, run] of fields) wanted.set(key, run.bound);
  if (!hasColumn(edges, 'site')) return 'the cached graph has no call sites';
  const runs = new Map<number, [number, number]>();
  const hinted = new Set<number>();
  const callers = new Uint8Array(index.nodeCount);
  for (const key of wanted.keys()) callers[Math.floor(key / SPAN)] = 1;
  // One pass over every edge's caller, kind and call site read as stored, a chunk at a time (stored-column.ts scanColumns): a cached
  // graph's columns are not decoded for it, and a splice after copies them from the cache file (edge-splice.ts applySplices).
  let apart = -1;
  scanColumns(edges, ['from', 'kind', 'site'] as const, (rows, start, count) => {
    const { from, kind, site } = rows as Record<'from' | 'kind' | 'site', Int32Array>;
    for (let i = 0; i < count && apart < 0; i++) {
      const k = kind[i]!;
      if (k === DIRECT || k === MACRO || !callers[from[i]!]) continue;
      const key = from[i]! * SPAN + site[i]!;
      if (!wanted.has(key)) continue;
      const e = start + i;
      if (k === HINT) hinted.add(key);
      const run = runs.get(key);
      if (!run) runs.set(key, [e, e + 1]);
      else if (run[1] === e) run[1] = e + 1;
      else apart = from[i]!;
    }
  });
  if (apart >= 0) return `the edges of a call site of ${index.name(apart)} are not together`;
  const lineOf = storedColumn(edges, 'line')!;
  const deferredOf = storedColumn(edges, 'deferred')!;
  const out: { from: number[]; to: number[]; kind: number[]; line: number[]; proof: number[]; deferred: number[]; site: number[] } = { from: [], to: [], kind: [], line: [], proof: [], deferred: [], site: [] };
  const replaced = new Map<number, number>();
  // A member call site whose edges all went (to functions removed or renamed) gets its new run where a resolution adds it.
  const bare = [...wanted.keys()].filter((key) => !runs.has(key));
  const load = bare.find((key) => loads.has(key));
  if (load !== undefined) return `a call through a pointer variable in ${index.name(Math.floor(load / SPAN))} loads a changed member and had no edge in the cached graph (where its edges go among its caller's is not kept)`;
  const places = placesAmongCallers(index, edges, bare, sites.memberSites(new Set(bare.map((key) => Math.floor(key / SPAN)))));
  if (typeof places === 'string') return places;
  const inserted: EdgeSplice[] = [];
  for (const [key, bound] of wanted) {
    const run = runs.get(key);
    const node = Math.floor(key / SPAN);
    const site = key % SPAN;
    const load = loads.has(key);
    const call = hinted.has(key) || readFacts(node) || !run ? index.calls(node)[site] : null;
    if (call === undefined || (call && (load ? call.field !== undefined : call.field === undefined))) return `call site ${site} of ${index.name(node)} is not the ${load ? 'pointer variable' : 'member'} call the record says`;
    const line = call ? call.line : lineOf.at(run![0]);
    const deferred = run ? deferredOf.at(run[0]) : fields.has(key) ? fields.get(key)!.deferred : deferredFor(index, sites.slotKey(slotOfSite.get(key)!));
    if (typeof deferred === 'string') return deferred;
    const added = new Set<number>();
    const put = (target: number, kind: number, list: Evidence[]): void => {
      out.from.push(node);
      out.to.push(target);
      out.kind.push(kind);
      out.line.push(line);
      out.proof.push(evidence.set(list));
      out.deferred.push(deferred);
      out.site.push(site);
    };
    // A pointer variable's call: its edges as resolvePointerVariables made them (in target order).
    if (load) for (const b of bound) put(b.target, b.kind, b.evidence);
    // As resolveIndirectSites: the wrapper's candidates first, then each bound function not among them.
    else if (call) emitHinted(index, node, call, bound as never, (target, kind, ev) => {
      put(target, kind, Array.isArray(ev) ? ev : [ev]);
      added.add(target);
    });
    for (const b of load ? [] : bound) {
      if (added.has(b.target)) continue;
      added.add(b.target);
      put(b.target, b.kind, b.evidence);
    }
    if (run) replaced.set(run[0], key);
    else {
      const at = places.get(key)!;
      const rows = out.from.flatMap((from, i) => (from === node && out.site[i] === site ? [i] : []));
      inserted.push({ start: at, end: at, count: rows.length, write: (next, to) => rows.forEach((i, k) => copyEdgeRow(out, i, next, to + k)), site });
    }
  }
  spliced(runs, replaced, out, splices);
  // Two new runs of one caller placed at the same edge go in call site order (EdgeSplice.site), as a resolution adds them.
  splices.push(...inserted);
  return wanted.size;
}

/** What rebindSites binds again: the member call sites reading each changed slot and its bindings now, the pointer variable sites and their edges now, and how to name a slot and find a caller's member call sites. */
export interface SitesToBind {
  /** Slot id -> the member call sites (new node ids, call sites) that read it. */
  readers: Map<number, [number, number][]>;
  /** Slot id -> its bindings now. */
  rebind: Map<number, Bound[]>;
  /** A pointer variable's call site (node * 2^20 + site) -> its edges now. */
  loads: Map<number, Bound[]>;
  /** A call site of the field-name fallback (node * 2^20 + site) -> its edges now (patch-field-names.ts). */
  fields: Map<number, FieldRun>;
  /** A slot id's key (`struct foo.member`). */
  slotKey(slot: number): string;
  /** The member call sites of these nodes, by node. */
  memberSites(nodes: Set<number>): Map<number, Set<number>>;
}

/**
 * Whether the edges of a member call site through slot `key` are deferred (Profile.deferredCalls),
 * for a site that had none to copy it from: a resolution asks by the struct its receiver evaluates
 * to as well as by the slot's (resolveIndirectSites), so a member the profile defers under another
 * struct's name is not told. Why not, then.
 */
function deferredFor(index: CodeIndex, key: string): number | string {
  const { holder, field } = slotOf(key);
  const tag = tagOf(holder);
  const named = index.profile.deferredCalls.filter((d) => d.field === field);
  if (named.some((d) => d.holder === tag)) return 1;
  return named.length ? `${key} had no edge in the cached graph, and the profile defers member ${field} of another struct` : 0;
}

/** Each run of `runs` (by its first edge, `replaced`) to be swapped for its new edges in `out`, in the order they were made, as splices of the edge list (edge-splice.ts). */
function spliced(runs: Map<number, [number, number]>, replaced: Map<number, number>, out: { from: number[]; to: number[]; kind: number[]; line: number[]; proof: number[]; deferred: number[]; site: number[] }, splices: EdgeSplice[]): void {
  const SPAN = 1 << 20;
  const newBySite = new Map<number, number[]>();
  for (let i = 0; i < out.from.length; i++) {
    const key = out.from[i]! * SPAN + out.site[i]!;
    const list = newBySite.get(key);
    if (list) list.push(i);
    else newBySite.set(key, [i]);
  }
  for (const [first, key] of replaced) {
    const rows = newBySite.get(key) ?? [];
    splices.push({ start: first, end: runs.get(key)![1], count: rows.length, write: (next, at) => rows.forEach((i, k) => copyEdgeRow(out, i, next, at + k)) });
  }
}
