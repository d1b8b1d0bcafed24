import type { BodyDiff } from '../index/facts-diff.js';
import type { CallFact, TypeExpr } from '../types/facts.js';
import { tagOf } from './split-tags.js';
import type { TypeModel } from './type-model.js';

/**
 * Calls through a struct member (`sk->sk_prot->close(sk, 0)`, `pf->create(...)`) that a patch
 * takes out of a body, or whose arguments alone an edit changed: what a full resolution made of
 * such a call site is its own and nothing else's, so removing it is removing what is kept of
 * that site, and a site bound by its member's bindings keeps its edges whatever it passes.
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
 * (a later edit of them resolves in full or re-binds nothing). A call added is bound by the
 * binding patch (add-member-sites.ts), its receiver evaluated from the steps kept here.
 */

/** True for a call through a member that a patch can take out, pair with its new arguments or add (add-member-sites.ts): by no name, not through an indirect-call wrapper, a parameter, a local pointer, an array or a returned value. */
export function isPlainMemberCall(call: CallFact): boolean {
  return call.field !== undefined && call.name === undefined && !call.hints && call.param === undefined && call.var === undefined && call.array === undefined && call.ret === undefined;
}

/**
 * Per node, the call sites (positions in its old calls) of the member calls a body diff removed:
 * `removed` the calls it took out, `was` the node's calls before.
 */
export function goneSitesOf(was: readonly CallFact[], removed: readonly CallFact[]): Set<number> {
  const gone = new Set<number>();
  for (const call of removed) {
    const at = isPlainMemberCall(call) ? was.indexOf(call) : -1;
    if (at >= 0) gone.add(at);
  }
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

/** What a call through a member keeps when only its arguments change: its receiver's type expression, its member and the preprocessor condition of its line. */
const memberKey = (c: CallFact): string => JSON.stringify([c.recv ?? null, c.field, c.cond ?? null]);

/**
 * A function's body diff with the calls through a member whose arguments alone changed counted as
 * kept (`paired`): a removed and an added call of the same receiver expression, member and
 * condition (memberKey), the first removed with the first added of a key and so on. Their member
 * slot is the same (the receiver is evaluated in the same file), and so are the edges of a site
 * its member's bindings bind (resolveIndirectSites); one the signature or field-name fallback
 * bound depends on its arguments, which the caller checks (the binding record, the edges over a
 * cap). No pair when the calls kept would then cross (a kept call never does: facts-diff.ts), so
 * that each site's edges keep their order among the caller's.
 */
export function withMemberPairs(body: BodyDiff, was: readonly CallFact[], now: readonly CallFact[]): { body: BodyDiff; paired: [CallFact, CallFact][] } {
  const added = new Map<string, CallFact[]>();
  for (const c of body.added) if (isPlainMemberCall(c)) (added.get(memberKey(c)) ?? added.set(memberKey(c), []).get(memberKey(c))!).push(c);
  const paired: [CallFact, CallFact][] = [];
  for (const c of body.removed) {
    const match = isPlainMemberCall(c) ? added.get(memberKey(c))?.shift() : undefined;
    if (match) paired.push([c, match]);
  }
  if (paired.length === 0) return { body, paired };
  const kept = [...body.kept, ...paired].sort((a, b) => was.indexOf(a[0]) - was.indexOf(b[0]));
  if (kept.some(([, n], i) => i > 0 && now.indexOf(n) < now.indexOf(kept[i - 1]![1]))) return { body, paired: [] };
  const pairedOld = new Set(paired.map(([o]) => o));
  const pairedNew = new Set(paired.map(([, n]) => n));
  return { body: { ...body, kept, removed: body.removed.filter((c) => !pairedOld.has(c)), added: body.added.filter((c) => !pairedNew.has(c)) }, paired };
}

/**
 * Null when each site of `paired` (by old node: old call sites whose arguments alone changed) is one
 * its member's bindings bound: in `siteReads` ([node, site, slot] rows of BindingRecordSnapshot)
 * and not among `fallback`'s sites (`stride` ints a row, node and site first: fallbackSites), so
 * that its edges do not depend on what it passes. Else why not, for -v. Without `fallback` (a
 * record older than its fallback part), no site is known not to have taken it.
 */
export function pairedByArguments(paired: ReadonlyMap<number, ReadonlySet<number>>, siteReads: Int32Array, fallback: Int32Array | undefined, stride: number): string | null {
  if (paired.size === 0) return null;
  const rowsOf = (rows: Int32Array, step: number): Set<string> => {
    const out = new Set<string>();
    for (let i = 0; i < rows.length; i += step) if (paired.get(rows[i]!)?.has(rows[i + 1]!)) out.add(`${rows[i]}:${rows[i + 1]}`);
    return out;
  };
  const bound = rowsOf(siteReads, 3);
  const fell = fallback ? rowsOf(fallback, stride) : null;
  for (const [node, sites] of paired) {
    for (const site of sites) {
      const key = `${node}:${site}`;
      if (!bound.has(key) || !fell || fell.has(key)) return 'a call through a member passes other arguments, and a fallback that reads them bound it';
    }
  }
  return null;
}

/**
 * The key of one step of evaluating a receiver (BindingRecordSnapshot.receiverSteps): a root
 * type's name (`struct sock`), or the struct a member is read from and the member
 * (`struct sock\u0001sk_prot`); after the path of the file it was evaluated in and a \u0002 when
 * the step's value is a tag several files define (`path`: each file names the definition it sees,
 * split-tags.ts; such a tag is always named qualified, so a step's value is split in every file or
 * in none).
 */
export const stepKey = (step: string, path: string | null): string => (path === null ? step : `${path}\u0002${step}`);

/**
 * Calls `note` with each step of evaluating `recv` in `file` (at `path`), root first, as
 * TypeModel.evaluate takes them: the root type canonical, then each member's struct. Only for a
 * receiver that names no variable and no call (those are looked up in the file first); stops at a
 * step that evaluates to nothing.
 */
export function noteReceiverSteps(types: TypeModel, recv: TypeExpr, file: number, path: string, note: (key: string, value: string) => void): void {
  const chain: TypeExpr[] = [];
  for (let e = recv; ; e = e.of) {
    chain.unshift(e);
    if (e.k !== 'field') break;
  }
  let of = '';
  for (const e of chain) {
    if (e.k !== 'type' && e.k !== 'field') return;
    const value = types.evaluate(e, file);
    if (value === null) return;
    note(stepKey(e.k === 'type' ? e.name : `${of}\u0001${e.field}`, tagOf(value) === value ? null : path), value);
    of = value;
  }
}

/**
 * What `recv` evaluates to in the file at `path`, from the steps a resolution took (`valueOf`, by
 * stepKey), or the first step never taken there in words (`missing`: `sk_socket of struct sock`,
 * `a receiver of type struct foo`, `a receiver naming a variable or a call`).
 */
export function keptReceiver(recv: TypeExpr, path: string, valueOf: (key: string) => string | undefined): { value: string } | { missing: string } {
  const step = (key: string): string | undefined => valueOf(key) ?? valueOf(stepKey(key, path));
  if (recv.k === 'type') {
    const value = step(recv.name);
    return value === undefined ? { missing: `a receiver of type ${recv.name}` } : { value };
  }
  if (recv.k !== 'field') return { missing: 'a receiver naming a variable or a call' };
  const of = keptReceiver(recv.of, path, valueOf);
  if (!('value' in of)) return of;
  const value = step(`${of.value}\u0001${recv.field}`);
  return value === undefined ? { missing: `${recv.field} of ${tagOf(of.value)}` } : { value };
}
