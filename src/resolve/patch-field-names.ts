import type { CodeIndex } from '../index/code-index.js';
import type { FunctionFact } from '../types/facts.js';
import type { EvidenceAppender } from './append-evidence.js';
import { type BindingRecordSnapshot, recordStrings } from './binding-record.js';
import { kindId } from './edge-kind.js';
import { type EdgeSnapshot, type Evidence, unpackEvidence } from './edge-list.js';
import { fitsTags } from './fallback-query.js';
import { FIELD_LATER_STRIDE, FIELD_SITE_DEFERRED, FIELD_SITE_HINTED, FIELD_SITE_STRIDE, type FieldNameRecord, splitTags } from './field-name-record.js';
import { MAX_FALLBACK_TARGETS } from './narrow-fallback.js';
import type { KeyedContribution } from './patch-slot-flow.js';
import { MissingEvidence } from './record-contributions.js';
import { withoutGoneSites } from './member-call-edits.js';
import { moveSiteRows } from './renumber-nodes.js';
import { scanColumns } from './stored-column.js';

const FIELD_NAME = kindId('field-name');
/** Call sites fit in 20 bits: (node, site) pairs make one safe integer key. */
const SPAN = 1 << 20;

/** The new edges of one call site the field-name fallback binds: each function with its evidence, and whether they are deferred (for a site that had none). */
export interface FieldRun {
  bound: { target: number; kind: number; evidence: Evidence[] }[];
  deferred: number;
}

/** What patchFieldNames reads: the record's contributions before and after the edits (NewRecord.keyedIn), the graph and how nodes moved. */
export interface FieldNamePatchInput {
  old: BindingRecordSnapshot;
  /** The field-name record with new node ids (moveFieldNames), its later rows made again after the edits where they changed. */
  record: FieldNameRecord;
  /** The same before its later rows were made again (moveFieldNames alone): the union before the edits reads them. */
  before: FieldNameRecord;
  /** Slots (string ids) whose plain bindings the edits changed, of names call sites read by name alone. */
  changed: ReadonlySet<number>;
  keyedIn(slots: ReadonlySet<number>, now: boolean): KeyedContribution[];
  index: CodeIndex;
  edges: EdgeSnapshot;
  evidence: EvidenceAppender;
  /** Old node -> new node (-1: gone); null when no node moved. */
  map: Int32Array | null;
  editedFiles: ReadonlySet<number>;
  /** A function of the cached graph (old node id) as its facts were, when an edited file defines it. */
  oldFunction(node: number): FunctionFact | undefined;
}

/**
 * The field-name record with node ids and call sites moved as the patch moved them (`map`: old
 * node -> new, -1 gone; `sites`: by old node, old call site -> new; `gone`: by old node, the member
 * call sites edited bodies took out, left out; a function another phase bound that was removed as
 * -2 - its old id, whose rows the binding patch makes again or refuses: patch-bindings.ts
 * laterAfterStores). Why not, for a site that is gone.
 */
export function moveFieldNames(record: FieldNameRecord, map: Int32Array | null, sites: Map<number, Map<number, number>>, gone: ReadonlyMap<number, ReadonlySet<number>>): FieldNameRecord | string {
  const moved = withoutGoneSites(record.sites, FIELD_SITE_STRIDE, gone);
  const out = { ...record, sites: moved === record.sites ? record.sites.slice() : moved, later: record.later.slice() };
  const why = moveSiteRows(out.sites, FIELD_SITE_STRIDE, map, sites, 'a call site of an edited body bound by a member name alone is gone', 'a function with a call site bound by a member name alone was removed');
  if (why) return why;
  for (let i = 0; map && i < out.later.length; i += FIELD_LATER_STRIDE) {
    const n = map[out.later[i + 1]!]!;
    // A function removed keeps its old id (-2 - id), as a removed contribution's target in unionOf; the rows of its name are made again after the stores (patch-bindings.ts laterAfterStores), or the patch refuses.
    out.later[i + 1] = n < 0 ? -2 - out.later[i + 1]! : n;
  }
  return out;
}

/** A member name's union of bindings as forFieldName reads it: per function (new id, or -2 - its old id when removed), its evidence keys in order; in the union's order. */
type Union = Map<number, string[]>;

