import type { BindingFact, FileFacts } from '../types/facts.js';
import type { IndexSnapshot } from '../index/node-flags.js';
import { snapshotNameRows, snapshotStrings } from '../index/snapshot-reads.js';
import { ParamUseTable } from '../resolve/param-use-table.js';
import { holdsNoFunction } from '../resolve/function-holders.js';

/**
 * Stores into a local variable that nothing of its function reads, as the resolution reads locals.
 *
 * Every assignment to a variable of a body is a binding fact (`len = skb_headlen(skb);`,
 * `mss = skb_shinfo(skb)->gso_size;`, `cmd = E1000_TXD_CMD_TCP;`: BindingFact.pointer 'local'),
 * since the parser cannot tell a function pointer from an integer. The resolution reads the stores
 * of local `v` of function `fn` (keyed by file, function name and variable) only through a use of
 * `v` in a function of that name in the same file:
 * - a call through it (CallFact.var, .array; .param when `v` is a parameter the body stores into:
 *   resolve/bind-pointer-vars.ts);
 * - `v` passed as an argument into a parameter the resolution follows (resolve/copy-slots.ts
 *   `argument`: one a function stores into a member or calls; EdgeList.paramUses); an argument
 *   of a call whose result is stored binds by its name alone (resolve/bind-flows.ts `returned`);
 * - a member assigned `v` (BindingFact.fromLocal: copy-slots.ts), `return v;` (BindingFact.returned
 *   'local': resolve/bind-flows.ts), or a store through an out-parameter naming `v`.
 *
 * A store with no such use makes no edge and names no evidence, so adding, removing or moving it
 * changes nothing the graph holds, but one thing: a store naming a function by name (not a member
 * loaded, not a call's result) takes its address (resolve/address-taken.ts), which the signature
 * fallback reads. Those names are returned for the patch to check (FilePlan.deadStored), and so are
 * the calls a variable is passed to, whose parameters the edit itself may make followed.
 */

/** Whether a call of `callee` passes argument `arg` (0-based) into a parameter the resolution follows (EdgeList.paramUses: stored, called or filled). */
export type FollowedParam = (callee: string, arg: number) => boolean;

/** A call by name passing a local as an argument: the name called and the argument's index. */
export interface PassedLocal {
  callee: string;
  arg: number;
}

/**
 * The variables of function `fn` (every definition of that name in `facts`) that some use reads,
 * as listed above, but an argument of a call by name into a parameter `followed` says is not followed:
 * those calls are put in `passes` by variable instead.
 */
function usedLocals(facts: FileFacts, fn: string, followed: FollowedParam): { used: Set<string>; passes: Map<string, PassedLocal[]> } {
  const used = new Set<string>();
  const passes = new Map<string, PassedLocal[]>();
  const add = (name: string | null | undefined): void => {
    if (name) used.add(name);
  };
  for (const f of facts.functions) {
    if (f.name !== fn) continue;
    for (const c of f.calls) {
      add(c.var);
      add(c.array);
      if (c.param !== undefined) add(f.params[c.param]?.name);
      // A call by name (and what a macro's result ends with): its targets' parameters are followed or not.
      const byName = c.name !== undefined && c.var === undefined && c.field === undefined && c.array === undefined && c.recv === undefined && !c.hints;
      c.args.forEach((a, i) => {
        if (!a) return;
        const callees = byName ? (c.expandsTo ?? [c.name!]) : null;
        if (!callees || callees.some((name) => followed(name, i))) return add(a);
        const list = passes.get(a) ?? passes.set(a, []).get(a)!;
        for (const callee of callees) list.push({ callee, arg: i });
      });
    }
  }
  for (const b of facts.bindings) {
    if (b.inFunction !== fn) continue;
    if (b.fromLocal || b.returned === 'local' || b.out !== undefined) add(b.fn);
  }
  return { used, passes };
}

