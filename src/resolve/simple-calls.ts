import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { isLocalStore } from './copy-slots.js';
import { paramHoldsNoFunction } from './function-holders.js';
import { paramNames } from './kept-bodies.js';
import type { ParamUseTable } from './param-use-table.js';
import { PARAM_SPAN, type ParamUseKind } from './propagate-params.js';
import { forEachDirectEdge } from './resolve.js';

/** Whether whyNotSimple allows a function passed where it is called, by a call added or taken out. */
export type Callbacks = false | 'added' | 'removed';

/** True for a parameter followed only because functions passed to it are called or stored (`stores`: then the stores too; never an out-parameter). */
const isCalledOrStored = (use: ReadonlyMap<ParamUseKind, number> | undefined, stores: boolean): boolean => !!use && [...use.keys()].every((k) => k === 'called' || (stores && k === 'stored'));

/**
 * Which calls a graph patch (patch-graph.ts) can add or take out by their own edges alone, and what
 * else those it allows change (a callback passed, a parameter called), read from the cached graph's
 * followed parameters (`params`, with the patch's own changes) over the patched index.
 */
export class SimpleCalls {
  constructor(
    private readonly index: CodeIndex,
    private readonly params: ParamUseTable,
  ) {}

  /**
   * Whether the binding patch makes again the bindings a call passing a function by name into a
   * parameter stored into a member makes (the binding record keeps the stores' call sites and seeds:
   * patch-param-stores.ts); such a call is then allowed where callbacks are.
   */
  storesKept = false;

  /**
   * Null when a call of parameter `param` of kept function `node`, added or taken out, changes nothing
   * but which parameters are followed (the pairs patch-kept-param-uses.ts makes or takes out, as a
   * call passing the parameter on one level below) and the callback-arg edges of the callers passing
   * functions into them (patch-callbacks.ts): such a call has no edge of its own. Else why not: a
   * macro's, or a parameter the body also gives a function (`if (!open) open = f_op->open;`:
   * resolvePointerVariables binds the call then) or passes to be filled (an out-parameter).
   */
  whyNotParamCall(node: number, param: number): string | null {
    const { index } = this;
    const name = index.isMacro(node) ? undefined : paramNames(index, node)[param];
    if (name === undefined) return 'it calls its parameter';
    if (!this.params.known) return 'it calls its parameter, and the cached graph does not say which parameters functions are followed into';
    const fn = index.name(node);
    if (index.fileFacts(index.nodeFile[node]!).bindings.some((b) => b.pointer === 'local' && b.inFunction === fn && b.variable === name)) return `it calls its parameter ${name}, which its body gives a function too`;
    let filled = false;
    for (const c of index.calls(node)) {
      forEachDirectEdge(index, node, c, (target) => c.args.forEach((a, i) => (filled ||= a === name && !!this.params.of(target, i)?.has('out'))));
    }
    return filled ? `it calls its parameter ${name}, which it passes to be filled` : null;
  }

  /**
   * True when `call` of `node` passes a function by name (not one of the caller's parameters, no
   * member's address, no member read) into a parameter that functions are followed into as `kind`
   * says (paramUses), and no out-parameter: called, its site then has callback-arg edges, which
   * patch-callbacks.ts makes again for the caller; stored, the bindings it makes are made again by
   * the binding patch (patch-param-stores.ts).
   */
  passesInto(node: number, call: CallFact, kind: 'called' | 'stored'): boolean {
    if (call.name === undefined || call.param !== undefined || call.hints || call.field !== undefined || call.array !== undefined || call.recv !== undefined || call.inactive !== undefined) return false;
    if (!this.params.known || !call.args.some((a) => a !== null)) return false;
    const params = paramNames(this.index, node);
    let passes = false;
    forEachDirectEdge(this.index, node, call, (target) => {
      call.args.forEach((a, i) => {
        const use = this.params.of(target, i);
        if (a !== null && !params.includes(a) && use?.has(kind) && !use.has('out')) passes = true;
      });
    });
    return passes;
  }

