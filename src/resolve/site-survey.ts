import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';

/**
 * What the later steps of a full resolution read of the tree's call sites, found in the one walk
 * over every call site that binds the calls by name (resolveDirect): for each step, the nodes
 * (ascending node ids) whose calls it has anything to do with, so that it reads those nodes'
 * calls alone instead of walking every call site again; and the functions the calls name as
 * arguments (addressTakenFunctions' first source). Each list is a superset of what its step
 * binds: the step applies its own tests to the calls of the nodes listed, so its edges and their
 * order are what its walk over every node makes.
 *
 * Why: each walk over a kernel's several million call facts, scattered through a heap of some 1.5
 * GB, cost about a second, and eight steps after the direct calls made one each (pointer calls,
 * pointer variables, calls of a result, callbacks called through parameters, the arguments naming
 * functions, dispatch tables, hand-offs by key and by object): `--cpu-prof` of a full resolution of
 * Linux 6.1 (x86, facts from the cache) gave resolveHandOffs 1.3 s, resolveObjectHandOffs 1.0 s and
 * addressTakenFunctions 2.5 s, most of each in the walk and not in what it binds.
 */
export interface SiteSurvey {
  /**
   * Functions (not macros) with a call that is not by name alone: through a member or pointer
   * (CallFact.name absent), with an indirect-call wrapper's hints, through a local, parameter or
   * array, or by the name of a file-scope pointer (a call by name to a name only a variable has,
   * resolveDirect's `globalCalls`): what resolvePointerVariables and resolveIndirectSites read.
   */
  pointerCallers: Int32Array;
  /** Nodes (functions and macros) with a call through a parameter (CallFact.param): the callbacks' uses (bindThroughFunctions). */
  paramCallers: Int32Array;
  /** Functions (not macros) with a call of a call's result (CallFact.ret): resolveFlows' calls of a result. */
  resultCallers: Int32Array;
  /** Nodes with a call through an array the profile lists as a dispatch table (resolveDispatchTables). */
  tableCallers: Int32Array;
  /** Functions (not macros, nor external) calling a name a hand-off or object hand-off rule registers, raises or queues by (not a macro's result). */
  handOffCallers: Int32Array;
  /**
   * The functions (not macros) the calls name as arguments, each once, in the order the walk over
   * every node's calls first meets them: an argument that is no parameter of its caller bound by
   * name from the caller's file (directTargets), as addressTakenFunctions reads them.
   */
  argumentTaken: Int32Array;
}

/** A growing list of ascending node ids, each once (nodes are visited in ascending order). */
class NodeRun {
  private values: number[] = [];

  add(node: number): void {
    if (this.values[this.values.length - 1] !== node) this.values.push(node);
  }

  done(): Int32Array {
    return Int32Array.from(this.values);
  }
}

/**
 * Collects a SiteSurvey while resolveDirect walks every call site: `visit` each call of each node,
 * nodes in ascending order and each node's calls in order, then `done`.
 */
export class SiteSurveyBuilder {
  private readonly pointer = new NodeRun();
  private readonly param = new NodeRun();
  private readonly result = new NodeRun();
  private readonly table = new NodeRun();
  private readonly handOff = new NodeRun();
  private readonly taken: number[] = [];
  private readonly takenSeen = new Set<number>();
  private readonly tableArrays: Set<string | undefined>;
  private readonly handOffNames: Set<string>;
  /** The node whose parameter names `params` holds, and those names (none for a macro: addressTakenFunctions reads a macro's arguments whole). */
  private paramsOf = -1;
  private params: string[] = [];

  /** @param handOffNames every name a hand-off or object hand-off rule of the profile registers, raises or queues by (handOffNames, objectHandOffNames) */
  constructor(
    private readonly index: CodeIndex,
    handOffNames: Set<string>,
  ) {
    this.tableArrays = new Set(index.profile.dispatchTables.map((t) => t.array).filter((a) => a !== undefined));
    this.handOffNames = handOffNames;
  }

  /** Call `call` of `node`; `global`: it is a call by the name of a file-scope pointer (resolveDirect added it to `globalCalls`). */
  visit(node: number, call: CallFact, global: boolean): void {
    const index = this.index;
    if (index.isExternal(node)) return;
    const macro = index.isMacro(node);
    if (call.param !== undefined) this.param.add(node);
    if (call.array !== undefined && this.tableArrays.has(call.array)) this.table.add(node);
    if (!macro) {
      if (call.name === undefined || call.hints || global || call.var !== undefined || call.param !== undefined || call.array !== undefined) this.pointer.add(node);
      if (call.ret !== undefined) this.result.add(node);
      if (call.name !== undefined && !call.expandsTo && this.handOffNames.has(call.name)) this.handOff.add(node);
    }
    if (call.args.length === 0) return;
    if (this.paramsOf !== node) {
      this.paramsOf = node;
      this.params = macro ? [] : index.files[index.nodeFile[node]!]!.functions[index.nodeItem[node]!]!.params.map((p) => p.name);
    }
    for (const arg of call.args) {
      if (arg === null || this.params.includes(arg)) continue;
      for (const target of directTargets(index, index.nodeFile[node]!, arg)) {
        if (index.isMacro(target) || this.takenSeen.has(target)) continue;
        this.takenSeen.add(target);
        this.taken.push(target);
      }
    }
  }

  done(): SiteSurvey {
    return {
      pointerCallers: this.pointer.done(),
      paramCallers: this.param.done(),
      resultCallers: this.result.done(),
      tableCallers: this.table.done(),
      handOffCallers: this.handOff.done(),
      argumentTaken: Int32Array.from(this.taken),
    };
  }
}

/** The nodes a step reads the calls of: those the survey lists, or every node without one. */
export function* surveyed(index: CodeIndex, listed: Int32Array | undefined): Iterable<number> {
  if (listed) yield* listed;
  else for (let node = 0; node < index.nodeCount; node++) yield node;
}
