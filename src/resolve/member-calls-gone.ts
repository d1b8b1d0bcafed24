import type { CallFact } from '../types/facts.js';

/**
 * Calls through a struct member (`sk->sk_prot->close(sk, 0)`, `pf->create(...)`) that a patch
 * takes out of a body: what a full resolution made of such a call site is its own and nothing
 * else's, so removing it is removing what is kept of that site.
 *
 * A member call site (resolveIndirectSites, bind-indirect-sites.ts) makes edges at its call site
 * only: the member's bindings, the field-name fallback or the signature fallback, deferred or
 * not. The binding record keeps its site read (BindingRecordSnapshot.siteReads) or its signature
 * fallback query (FallbackRecord), and EdgeList.overCap its candidate count when over the cap.
 * Its arguments reach nothing else: parameters are followed, and out-parameters filled, through
 * calls by name alone (propagate-params.ts, bind-flows.ts); a function named as an argument is
 * one whose address is taken, which the binding patch follows for every call of an edited file
 * (patch-binding-edits.ts passedChanged). What may outlive the site is conservative only: its
 * member's name among BindingRecordSnapshot.fieldReads, its types among the fallback's typeTags
 * (a later edit of them resolves in full or re-binds nothing).
 */

/** True for a call through a member that a patch can take out: by no name, not through an indirect-call wrapper, a parameter, a local pointer, an array or a returned value. */
export function isMemberCallGone(call: CallFact): boolean {
  return call.field !== undefined && call.name === undefined && !call.hints && call.param === undefined && call.var === undefined && call.array === undefined && call.ret === undefined;
}

/**
 * Per node, the call sites (positions in its old calls) of the member calls a body diff removed:
 * `removed` the calls it took out, `was` the node's calls before.
 */
export function goneSitesOf(was: readonly CallFact[], removed: readonly CallFact[]): Set<number> {
  const gone = new Set<number>();
  for (const call of removed) if (isMemberCallGone(call)) gone.add(was.indexOf(call));
  return gone;
}

/**
 * Rows of `stride` ints that start with a node id and a call site (siteReads, the fallback sites,
 * EdgeList.overCap) without those of `gone` (by old node: old call sites of removed member
 * calls), in order; `rows` itself when none goes.
 */
export function withoutGoneSites(rows: Int32Array, stride: number, gone: ReadonlyMap<number, ReadonlySet<number>>): Int32Array {
  if (gone.size === 0) return rows;
  const keep: number[] = [];
  for (let i = 0; i < rows.length; i += stride) if (!gone.get(rows[i]!)?.has(rows[i + 1]!)) keep.push(i);
  if (keep.length * stride === rows.length) return rows;
  const out = new Int32Array(keep.length * stride);
  keep.forEach((i, k) => out.set(rows.subarray(i, i + stride), k * stride));
  return out;
}