  /**
   * Null for a call whose presence changes nothing but its own direct (or macro) edges (one the
   * configuration leaves out has none), a call by name, not through a wrapper, a member, an array or a parameter, that passes nothing (no
   * name: a function, a parameter, a local pointer variable or one an out-parameter fills; no
   * member's address, CallFact.refs; no member read, CallFact.argMembers) into a parameter that
   * functions are followed into or stored through (paramUses). With `ownParams`, a parameter of
   * `node` itself (by name) passed into a parameter that is only stored or called (not an
   * out-parameter) is allowed too. Else what makes it more, in words for `-v`.
   * With `callbacks`, a function passed by name into a parameter that functions are called through
   * alone is allowed too (passesCallback: the caller's callback-arg edges are made again by
   * patch-callbacks.ts); by a call added, not a name that names no function there (a local, a
   * variable: what it holds is not kept); by a call taken out, any name (its site's edges go).
   * With `paramCalls` (a kept function's body), a call of the function's own parameter is allowed
   * when whyNotParamCall allows it. A name that holds nothing a resolution follows (holdsNothing:
   * `kfree(obj)` of a local filled by a call) is allowed where functions are stored or called, not
   * where they are stored through. Without paramUses (an older cache), no such argument is allowed.
   */
  whyNotSimple(node: number, call: CallFact, ownParams = false, callbacks: Callbacks = false, paramCalls = false): string | null {
    const { index } = this;
    if (call.inactive !== undefined) return null; // left out by the configuration: no edge (index/inactive-calls.ts)
    if (call.param !== undefined) return paramCalls ? this.whyNotParamCall(node, call.param) : 'it calls its parameter';
    if (call.hints) return 'it calls through an indirect-call wrapper (INDIRECT_CALL_1 and kin)';
    if (call.name === undefined) return 'it calls through a pointer';
    if (call.field !== undefined || call.array !== undefined || call.recv !== undefined) return `it calls ${call.name} through a member, an array or a returned value`;
    // Any name (a function, a parameter, a variable an out-parameter fills), member address or member read passed.
    const members = new Set(call.argMembers?.map((m) => m.arg));
    const reaches = (a: string | null, i: number): boolean => a !== null || !!call.refs?.[i] || members.has(i);
    if (!call.args.some(reaches)) return null;
    if (!this.params.known) return 'the cached graph does not say which parameters functions are followed into';
    if (call.args.length > PARAM_SPAN) return `its call of ${call.name} has more than ${PARAM_SPAN} arguments`;
    const params = ownParams ? paramNames(index, node) : [];
    const allParams = callbacks ? paramNames(index, node) : [];
    let why: string | null = null;
    forEachDirectEdge(index, node, call, (target) => {
      call.args.forEach((a, i) => {
        const use = reaches(a, i) ? this.params.of(target, i) : undefined;
        if (!use || why) return;
        const own = a !== null && params.includes(a) && !call.refs?.[i] && !members.has(i) && !use.has('out');
        // A function passed where it is called alone: the callback-arg edges are made again (propagateParams onPassed: each function the name binds to).
        // So is one passed where it is stored, when the record keeps the stores (patch-param-stores.ts makes their bindings again).
        // Taken out where it is stored: a name binding no function now must hold nothing either (a local holding a function was a copy into the member, which a patch does not take out).
        const named = callbacks === 'removed' ? !use.has('stored') || directTargets(index, index.nodeFile[node]!, a!).length > 0 || this.holdsNothing(node, a!) : directTargets(index, index.nodeFile[node]!, a!).length > 0;
        const callback = callbacks && a !== null && !allParams.includes(a) && !call.refs?.[i] && !members.has(i) && isCalledOrStored(use, this.storesKept) && named;
        if (own || callback || this.passesNothing(node, call, i, use)) return;
        // What a patch cannot follow there: a member's bindings change, or what a member or a local holds is not kept.
        const held = a === null ? ' (what a member holds is not kept)' : ' (what a local holds is not kept)';
        const called = !callbacks ? 'called through' : `called through${held}`;
        const stored = !callbacks || !this.storesKept ? 'stored from, in a member whose bindings would change' : `stored from${held}`;
        why = `its call of ${index.name(target)} passes ${a ?? `a member (argument ${i + 1})`} into a parameter that functions are ${use.has('out') ? 'stored through' : use.has('stored') ? stored : called}`;
      });
    });
    return why;
  }

  /**
   * True when argument `arg` of `call` (of `node`), passed into a parameter followed as `use`
   * says, binds nothing there: a name (no member's address, no member read) that is a parameter of
   * `node` no function fits (paramHoldsNoFunction), or no parameter of `node` and holds nothing a
   * resolution follows (holdsNothing), passed where functions are
   * stored or called, not stored through (an out-parameter: resolveFlows fills what is passed).
   */
  passesNothing(node: number, call: CallFact, arg: number, use: ReadonlyMap<ParamUseKind, number>): boolean {
    const name = call.args[arg];
    if (name === null || name === undefined || call.refs?.[arg] || call.argMembers?.some((m) => m.arg === arg) || use.has('out')) return false;
    const own = paramNames(this.index, node).indexOf(name);
    // A parameter of `node` no function fits passes nothing on (propagateParams).
    if (own >= 0) return paramHoldsNoFunction(this.index, node, own);
    return this.holdsNothing(node, name);
  }

  /**
   * True when name `name`, passed as an argument by `node`, holds nothing that a resolution
   * follows into the parameter it is passed to: binding by name from `node`'s file finds only
   * macros of that name (directTargets: propagateParams binds each function found, and follows
   * nothing else when it finds one), or finds nothing and `node`'s
   * body stores into no local of that name a function or a member's contents (SlotCopies.local
   * reads the stores isLocalStore keeps; one loading a member is taken to hold what that member
   * holds without evaluating it). Such an argument reaches SlotCopies.argument and finds nothing
   * there, so a site passing it where functions are stored or called binds nothing (bindStored's
   * and the callbacks' onValue): a local filled by a call's result, as in
   * `obj = kmalloc(...); kfree(obj);`, a file-scope variable, or a name nothing stores into. The
   * caller checks that it is no parameter of `node` (those are followed on).
   */
  private holdsNothing(node: number, name: string): boolean {
    const { index } = this;
    const file = index.nodeFile[node]!;
    // A name binding by name finds binds each function found, and no macro: a function-like macro's name passed is no use of it
    // (a header's `priv(dev)` and a driver's local `priv`), and nothing else is followed then (propagateParams calls onValue for no name found).
    const found = directTargets(index, file, name);
    if (found.length > 0) return found.every((t) => index.isMacro(t));
    const fn = index.name(node);
    return !index.fileFacts(file).bindings.some((b) => isLocalStore(b) && b.inFunction === fn && b.variable === name && (b.from !== undefined || directTargets(index, file, b.fn).some((t) => !index.isMacro(t))));
  }
}

/** What makes the first of `calls` (of `node`) more than a simple call (`patch.whyNotSimple`: GraphPatch's), or null when none is. */
export function firstWhy(patch: Pick<SimpleCalls, 'whyNotSimple'>, node: number, calls: readonly CallFact[], ownParams: boolean, callbacks: Callbacks = 'added', paramCalls = false): string | null {
  for (const c of calls) {
    const why = patch.whyNotSimple(node, c, ownParams, callbacks, paramCalls);
    if (why) return why;
  }
  return null;
}