/**
 * The call sites the field-name fallback binds by member name (bind-indirect-sites.ts), bound
 * again after edits of the plain bindings of members of those names (`changed`): per name, the
 * functions bound to any member of it before and after (the record's contributions in table
 * order, then what other phases added, kept in FieldNameRecord.later), merged by function as
 * BindingTable.forFieldName merges them; then per call site of the name, the functions that fit
 * its arguments (fitsTags, with the types FallbackRecord.typeTags keeps), capped as a resolution
 * caps them. Only the functions whose bindings or facts changed are asked whether they fit: the
 * others' answers are the site's edges, or its count over the cap. Returns the new runs by call
 * site (node * 2^20 + site; an empty one where the site now goes over the cap), the new
 * EdgeSnapshot.overCap when it changed (else null), or why not: a binding another phase added
 * evidence to that the edits no longer make by an initializer, a site an indirect-call wrapper
 * names candidates for, a site coming back under the cap (its candidates were never listed), a
 * type no fallback read, or a record that does not match the graph.
 */
export function patchFieldNames(input: FieldNamePatchInput): { runs: Map<number, FieldRun>; overCap: Int32Array | null } | string {
  const { old, record, changed, index, edges } = input;
  const strings = recordStrings(old);
  const nameOf = (slot: number): string => strings[slot]!.slice(strings[slot]!.lastIndexOf('.') + 1);
  const names = new Map<string, Set<number>>();
  for (const slot of changed) (names.get(nameOf(slot)) ?? names.set(nameOf(slot), new Set()).get(nameOf(slot))!).add(slot);
  // Every slot of those names: the changed ones, the record's contribution rows', and those of the pairs other phases made.
  for (const slot of new Set(old.conSlot)) names.get(nameOf(slot))?.add(slot);
  const later = record.later;
  for (const rows of [later, input.before.later]) for (let i = 0; i < rows.length; i += FIELD_LATER_STRIDE) names.get(nameOf(rows[i]!))?.add(rows[i]!);
  const fallback = old.fallback;
  if (!fallback) return 'a member read by name alone changed, and the cached graph keeps no types of the fallbacks';
  const typeStrings = recordStrings(fallback);
  const tags = new Map<string, string>();
  for (let i = 0; i < fallback.typeTags.length; i += 2) tags.set(typeStrings[fallback.typeTags[i]!]!, typeStrings[fallback.typeTags[i + 1]!]!);
  const tagOf = (type: string): string | null => tags.get(type) ?? null;
  const fits = fitter(input, tagOf);
  const fitMemo = new Map<string, boolean | null>();
  const sites = sitesOf(record, strings, names);
  const runs = new Map<number, FieldRun>();
  const over = overCapOf(edges);
  const shown = sites.size ? edgesAt(edges, new Set([...sites.values()].flat().map((s) => s.key))) : new Map<number, number[]>();
  for (const [name, slots] of names) {
    const before = unionOf(input.keyedIn(slots, false), input.before, slots, true);
    const after = unionOf(input.keyedIn(slots, true), record, slots, false);
    if (typeof before === 'string') return before;
    if (typeof after === 'string') return after;
    // The functions whose bindings or facts changed: the only ones whose fit is asked.
    const moved = new Set<number>();
    for (const t of new Set([...before.keys(), ...after.keys()])) {
      if (t < 0 || input.editedFiles.has(index.nodeFile[t]!) || (before.get(t) ?? []).join('\n') !== (after.get(t) ?? []).join('\n')) moved.add(t);
    }
    if (moved.size === 0) continue;
    for (const site of sites.get(name) ?? []) {
      // Named by its caller and file: the line kept is the one the cached graph had, which an edit of the caller's file may have moved.
      const where = (): string => `a call site in ${index.name(site.node)} (${index.file(site.node)})`;
      if (site.flags & FIELD_SITE_HINTED) return `${where()} bound by the member name ${name} alone also takes an indirect-call wrapper's candidates, and that member's bindings changed`;
      const fitted = (t: number, now: boolean): boolean | string => {
        // Asked once per function and argument tags: a kernel's `->handler` is read by some thousands of sites with a few kinds of arguments.
        const key = `${t}:${now ? 1 : 0}:${site.tagsId}`;
        let fit = fitMemo.get(key);
        if (fit === undefined) fitMemo.set(key, (fit = fits(t, site.tags, now)));
        return fit === null ? `a function bound to a member named ${name} has a parameter type the fallbacks never read (${where()} reads that name)` : fit;
      };
      const count = over.get(site.key);
      if (count !== undefined) {
        let now = count;
        for (const t of moved) {
          for (const [union, was] of [[before, true], [after, false]] as const) {
            if (!union.has(t)) continue;
            const fit = fitted(t, !was);
            if (typeof fit === 'string') return fit;
            if (fit) now += was ? -1 : 1;
          }
        }
        if (now <= MAX_FALLBACK_TARGETS) return `${where()} bound by the member name ${name} alone comes back under the fallback's cap (${now} candidates), and its candidates were never listed`;
        if (now !== count) over.set(site.key, now);
        continue;
      }
      const was = shown.get(site.key) ?? [];
      const listed = new Set(was);
      // The site's edges are the old union's functions that fit, in its order: a check of the record against the graph.
      let last = -1;
      const order = [...before.keys()];
      for (const t of was) {
        const at = order.indexOf(t);
        if (at <= last) return `${where()}: the binding record of call sites bound by member name does not match the graph`;
        last = at;
      }
      const list: number[] = [];
      for (const t of after.keys()) {
        if (!moved.has(t)) {
          if (listed.has(t)) list.push(t);
          continue;
        }
        const fit = fitted(t, true);
        if (typeof fit === 'string') return fit;
        if (fit) list.push(t);
      }
      if (list.length > MAX_FALLBACK_TARGETS) {
        over.set(site.key, list.length);
        if (was.length) runs.set(site.key, { bound: [], deferred: 0 });
        continue;
      }
      if (list.length === 0 && was.length === 0) continue;
      // The same functions with the same bindings: nothing to bind again.
      if (list.length === was.length && list.every((t, i) => t === was[i] && (before.get(t) ?? []).join('\n') === after.get(t)!.join('\n'))) continue;
      const deferred = site.flags & FIELD_SITE_DEFERRED ? 1 : 0;
      runs.set(site.key, { bound: list.map((t) => ({ target: t, kind: FIELD_NAME, evidence: after.get(t)!.map((k) => evidenceOf(k, input.evidence, name)) })), deferred });
    }
  }
  return { runs, overCap: overCapRows(edges, over) };
}

