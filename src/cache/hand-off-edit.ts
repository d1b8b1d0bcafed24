/**
 * Edits the patch of a cached graph cannot follow for the hand-off edges
 * (resolve/bind-hand-offs.ts: `raise_softirq(TIMER_SOFTIRQ)` -> the handler
 * `open_softirq(TIMER_SOFTIRQ, run_timer_softirq)` registered; resolve/bind-object-hand-offs.ts:
 * `schedule_work(&adapter->reset_task)` -> the handler `INIT_WORK(&adapter->reset_task,
 * e1000_reset_task)` filed): those edges join calls of two functions anywhere in the tree by their
 * key, so an edit that adds or removes such a call (a call whose object changes is one removed and
 * one added), or changes what a registration's handler name binds, makes the graph resolve in
 * full; but for calls queueing or registering work by its object, whose edges a patch makes
 * again from the record of the registrations and queueing calls under each key
 * (patch-object-hand-offs.ts). Calls kept by an edit keep their edges (the patch moves them with
 * their call site, and the evidence with the registration's line); a struct edit that changes a
 * key is a type edit the resolution read (type-edit.ts). Softirq calls are rare (about 40 in a
 * kernel); registrations and queueing of work items, timers and tasklets are not.
 */
import type { CallFact } from '../types/facts.js';
import { handOffNames } from '../resolve/bind-hand-offs.js';
import { objectHandOffNames } from '../resolve/bind-object-hand-offs.js';
import type { Profile } from '../profiles/profile.js';
import { kindId } from '../resolve/edge-kind.js';
import { EdgeList } from '../resolve/edge-list.js';
import { snapshotNameRows, snapshotNodeName, snapshotStrings } from '../index/snapshot-reads.js';
import { scanColumns } from '../resolve/stored-column.js';
import type { GraphPayload } from './graph-payload.js';
import { type DroppedEvaluations, isHandOffRecord, type ObjectHandOffRecord } from '../resolve/object-hand-off-record.js';
import type { EditedFile } from './patch-definitions.js';
import { ownTagsOf } from './defined-tags.js';
import { seenByNone } from './value-mentions.js';

/**
 * Why `plans` need a full resolution for the hand-off edges, in -v's words, or null. A call of a
 * registering or raising function of work handed off by key added or removed (in a kept body, or
 * in a function added or removed), or one registering work by an object while the graph keeps no
 * record of those (`payload.objectHandOffs`: with one, the patch makes the edges of their keys'
 * queueing calls again, resolve/patch-object-hand-offs.ts); a file that registers whose #include
 * lines changed (what the handler name binds may change); a definition added or removed of a
 * name the graph's hand-off edges reach (handOffReached: with a record, those of work handed off by
 * key alone).
 */
export function handOffEditBlocked(profile: Pick<Profile, 'handOffs' | 'objectHandOffs'>, plans: readonly EditedFile[], payload: Pick<GraphPayload, 'index' | 'edges' | 'objectHandOffs'>): string | null {
  const recorded = isHandOffRecord(payload.objectHandOffs);
  // A call queueing work by its object is patched (patch-object-hand-offs.ts), and with a record a registering one.
  const patched = new Set((profile.objectHandOffs ?? []).flatMap((r) => [...r.queue, ...(recorded ? r.register : [])].map((q) => q.name)));
  const names = new Set([...handOffNames(profile.handOffs), ...objectHandOffNames(profile.objectHandOffs)].filter((name) => !patched.has(name)));
  const registering = new Set([...(profile.handOffs ?? []).map((r) => r.register), ...(profile.objectHandOffs ?? []).flatMap((r) => r.register.map((g) => g.name))]);
  const named = (calls: readonly CallFact[], among: ReadonlySet<string>): string | undefined => calls.find((c) => c.name !== undefined && among.has(c.name))?.name;
  for (const t of plans) {
    const { plan, before, after } = t;
    const calls = [
      ...plan.diff.bodies.filter((b) => !b.macro).flatMap((b) => [...b.added, ...b.removed]),
      ...plan.added.flatMap((i) => after.functions[i]!.calls),
      ...plan.removed.flatMap((i) => before.functions[i]!.calls),
    ];
    const changed = names.size ? named(calls, names) : undefined;
    if (changed) return `${after.path}: a call of ${changed} was added or removed (work handed off by key or object)`;
    if (plan.includes && [before, after].some((f) => f.functions.some((fn) => named(fn.calls, registering)))) return `${after.path}: #include lines changed in a file that registers handed-off work`;
  }
  const defined = plans.flatMap((t) => [...t.plan.names]);
  if (defined.length === 0) return null;
  const handler = handOffReached(payload, defined, recorded ? new Set((profile.handOffs ?? []).map((r) => r.register)) : undefined);
  return handler ? `a definition of ${handler} was added or removed, a handler of work handed off by key` : null;
}

