/**
 * Edits the patch of a cached graph cannot follow for the hand-off edges
 * (resolve/bind-hand-offs.ts: `raise_softirq(TIMER_SOFTIRQ)` -> the handler
 * `open_softirq(TIMER_SOFTIRQ, run_timer_softirq)` registered; resolve/bind-object-hand-offs.ts:
 * `schedule_work(&adapter->reset_task)` -> the handler `INIT_WORK(&adapter->reset_task,
 * e1000_reset_task)` filed): those edges join calls of two functions anywhere in the tree by their
 * key, so an edit that adds or removes such a call (a call whose object changes is one removed and
 * one added), or changes what a registration's handler name binds, makes the graph resolve in
 * full. Calls kept by an edit keep their edges (the patch moves them with their call site, and the
 * evidence with the registration's line); a struct edit that changes a key is a type edit the
 * resolution read (type-edit.ts). Softirq calls are rare (about 40 in a kernel); registrations and
 * queueing of work items, timers and tasklets are not, but an edit that keeps them is patched.
 */
import type { CallFact } from '../types/facts.js';
import { handOffNames } from '../resolve/bind-hand-offs.js';
import { objectHandOffNames } from '../resolve/bind-object-hand-offs.js';
import type { Profile } from '../profiles/profile.js';
import { kindId } from '../resolve/edge-kind.js';
import { stringItems } from '../util/text-slices.js';
import type { GraphPayload } from './graph-payload.js';
import type { EditedFile } from './patch-definitions.js';

/**
 * Why `plans` need a full resolution for the hand-off edges, in -v's words, or null. A call of a
 * registering or raising function added or removed (in a kept body, or in a function added or
 * removed); a file that registers whose #include lines changed (what the handler name binds may
 * change); a definition added or removed of a name `handlers()` gives (the names the graph's
 * hand-off edges reach), which is asked only then.
 */
export function handOffEditBlocked(profile: Pick<Profile, 'handOffs' | 'objectHandOffs'>, plans: readonly EditedFile[], handlers: () => ReadonlySet<string>): string | null {
  const names = new Set([...handOffNames(profile.handOffs), ...objectHandOffNames(profile.objectHandOffs)]);
  if (names.size === 0) return null;
  const registering = new Set([...(profile.handOffs ?? []).map((r) => r.register), ...(profile.objectHandOffs ?? []).flatMap((r) => r.register.map((g) => g.name))]);
  const named = (calls: readonly CallFact[], among: ReadonlySet<string>): string | undefined => calls.find((c) => c.name !== undefined && among.has(c.name))?.name;
  for (const t of plans) {
    const { plan, before, after } = t;
    const calls = [
      ...plan.diff.bodies.filter((b) => !b.macro).flatMap((b) => [...b.added, ...b.removed]),
      ...plan.added.flatMap((i) => after.functions[i]!.calls),
      ...plan.removed.flatMap((i) => before.functions[i]!.calls),
    ];
    const changed = named(calls, names);
    if (changed) return `${after.path}: a call of ${changed} was added or removed (work handed off by key or object)`;
    if (plan.includes && [before, after].some((f) => f.functions.some((fn) => named(fn.calls, registering)))) return `${after.path}: #include lines changed in a file that registers handed-off work`;
  }
  const defined = plans.flatMap((t) => [...t.plan.names]);
  if (defined.length === 0) return null;
  const reached = handlers();
  const handler = defined.find((n) => reached.has(n));
  return handler ? `a definition of ${handler} was added or removed, a handler of work handed off by key` : null;
}

/**
 * The names of the functions a cached graph's hand-off edges reach (deferred 'dispatch-table'
 * edges). Each name is read from the string table on its own (util/text-slices.ts stringItems): a
 * table read from the cache stays undecoded, and the patched graph's writer copies it as stored
 * instead of being handed every name. Measured on Linux 6.1 x86 (2 cores, load 5.7; --cpu-prof of
 * both threads, a function added, removed, a file added, deleted, each then the path query): the
 * writer's thread 1.19-1.46 s busy instead of 1.58-2.10 s (its garbage collection 61-93 ms instead
 * of 193-342 ms), and the graph file written the same bytes but for its generation.
 */
export function handOffTargets(payload: Pick<GraphPayload, 'index' | 'edges'>): Set<string> {
  const { to, kind, deferred } = payload.edges;
  const { nodeName } = payload.index;
  const strings = stringItems(payload.index, 'strings');
  const dispatch = kindId('dispatch-table');
  // Each target's name read once (a kernel's deferred dispatch edges name a few thousand handlers, most many times over: reading
  // the name at every edge took a patch 50-105 ms).
  const seen = new Uint8Array(nodeName.length);
  const out = new Set<string>();
  for (let e = 0; e < to.length; e++) {
    if (kind[e] !== dispatch || deferred[e] !== 1 || seen[to[e]!]) continue;
    seen[to[e]!] = 1;
    out.add(strings.at(nodeName[to[e]!]!));
  }
  return out;
}
