/** Query results: plain data handed to the renderers (and printed as JSON). */

import type { UnreadableFile } from './facts.js';

/** A function or macro. */
export interface NodeRef {
  name: string;
  /** File of the definition ('' for an external node; the JSON then omits it). */
  file: string;
  /** Line of the definition (0 for an external node; the JSON then omits it). */
  line: number;
  /** Present for a function called but defined in no indexed file: a leaf of the call graph. */
  external?: true;
  /** Present for macros only. */
  macro?: true;
  /** Present when other functions share the name: the text output then names the file. */
  ambiguous?: true;
  /**
   * On a path's nodes, the ends of its edges, of a tree's and of those explain lists: present
   * when Kbuild does not build the file defining it under the tree's configuration (the mark
   * `not built with arch/x86/configs/x86_64_defconfig`, api/unbuilt.ts notBuiltMark). Path search prefers paths through built code (api/unbuilt.ts).
   */
  notBuilt?: string;
  /**
   * On a tree's root only: present when the definition's own preprocessor condition is false under
   * the tree's configuration, in a file that is built (`inactive: !(defined(CONFIG_SECURITY)) with
   * CONFIG_SECURITY=y` for include/linux/security.h's stub of a hook), as explain says why it leaves
   * such a definition out (DefinitionActivity.why). A call binds it only when no active definition exists.
   */
  inactive?: string;
}