/** One call site of FieldNameRecord.sites. */
interface FieldSite {
  key: number;
  node: number;
  tags: string[];
  /** The string id of its tags' text (FieldNameRecord.sites). */
  tagsId: number;
  flags: number;
}

/** The record's call sites of these member names, by name. */
function sitesOf(record: FieldNameRecord, strings: readonly string[], names: ReadonlyMap<string, unknown>): Map<string, FieldSite[]> {
  const out = new Map<string, FieldSite[]>();
  const { sites } = record;
  for (let i = 0; i < sites.length; i += FIELD_SITE_STRIDE) {
    const name = strings[sites[i + 2]!]!;
    if (!names.has(name)) continue;
    const site: FieldSite = { key: sites[i]! * SPAN + sites[i + 1]!, node: sites[i]!, tags: splitTags(strings[sites[i + 3]!]!), tagsId: sites[i + 3]!, flags: sites[i + 4]! };
    const list = out.get(name);
    if (list) list.push(site);
    else out.set(name, [site]);
  }
  return out;
}

/**
 * The union of a name's bindings (Union) from its slots' contributions in table order and the
 * pairs other phases made or added to (FieldNameRecord.later, rows of these slots), before the edits (`before`:
 * the targets of removed functions keyed by their old ids) or after. Why not, when a pair other
 * phases added evidence to is no longer made by a plain binding.
 */
function unionOf(contributions: readonly KeyedContribution[], { later, chain }: FieldNameRecord, slots: ReadonlySet<number>, before: boolean): Union | string {
  const pairs = new Map<string, { target: number; keys: string[] }>();
  for (const c of contributions) {
    const target = c.target < 0 && before ? -2 - c.was! : c.target;
    const at = `${c.slot}:${target}`;
    const pair = pairs.get(at);
    if (!pair) pairs.set(at, { target, keys: [c.key] });
    else if (!pair.keys.includes(c.key)) pair.keys.push(c.key);
  }
  for (let i = 0, from = 0; i < later.length; from = later[i + 3]!, i += FIELD_LATER_STRIDE) {
    if (!slots.has(later[i]!)) continue;
    const target = later[i + 1]!;
    const at = `${later[i]}:${target}`;
    const keys: string[] = [];
    // An evidence's id when an edge shows it (the same key as a contribution's), else one of its own: by its pair and place in the
    // pair's chain, not by its place in the record, which rows made again for other pairs move (else every function of a name looks changed).
    for (let k = from; k < later[i + 3]!; k++) keys.push(chain[k]! >= 0 ? `#${chain[k]}` : `L${at}:${k - from}`);
    const pair = pairs.get(at);
    // As BindingTable.add: a pair made already gains the evidence (one another phase made that an initializer makes now too), another is made.
    if (pair) {
      for (const k of keys) if (!pair.keys.includes(k)) pair.keys.push(k);
    } else if (later[i + 2] === 1) pairs.set(at, { target, keys });
    // Made by the first of the other phases' bindings, whose place among the pairs they made is not kept.
    else return 'a binding other phases added evidence to is no longer made by an initializer, which the binding record of call sites bound by member name does not follow';
  }
  const union: Union = new Map();
  for (const { target, keys } of pairs.values()) {
    const merged = union.get(target);
    if (!merged) union.set(target, [...keys]);
    else merged.push(...keys.filter((k) => !merged.includes(k)));
  }
  return union;
}