/** A store into a local variable (BindingFact.pointer 'local'). */
const isLocalStore = (b: BindingFact): boolean => b.pointer === 'local' && !!b.variable && !!b.inFunction;

/** What withoutDeadStores left out of a file's facts. */
export interface DeadStores {
  facts: FileFacts;
  /** The names the stores left out stored by name (no member load, no call's result), once per store: each may name a function whose address it then takes. */
  named: string[];
  /** The calls the variables of the stores left out are passed to, into a parameter the cached graph does not follow: the patch checks that it still does not. */
  passes: PassedLocal[];
}

/**
 * The facts without their dead local stores (see above): a variable passed as an argument counts
 * as read only where `followed` says the parameter is followed.
 */
export function withoutDeadStores(facts: FileFacts, followed: FollowedParam): DeadStores {
  const named: string[] = [];
  const passes: PassedLocal[] = [];
  if (!facts.bindings.some(isLocalStore)) return { facts, named, passes };
  const usedBy = new Map<string, ReturnType<typeof usedLocals>>();
  const uses = (fn: string): ReturnType<typeof usedLocals> => {
    let u = usedBy.get(fn);
    if (!u) usedBy.set(fn, (u = usedLocals(facts, fn, followed)));
    return u;
  };
  const bindings = facts.bindings.filter((b) => {
    if (!isLocalStore(b)) return true;
    const u = uses(b.inFunction!);
    if (u.used.has(b.variable!)) return true;
    if (!b.from && !b.call) named.push(b.fn);
    passes.push(...(u.passes.get(b.variable!) ?? []));
    return false;
  });
  return { facts: bindings.length === facts.bindings.length ? facts : { ...facts, bindings }, named, passes };
}

/**
 * FollowedParam over a cached graph: any node named `callee` (a function or a macro, of any file)
 * whose parameter `arg` its EdgeList.paramUses (`pairs`) follows. Every parameter when the graph
 * keeps no such pairs (an older cache). Names and their nodes are read a row at a time.
 */
export function cachedFollowedParams(index: IndexSnapshot, pairs: Int32Array | undefined): FollowedParam {
  const params = new ParamUseTable(pairs);
  if (!params.known) return () => true;
  const strings = snapshotStrings(index);
  const rows = snapshotNameRows(index);
  return (callee, arg) => {
    const s = strings.find(callee);
    if (s < 0) return false;
    for (let i = rows.start(s), end = rows.start(s + 1); i < end; i++) if (params.of(rows.node(i), arg)) return true;
    return false;
  };
}

/**
 * The facts without their stores of a parameter into a member (`d->limit = limit;`:
 * BindingFact.param) that every function of that name in the file declares with a type holding
 * no function (resolve/function-holders.ts holdsNoFunction, `narrow` the profile's integer
 * typedefs: `u32`, a struct pointer): the resolution never follows such a parameter
 * (resolve/bind-through-functions.ts bindStored), and the binding record keeps only where the
 * member's root evaluates, which a store adds to and never takes from (SlotFlowRecord.roots).
 */
export function withoutInertParamStores(facts: FileFacts, narrow: ReadonlySet<string>): FileFacts {
  const isParamStore = (b: BindingFact): boolean => b.param !== undefined && !!b.inFunction && !b.pointer && !b.call && b.out === undefined && !b.returned && !b.from && !b.fromLocal;
  if (!facts.bindings.some(isParamStore)) return facts;
  const inert = (b: BindingFact): boolean => {
    const defs = facts.functions.filter((f) => f.name === b.inFunction);
    return defs.length > 0 && defs.every((f) => {
      const p = f.params[b.param!];
      return p !== undefined && holdsNoFunction(p.type, !!p.fnptr, narrow);
    });
  };
  const bindings = facts.bindings.filter((b) => !isParamStore(b) || !inert(b));
  return bindings.length === facts.bindings.length ? facts : { ...facts, bindings };
}