/** One place that binds an indirect call's target: `net/ipv4/af_inet.c:1050` and what it says there. */
export interface BindingRef {
  file: string;
  line: number;
  /** One line: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
  text: string;
}

/** One call edge with its call site; indirect kinds carry every place that binds the target. */
export interface EdgeRef {
  /** The caller, with its definition. */
  from: NodeRef;
  /** The callee, with its definition. */
  to: NodeRef;
  kind: string;
  /** File and line of the call site, in the caller. */
  file: string;
  line: number;
  /** For indirect kinds, every binding behind the edge: the target's own file first, then its folder, then the rest; in each, those naming the target before those naming none; then by file and line. */
  evidence?: BindingRef[];
  /** On path steps of indirect kinds: how many targets the pointer call at this call site binds, after the query's edge filter. */
  targets?: number;
  /** On path steps of indirect kinds: the called expression as written (`file->f_op->write`), when it could be read back. */
  via?: string;
  /**
   * On path steps of kind dispatch-table: the table the dispatcher reads (from the profile), as
   * `{name: "syscall table", file: "arch/x86/entry/syscalls/syscall_64.tbl"}`. A dispatcher whose
   * code is generated from the table (`x64_sys_call`, a switch) has no call expression, hence no `via`.
   */
  dispatchTable?: { name: string; file: string };
  /** On path steps of kind callback-arg: the function the callback is passed to at this call site (`NF_HOOK`), which calls it. */
  passedTo?: string;
  /**
   * On a path's step of kind callback-arg: where the caller (`caller`, by name) passed the callback
   * (the call of `passedTo`, a step of its own before); the step's file and line are then where
   * the function before it calls its parameter (api/callback-steps.ts).
   */
  passedAt?: { file: string; line: number; caller: string };
  /**
   * On a tree's call of kind callback-arg (one call of the function passing the callback, as a tree
   * lists calls): the functions the call passes through, in order, each with where it makes the next
   * call (the last: where it calls its parameter), as a stack trace's frames between the caller and
   * the callback show them: `[{name: 'call_timer_fn', file: 'kernel/time/timer.c', line: 1701}]` for
   * expire_timers' timer callbacks (api/callback-steps.ts).
   */
  through?: { name: string; file: string; line: number }[];
  /**
   * On path steps: present when every binding behind the step is in a file Kbuild does not build
   * under the tree's configuration (`bound only in files not built with
   * arch/x86/configs/x86_64_defconfig`); path search prefers other steps (api/unbuilt.ts).
   */
  unbuiltBinding?: string;
  /** Present when the call hands work to another context (softirq, tasklet, workqueue, RCU, IRQ...): the callee runs later, not inside the caller. */
  deferred?: true;
  /**
   * Present when the call by name binds several definitions, one at least active in some configs
   * only (its condition or its file's Kbuild rule is unknown under the config model): which one
   * the compiler sees depends on the config.
   */
  configDependent?: true;
  /** With configDependent: how many definitions the call site binds. */
  definitions?: number;
  /** From explain, for a call by name: every same-named definition, chosen or left out, and why. */
  choice?: DefinitionChoice[];
  /**
   * From explain, for a call written inside an `#if` block of the caller's body (CallFact.cond):
   * the block's condition, whether the configuration makes it hold (`holds`), and in words the
   * configuration it holds with (`it holds with arch/x86/configs/x86_64_defconfig`) or why it is
   * unknown (`no configuration was read ..., so the call counts`). A call whose condition certainly
   * fails makes no edge (Explanation.leftOut lists it).
   */
  under?: { cond: string; holds: 'yes' | 'unknown'; why?: string };
  /**
   * From explain, for a call of what a macro invocation expands to (`guard(mutex)(&m)`,
   * `pf_outer(foo)(arg)`): the macro whose result is called, its invocation as the facts keep it
   * (`pf_outer(foo)`: each argument an identifier, `...` for any other), the call being one by the
   * name its expansion ends with (index/expand-macro-calls.ts), and every such name when the macro
   * has several definitions.
   */
  resultOf?: { macro: string; invocation: string; names: string[] };
}

/** One same-named definition a call by name could bind to, and why it was chosen or left out. */
export interface DefinitionChoice {
  file: string;
  line: number;
  /** Present for a macro. */
  macro?: true;
  chosen: boolean;
  /** Present for a definition in assembly (a `.S` file of the architecture), listed when every C candidate is inactive: not a node of the graph. */
  assembly?: true;
  /** One line: `not included from net/core/dev.c`, `inactive: !(defined(CONFIG_PCI)) with CONFIG_PCI=y`, `shadowed by the macro in include/linux/pci.h:1547`. */
  reason: string;
}

export interface PathResult {
  nodes: NodeRef[];
  edges: EdgeRef[];
}

export interface PathsResult {
  paths: PathResult[];
  /** Present when no synchronous path exists and the paths shown cross deferred edges. */
  onlyDeferred?: true;
  /**
   * Present when the first path shown is synchronous and long (20 calls or more:
   * LONG_SYNCHRONOUS_PATH in api/project.ts) and a path crossing deferred edges takes at most half
   * as many calls (graph/deferred-detour.ts; not asked with --via): its number of calls. `--deferred` shows it. (`-s napi_schedule -t igb_poll` on Linux 6.1: 40 calls through
   * notifier chains, 4 through the NET_RX softirq.) `ranksLower`: the query asked for deferred hops
   * when shorter (PathQuery.deferredWhenShorter), but the search with them still put a synchronous
   * path first, as the costs of entering code the build leaves out or error reporting
   * (api/path-costs.ts) that the count does not pay made the deferred one dearer.
   */
  shorterDeferred?: { calls: number; ranksLower?: true };
  /**
   * Present when the paths shown cross deferred edges because the shortest synchronous path is a
   * detour (PathQuery.deferredWhenShorter): at least 20 calls, and a cost (GraphPath.cost: its calls
   * plus the costs of entering error reporting or code not built) twice or more the calls of a path
   * through deferred hops. `calls`: the synchronous path's. (On Linux 6.1, `-s e1000_intr -t e1000_clean`:
   * 32 calls through the scheduler and 9p, 6 through the NET_RX softirq.)
   */
  longerSynchronous?: { calls: number };
}

/** A callees or callers tree. */
export interface TreeResult {
  direction: 'callees' | 'callers';
  function: NodeRef;
  root: TreeItem;
  /** With EdgeFilter.builtOnly: how many calls met while making the tree were left out (api/built-only.ts); not in the JSON. */
  leftOutNotBuilt?: number;
  /** With TreeFilter.exclude: how many calls met while making the tree were left out (api/tree-filter.ts); not in the JSON. */
  leftOutExcluded?: number;
  /** With TreeFilter.exclude: the patterns that left out at least one call. */
  excludesMatched?: string[];
}

export interface TreeItem {
  node: NodeRef;
  /** The call linking this item to its parent (absent at the root). */
  edge?: EdgeRef;
  children: TreeItem[];
  repeat?: 'shown' | 'recursive';
  /**
   * With --built-only, on a function the tree expands and left with no call: how many of its calls
   * (callees, or callers) were left out as code the build does not make. Absent otherwise; not in the JSON.
   */
  leftOutNotBuilt?: number;
  /** In a callees tree, on each function it expands: its pointer calls that bind no target (api/unresolved-calls.ts), in source order. */
  unresolved?: UnresolvedCall[];
  /**
   * In a callees tree, on each function it expands: its calls of its own parameters (a callback
   * called: `fn(timer)`), in source order. They have no edge here: each caller's call binds the
   * function it passes (callback-arg edges from the callers).
   */
  parameterCalls?: ParameterCallSite[];
}

/** A call of the enclosing function's own parameter (`fn(timer)` in call_timer_fn). */
export interface ParameterCallSite {
  file: string;
  line: number;
  /** `fn(...)`. */
  call: string;
  /** The parameter's name (`fn`). */
  parameter: string;
}

export interface StatsResult {
  files: number;
  filesWithParseErrors: number;
  /** Functions defined in the indexed files. */
  functions: number;
  macros: number;
  /** Functions called by name but defined in no indexed file (external nodes; compiler builtins are not counted). */
  external: number;
  /** Direct: by name; indirect: through a member, array element or pointer; throughParameter: a callback parameter called. */
  callSites: { total: number; direct: number; indirect: number; throughParameter: number };
  edges: Record<string, number>;
  indirect: {
    resolved: number;
    unresolved: number;
    /**
     * Unresolved indirect sites by reason: `noBinding`, nothing binds the pointer called;
     * `overCap`, a weak fallback (field-name or signature) found more candidates than its cap
     * (MAX_FALLBACK_TARGETS, MAX_SIGNATURE_TARGETS in resolve/narrow-fallback.ts) and made no edge.
     */
    unresolvedByReason: { noBinding: number; overCap: number };
    /** Resolved indirect sites by the strongest kind that bound them (callback-arg edges sit on direct sites: see edges). */
    byKind: Record<string, number>;
    /**
     * Indirect sites by how they call (INDIRECT_SITE_KINDS in cache/call-site-summary.ts: member, local,
     * global, array, wrapper, expression): how many, and how many of those are unresolved.
     */
    bySite: Record<string, { sites: number; unresolved: number }>;
    /** Targets per resolved indirect site. */
    targetsPerSite: { median: number; p90: number; max: number };
  };
  /**
   * Call sites by name (callSites.direct): `multiple` bound to more than one definition (and
   * `percentMultiple` of callSites.direct, one decimal), `configDependent` of those with a
   * definition of unknown activity, `noneVisible` bound with no candidate visible through the includes.
   */
  binding: { multiple: number; percentMultiple: number; configDependent: number; noneVisible: number };
  /** Files and folders skipped because they could not be read or are not text, by path. */
  unreadable: UnreadableFile[];
  /**
   * Files the extractor recovered from errors in (brackets that do not balance), by path, with
   * how many it met; the rest of each file is indexed, but a function in it may be missing.
   */
  parseErrors: { path: string; count: number }[];
}

/** Why an edge exists, or what stood in the way. */
export interface Explanation {
  caller: string;
  callee: string;
  /** Every call site in the caller that reaches the callee, with kind and evidence. */
  edges: EdgeRef[];
  /** Indirect call sites in the caller that bound no target (one of them may be the missing step). */
  unresolved: UnresolvedCall[];
  /**
   * With no edge: the caller's calls of its own parameter that call the callee, which the model
   * binds at the callers passing the callee in (their callback-arg edges); empty otherwise.
   */
  throughParameter: ParameterCallRef[];
  /**
   * With no edge and no such parameter call: the edges of the shortest chain from the caller to
   * the callee through macros only (`pipe_write -> wake_up_interruptible -> __wake_up`), which
   * `check` accepts as one step; empty otherwise.
   */
  throughMacros: EdgeRef[];
  /**
   * With none of the above: the edges of the shortest chain from the caller to the callee through
   * at most 4 static functions (and macros) a compiler may inline, or wrappers making all their
   * calls on one line (a tail call: no frame), so that a stack trace shows the step (`check` accepts it in a stack trace only); empty otherwise.
   */
  throughInlined: EdgeRef[];
  /**
   * With no edge and no call through its own parameter: where the caller takes the callee in
   * through a parameter and passes it on to another function (`user`) that calls it, the step a
   * trace shows (`bus_for_each_dev -> __driver_attach`, not the wrapper's); empty otherwise.
   */
  passedOn: (ParameterCallRef & { user: string })[];
  /**
   * With no edge and none of the chains above: the pointer calls written in the bodies of macros
   * the caller expands (`call_int_hook`'s `P->hook.FUNC(...)`), which nothing binds, so one of them
   * may be the missing step; absent when none.
   */
  macroPointerCalls?: MacroPointerCall[];
  /**
   * With no edge and none of the chains above: the caller's calls of its own parameters, which bind
   * only where its callers pass a function (or the body stores into them), none of them the callee
   * (bus_for_each_dev's `fn(dev, data)`); absent when none.
   */
  ownParameterCalls?: ParameterCallSite[];
  /**
   * With no edge and none of the chains above: where the caller hands the callee over (stores it,
   * or passes it to a registration: `tasklet_setup(&t, wifi_wake_txqs)`) and the edge by which
   * another function calls it then (tasklet_action_common, deferred); absent when none.
   */
  handedOver?: HandedOver[];
  /**
   * With no edge: the calls the caller's bodies write inside `#if` blocks the configuration leaves
   * out (CallFact.cond certainly false), which make no edge: those of the callee by name (`panic(...)`
   * under `#ifdef CONFIG_SCHED_STACK_END_CHECK` in schedule_debug with the option unset) and, with
   * none of the chains above either, its calls through pointers (`action->handler(...)` under
   * CONFIG_DEBUG_SHIRQ in __free_irq): each call site, what it calls as written (`panic`,
   * `.handler`, `*fn`), its condition and why it does not hold (`CONFIG_SCHED_STACK_END_CHECK is
   * not set`); absent when none.
   */
  leftOut?: { file: string; line: number; call: string; cond: string; why: string }[];
  /** The caller's and callee's definitions on the edges and chains above, and the functions of nearestPath, that Kbuild does not build under the configuration, with why (BuildModel.explainBuilt); absent when none. */
  notBuilt?: { name: string; file: string; reason: string }[];
  /**
   * When the caller has several definitions (same-named statics of two drivers: e1000_intr in
   * e1000 and e1000e) and one of them makes no such call: each definition, in file order, and
   * whether it calls the callee, by an edge, through macros only or through a chain a trace folds
   * (`nearest` on the one the nearest path starts from), and `notCompiled` on one whose own `#if`
   * arm the configuration leaves out (`under defined(CONFIG_PREEMPT_RT): CONFIG_PREEMPT_RT is not
   * set`: it calls nothing). Absent otherwise.
   */
  callerDefinitions?: { file: string; line: number; calls: boolean; through?: 'macros' | 'folded'; nearest?: true; notCompiled?: string }[];
  /**
   * With no edge and none of the chains above: the edges of the fewest-calls path from the caller
   * to the callee within 8 calls (a path query's answer: `e1000_watchdog -> e1000_has_link ->
   * e1000_check_for_link`, whose function between keeps its frame), its ends and steps marked
   * as a path's (NodeRef.notBuilt, EdgeRef.unbuiltBinding); absent when there is none.
   */
  nearestPath?: EdgeRef[];
  /**
   * With no nearestPath: how many calls the fewest-calls path from the caller to the callee takes
   * (a path query's answer), and the most calls nearestPath looks within (`beyond`: 8), with the
   * functions on it that Kbuild does not build (`notBuilt`, in path order: Linux 6.1's
   * tcp_sendmsg -> e1000_xmit_frame goes through PPPoE's pppoe_rcv_core); absent when the callee
   * is out of reach.
   */
  fartherPath?: { calls: number; beyond: number; notBuilt?: string[] };
}

/** A place in the caller's body that hands the callee over (an edge's evidence), and that edge: the call made later. */
export interface HandedOver {
  file: string;
  line: number;
  /** The evidence's text (`wifi_wake_txqs passed by wifi_probe to tasklet_setup, stored in ...`). */
  text: string;
  calledBy: EdgeRef;
}

/** A call of the caller's own parameter (`fn(dev, data)` in bus_for_each_dev) and one callback-arg edge that passes the callee into it. */
export interface ParameterCallRef {
  /** Where the caller calls its parameter. */
  calledAt: { file: string; line: number };
  /** The edge at the call site passing the callee (`driver_attach -> __driver_attach`, callback-arg), with its evidence. */
  passed: EdgeRef;
}

/** Pointer calls a macro's body makes (MacroFact.memberCalls), which nothing binds. */
export interface MacroPointerCall {
  macro: string;
  /** Where the macro is defined. */
  file: string;
  line: number;
  /** Each call through a member, as written up to its `(` (`P->hook.FUNC`). */
  calls: string[];
}

/** An indirect call site that bound no target. */
export interface UnresolvedCall {
  file: string;
  line: number;
  /** `->sendmsg(...)` or `a function pointer`. */
  call: string;
  /**
   * Set when a weak fallback found candidates but more than its cap, so it made no edge: the
   * fallback ('field-name': by member name; 'signature': by arity and argument types), how many
   * functions fit, and the cap.
   */
  overCap?: { fallback: 'field-name' | 'signature'; candidates: number; cap: number };
}