/**
 * Whether a function of a union fits a call site's argument tags, after the edits (`now`) or
 * before: the facts of a function of an edited file (or removed) are its old ones before.
 */
function fitter(input: FieldNamePatchInput, tagOf: (type: string) => string | null): (t: number, args: readonly string[], now: boolean) => boolean | null {
  const { index, map } = input;
  // New node -> old node (-1: added), made once (with a loop: spreading a kernel's 721,000 ids into pairs took some 800 ms).
  let oldOf: Int32Array | null = null;
  const functionOf = (t: number, now: boolean): FunctionFact | undefined => {
    if (t < 0) return now ? undefined : input.oldFunction(-2 - t);
    if (index.isMacro(t) || index.isExternal(t)) return undefined;
    if (!now && input.editedFiles.has(index.nodeFile[t]!)) {
      if (!map) return input.oldFunction(t);
      if (!oldOf) {
        oldOf = new Int32Array(index.nodeCount).fill(-1);
        for (let o = 0; o < map.length; o++) if (map[o]! >= 0) oldOf[map[o]!] = o;
      }
      const o = oldOf[t]! >= 0 ? oldOf[t]! : undefined;
      return o === undefined ? undefined : input.oldFunction(o);
    }
    return index.fileFacts(index.nodeFile[t]!).functions[index.nodeItem[t]!];
  };
  return (t, args, now) => {
    const f = functionOf(t, now);
    return f ? fitsTags(f, args, tagOf) : false;
  };
}

/** An evidence key of a union (NewRecord.keyedIn's: `#` an id among the edges' evidence, `=` packed text) as evidence; MissingEvidence when no edge shows it. */
function evidenceOf(key: string, appender: EvidenceAppender, name: string): Evidence {
  if (key.startsWith('#')) return appender.at(Number(key.slice(1)));
  if (key.startsWith('=')) return unpackEvidence(key.slice(1));
  throw new MissingEvidence(`no edge shows a binding of a member named ${name} that a call site reads by that name`);
}

/** The field-name call sites over the cap (EdgeSnapshot.overCap) and their candidate counts, by call site key. */
function overCapOf(edges: EdgeSnapshot): Map<number, number> {
  const out = new Map<number, number>();
  const rows = edges.overCap ?? new Int32Array(0);
  for (let i = 0; i < rows.length; i += 4) if (rows[i + 2] === FIELD_NAME) out.set(rows[i]! * SPAN + rows[i + 1]!, rows[i + 3]!);
  return out;
}

/**
 * EdgeSnapshot.overCap with the field-name sites' counts of `over`: changed in place, a site new
 * there put before the first row of a later caller or call site (a resolution adds them in that
 * order); null when nothing changed.
 */
function overCapRows(edges: EdgeSnapshot, over: Map<number, number>): Int32Array | null {
  const rows = edges.overCap ?? new Int32Array(0);
  const out: number[] = [];
  const had = new Set<number>();
  let changed = false;
  for (let i = 0; i < rows.length; i += 4) {
    const key = rows[i]! * SPAN + rows[i + 1]!;
    const count = rows[i + 2] === FIELD_NAME ? over.get(key)! : rows[i + 3]!;
    if (rows[i + 2] === FIELD_NAME) had.add(key);
    changed ||= count !== rows[i + 3];
    out.push(rows[i]!, rows[i + 1]!, rows[i + 2]!, count);
  }
  for (const [key, count] of over) {
    if (had.has(key)) continue;
    changed = true;
    const node = Math.floor(key / SPAN);
    const site = key % SPAN;
    let at = 0;
    while (at < out.length && (out[at]! < node || (out[at] === node && out[at + 1]! < site))) at += 4;
    out.splice(at, 0, node, site, FIELD_NAME, count);
  }
  return changed ? Int32Array.from(out) : null;
}

/** The field-name edges' targets of each of these call sites (node * 2^20 + site), in edge order; empty for a site with none. */
function edgesAt(edges: EdgeSnapshot, keys: ReadonlySet<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const callers = new Set([...keys].map((k) => Math.floor(k / SPAN)));
  scanColumns(edges, ['from', 'kind', 'site', 'to'] as const, (rows, _start, count) => {
    const { from, kind, site, to } = rows as Record<'from' | 'kind' | 'site' | 'to', Int32Array>;
    for (let i = 0; i < count; i++) {
      if (kind[i] !== FIELD_NAME || !callers.has(from[i]!)) continue;
      const key = from[i]! * SPAN + site[i]!;
      if (!keys.has(key)) continue;
      const list = out.get(key);
      if (list) list.push(to[i]!);
      else out.set(key, [to[i]!]);
    }
  });
  return out;
}