/**
 * The first of `names` that is the name of a function the cached graph's hand-off edges reach
 * (the callee of a deferred 'dispatch-table' edge; with `registers`, one whose evidence is a call
 * of one of those names: `open_softirq(...)`), or undefined. The nodes of those names are
 * found by their string ids (the string table read one string at a time: the patched graph's
 * writer then copies it as stored), and the edges are scanned once as stored (scanColumns).
 * Reading the name of every node those edges reach instead took a kernel's patch 70-100 ms (a
 * file or function added: --cpu-prof, Linux 6.1 x86, 2 cores).
 */
export function handOffReached(payload: Pick<GraphPayload, 'index' | 'edges'>, names: readonly string[], registers?: ReadonlySet<string>): string | undefined {
  const { index } = payload;
  const strings = snapshotStrings(index);
  const rows = snapshotNameRows(index);
  // The nodes named so (not by an alias: a handler is told by its own name), each with its name.
  const named = new Map<number, string>();
  for (const name of names) {
    const s = strings.find(name);
    if (s < 0) continue;
    for (let i = rows.start(s), end = rows.start(s + 1); i < end; i++) if (snapshotNodeName(index, rows.node(i)) === s) named.set(rows.node(i), name);
  }
  if (named.size === 0) return undefined;
  const dispatch = kindId('dispatch-table');
  const reached = new Set<string>();
  const list = registers && new EdgeList(payload.edges);
  const byKey = (e: number): boolean => !list || list.evidenceIdsOf(e).some((i) => registers!.has(/^\w*/.exec(list.evidenceAt(i).text)![0]));
  scanColumns(payload.edges, ['to', 'kind', 'deferred'] as const, ({ to, kind, deferred }, start, count) => {
    for (let e = 0; e < count; e++) if (kind![e] === dispatch && deferred![e] === 1 && named.has(to![e]!) && byKey(start + e)) reached.add(named.get(to![e]!)!);
  });
  return names.find((n) => reached.has(n));
}

/**
 * What a patch reads to add a queueing call (DefinitionPatchInput.objectHandOffs): the graph's
 * record, if it keeps one of this shape, and the evaluations the edits may have made wrong
 * (DroppedEvaluations): all of them when #include lines of a file kept changed that an #include
 * may open (a header, or a .c file another includes: what every file including it sees may change);
 * a file's own when its #include lines changed and no #include opens it (BuildRecord.includeNames:
 * value-mentions.ts seenByNone), or when it was added or deleted (`addedOrDeleted`: paths; the patch resolves in full when an existing
 * #include may open an added file, so no other file sees otherwise) or its file-scope variables
 * changed; those naming an anonymous struct of an edited file whose anonymous structs moved. And
 * the tags an edited file alone defines (defined-tags.ts ownTagsOf), when the graph keeps its table of tags.
 */
export function handOffInput(payload: Pick<GraphPayload, 'objectHandOffs' | 'definedTags' | 'definedTagCounts' | 'build'>, plans: readonly EditedFile[], addedOrDeleted: ReadonlySet<string>): { objectHandOffs?: ObjectHandOffRecord; droppedEvaluations?: DroppedEvaluations; ownTags?: (path: string, tag: string) => boolean } {
  if (!isHandOffRecord(payload.objectHandOffs)) return {};
  const ownTags = ownTagsOf(payload.definedTags, plans, payload.definedTagCounts);
  const included = plans.filter((t) => t.plan.includes && !addedOrDeleted.has(t.after.path));
  const unseen = seenByNone(payload.build?.includeNames);
  const all = included.some((t) => !unseen(t.after.path));
  const files = new Set([...addedOrDeleted, ...included.map((t) => t.after.path), ...plans.filter((t) => JSON.stringify(t.before.globals) !== JSON.stringify(t.after.globals)).map((t) => t.after.path)]);
  const anonOf = new Set(plans.filter((t) => t.plan.types.anon.some(([a, b]) => a !== b)).map((t) => t.after.path));
  return { objectHandOffs: payload.objectHandOffs, droppedEvaluations: { all, files, anonOf }, ...(ownTags ? { ownTags } : {}) };
}
