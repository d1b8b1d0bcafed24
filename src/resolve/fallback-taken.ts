/**
 * Sets of node ids as marks over the ids, for the signature fallback's patch (patch-fallback.ts):
 * the functions whose address is taken before and after an edit, told apart without Sets of a
 * kernel's 100,000 ids (split from patch-fallback.ts).
 */
import { type BindingRecordSnapshot } from './binding-record.js';
import { fromDeltas } from './fallback-record.js';

/** Targets (through `move`, those it makes negative left out) in order of first appearance; `count` bounds their ids. */
export function firstSeen(targets: ArrayLike<number>, count: number, move: ((n: number) => number) | null = null): Int32Array {
  const seen = new Uint8Array(count);
  const out = new Int32Array(targets.length);
  let w = 0;
  for (let i = 0; i < targets.length; i++) {
    const n = move ? move(targets[i]!) : targets[i]!;
    if (n < 0 || seen[n]) continue;
    seen[n] = 1;
    out[w++] = n;
  }
  return out.subarray(0, w);
}

/**
 * The functions taken otherwise now: those of `before` (new ids) with the passed changes made
 * (`now` added, `gone` taken out), as marks over `count` node ids, and in the order a Set of
 * `before` would list them after those additions and deletions (each once; one deleted then added
 * again comes last).
 */
export function takenOtherwiseNow(before: Int32Array, passed: readonly { node: number; state: string }[], count: number): { marked: Uint8Array; order: number[] } {
  const marked = new Uint8Array(count);
  for (let i = 0; i < before.length; i++) marked[before[i]!] = 1;
  const appended: number[] = [];
  for (const p of passed) {
    if (p.state === 'now' && !marked[p.node]) {
      marked[p.node] = 1;
      appended.push(p.node);
    } else if (p.state === 'gone' && marked[p.node]) {
      marked[p.node] = 0;
      const at = appended.indexOf(p.node);
      if (at >= 0) appended.splice(at, 1);
    }
  }
  const last = new Set(appended);
  const seen = new Uint8Array(count);
  const order: number[] = [];
  for (let i = 0; i < before.length; i++) {
    const n = before[i]!;
    if (seen[n] || !marked[n] || last.has(n)) continue;
    seen[n] = 1;
    order.push(n);
  }
  return { marked, order: order.concat(appended) };
}

/** The node ids marked, ascending. */
export function ascending(marked: Uint8Array): Int32Array {
  let n = 0;
  for (let m = 0; m < marked.length; m++) n += marked[m]!;
  const out = new Int32Array(n);
  for (let m = 0, w = 0; m < marked.length; m++) if (marked[m]) out[w++] = m;
  return out;
}

/**
 * True when patchFallback, with no function passed or no longer passed (TakenChange.passed empty),
 * would find nothing changed: no function joined or left those whose address is taken, none
 * became plain-bound, none plain-bound before lost its place, and the plain-bound ones kept their
 * order. The same tests as patchFallback's, on arrays indexed by node id (`nodes` new ids) instead
 * of sets of some 200,000 ids. `takenOtherwise` (new ids) and `targetsNow` (the plain bindings'
 * targets in table order, new ids) are the patched record's; `moved` maps an old id to its new one (-1: gone).
 */
export function takenUnchanged(old: BindingRecordSnapshot, takenOtherwise: Int32Array, targetsNow: Int32Array, moved: (n: number) => number, nodes: number): boolean {
  // Each function's rank among the plain-bound ones now, by first binding; -1 for none.
  // Indexed loops over the typed arrays (a for-of over a kernel's targets and nodes took this test some 50 ms before it was optimised).
  const rank = new Int32Array(nodes).fill(-1);
  let ranked = 0;
  for (let i = 0; i < targetsNow.length; i++) if (rank[targetsNow[i]!] === -1) rank[targetsNow[i]!] = ranked++;
  const otherwise = new Uint8Array(nodes);
  for (let i = 0; i < takenOtherwise.length; i++) otherwise[takenOtherwise[i]!] = 1;
  const taken = (m: number): boolean => rank[m]! >= 0 || otherwise[m] === 1;
  // Plain-bound before, in order of first binding: each still ranked, in the same order, or not ranked and no longer taken.
  const wasPlain = new Uint8Array(nodes);
  let last = -1;
  const { conTarget } = old;
  for (let i = 0; i < conTarget.length; i++) {
    const m = moved(conTarget[i]!);
    if (m < 0 || wasPlain[m]) continue;
    wasPlain[m] = 1;
    if (rank[m]! < 0) {
      if (otherwise[m]) return false; // unsure: its place among the others is not known
      continue;
    }
    if (rank[m]! < last) return false; // reordered
    last = rank[m]!;
  }
  // Taken before (plain-bound or otherwise): each still taken (none left).
  const before = new Uint8Array(nodes);
  const still = (n: number): boolean => {
    const m = moved(n);
    if (m < 0 || !taken(m)) return false;
    before[m] = 1;
    return true;
  };
  for (let i = 0; i < conTarget.length; i++) if (!still(conTarget[i]!)) return false;
  if (old.fallback) for (const n of fromDeltas(old.fallback.takenOtherwise)) if (!still(n)) return false;
  // Taken now: each taken before (none joined), and none made plain-bound that was taken otherwise.
  for (let m = 0; m < nodes; m++) {
    const r = rank[m]!;
    if (r < 0 && otherwise[m] !== 1) continue;
    if (!before[m]) return false;
    if (r >= 0 && !wasPlain[m]) return false;
  }
  return true;
}

/** Marks over `count` node ids: 1 for each node of the lists. */
export function marks(count: number, ...lists: Iterable<number>[]): Uint8Array {
  const out = new Uint8Array(count);
  for (const list of lists) {
    // An array or typed array by index (a for-of over a kernel's hundreds of thousands of ids is several times slower); another iterable as it iterates.
    if (Array.isArray(list) || ArrayBuffer.isView(list)) {
      const ids = list as ArrayLike<number>;
      for (let i = 0; i < ids.length; i++) out[ids[i]!] = 1;
    } else for (const n of list) out[n] = 1;
  }
  return out;
}
