import type { CodeIndex } from '../index/code-index.js';
import { isExpansionEdge } from './bind-expansion.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot } from './edge-list.js';
import type { GraphPatch } from './patch-graph.js';
import { paramNames } from './kept-bodies.js';
import { paramHoldsNoFunction } from './function-holders.js';
import { MAX_PASS_DEPTH, packParamUse, type ParamUseKind } from './propagate-params.js';
import { forEachDirectEdge } from './resolve.js';
import { withFields } from '../util/text-slices.js';
import { hasColumn, storedColumn } from './stored-column.js';
import { sharedArray } from '../util/shared-arrays.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** One [node, parameter] a patch adds to EdgeList.paramUses: why it is followed and at what depth (ParamUseTag). */
export interface AddedParamUse {
  node: number;
  param: number;
  kind: ParamUseKind;
  depth: number;
}

/**
 * The parameters of functions added by an edit (`added`, nodes of the patched index) that become
 * followed as a full resolution follows them (propagateParams): a function that passes its own
 * parameter p, by name, as argument q of a call by name to g, where [g, q] is stored or called
 * at depth d < MAX_PASS_DEPTH, has [f, p] followed at d + 1, for each kind; to a fixpoint, since
 * an added function may pass its parameter to another added one. Each pair is added to `patch`
 * (GraphPatch.addUse) as it is found.
 *
 * Exact only when no call site passes anything into the new pairs but an added function passing
 * its own parameter (the patch's isSimple checks every call of the added names with the pairs
 * added), so that following a new pair reaches nothing else; and when each new pair is passed on
 * into one followed parameter only: with two, which one a seed reaches first decides the depth a
 * full resolution records. Returns why not, in words for `-v`, in that second case.
 */
export function addedParamUses(patch: GraphPatch, index: CodeIndex, added: number[]): AddedParamUse[] | string {
  const found = new Map<string, AddedParamUse & { target: number; arg: number }>();
  let why: string | null = null;
  for (let changed = true; changed && !why; ) {
    changed = false;
    for (const f of added) {
      const params = paramNames(index, f);
      for (const call of index.calls(f)) {
        forEachDirectEdge(index, f, call, (target) => {
          call.args.forEach((a, q) => {
            const p = a === null ? -1 : params.indexOf(a);
            if (p < 0 || why || paramHoldsNoFunction(index, f, p)) return;
            for (const [kind, depth] of [...(patch.useOf(target, q) ?? [])]) {
              if (kind === 'out' || depth >= MAX_PASS_DEPTH) continue;
              const key = `${f}:${p}:${kind}`;
              const had = found.get(key);
              if (had && (had.target !== target || had.arg !== q)) {
                why = `${index.name(f)} passes its parameter ${a} on into two parameters that functions are followed into (of ${index.name(had.target)} and ${index.name(target)})`;
                return;
              }
              if (had) continue;
              found.set(key, { node: f, param: p, kind, depth: depth + 1, target, arg: q });
              patch.addUse(f, p, kind, depth + 1);
              changed = true;
            }
          });
        });
      }
    }
  }
  if (why) return why;
  return [...found.values()].map(({ node, param, kind, depth }) => ({ node, param, kind, depth }));
}

/**
 * Why removing the functions `removed` (nodes of the index before the edit, `patch0` over its
 * edges) changes more than their own pairs of EdgeList.paramUses: a call of one of them, by a
 * function not removed, passes something (a name, a member's address, a member read) into a
 * parameter of it that functions are followed into; following that parameter made callback edges,
 * bindings or the caller's own followed parameters. A name that holds nothing followed
 * (GraphPatch.passesNothing) made none of those. Null when no such call exists.
 */
export function removedParamUsesReached(patch0: GraphPatch, index0: CodeIndex, edges: EdgeSnapshot, removed: ReadonlySet<number>): string | null {
  // Nothing removed (functions only added): no call of a removed function to look at, and no pass over the edges.
  if (removed.size === 0) return null;
  if (!hasColumn(edges, 'site')) return 'the cached graph has no call sites';
  const gone = new Uint8Array(index0.nodeCount);
  let [lo, hi] = [index0.nodeCount, -1];
  for (const n of removed) {
    gone[n] = 1;
    [lo, hi] = [Math.min(lo, n), Math.max(hi, n)];
  }
  // Read as stored (stored-column.ts): the callers, kinds and call sites of the few edges into a removed function, never whole
  // (the 16-bit call sites of a kernel's four million edges were widened into 16 MB for it: 30-35 ms of a function removed).
  const [from, kind, site, bind] = (['from', 'kind', 'site', 'bind'] as const).map((k) => storedColumn(edges, k)!);
  let why: string | null = null;
  storedColumn(edges, 'to')!.rowsWithin(lo, hi, (e, n) => {
    if (why !== null || !gone[n]) return;
    const caller = from!.at(e);
    const k = kind!.at(e);
    if (gone[caller] || (k !== DIRECT && k !== MACRO)) return;
    // Through a macro's body (bind-expansion.ts): no argument of the site reaches the callee's parameters.
    if (isExpansionEdge(index0, caller, n, k, bind!.at(e))) return;
    const call = index0.calls(caller)[site!.at(e)];
    if (!call) {
      why = `${index0.name(n)} was removed, and the cached graph's call sites are not those of its callers' facts`;
      return;
    }
    const members = new Set(call.argMembers?.map((m) => m.arg));
    for (let i = 0; i < call.args.length && why === null; i++) {
      if (call.args[i] === null && !call.refs?.[i] && !members.has(i)) continue;
      const use = patch0.useOf(n, i);
      // A name holding nothing followed (a local filled by a call's result) made nothing there (SimpleCalls.passesNothing).
      if (use && !patch0.passesNothing(caller, call, i, use)) why = `${index0.name(n)} was removed, and ${index0.name(caller)} passes ${call.args[i] ?? 'a member'} into its parameter ${i + 1}, which functions are followed into`;
    }
  });
  return why;
}

/** `edges` with `added` appended to its paramUses (packed: packParamUse); the same edges when none is added. */
export function withParamUses(edges: EdgeSnapshot, added: AddedParamUse[]): EdgeSnapshot {
  if (added.length === 0 || !edges.paramUses) return edges;
  // In shared memory: the cache writer's thread is handed it without a copy (util/shared-arrays.ts sharedFrom).
  const uses = sharedArray(Int32Array, edges.paramUses.length + 2 * added.length);
  uses.set(edges.paramUses);
  added.forEach((u, k) => {
    uses[edges.paramUses!.length + 2 * k] = u.node;
    uses[edges.paramUses!.length + 2 * k + 1] = packParamUse(u);
  });
  // withFields, not a spread: a spread reads every column (a kernel's 32 MB evidence text made a string, then handed to the writer as one).
  return withFields(edges, { paramUses: uses });
}
