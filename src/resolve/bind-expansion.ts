/**
 * Calls in a macro's body bound where the macro is expanded. The preprocessor pastes a macro's
 * body into the translation unit that expands it, and the compiler looks the names it calls up
 * there: `#define call_probe(d, v) really_probe(d, v)` in include/dev.h calls the `static
 * really_probe` of drivers/base/dd.c when dd.c expands it, and another file's static of that name
 * when that file does. The graph keeps one node per macro, whose body's calls bind from the
 * macro's own file (bindByName); a name that file sees no definition of (none at all, or only
 * statics and macros of files it does not include: BindFlag.NoneVisible) is *unseen* there. For
 * each call of a macro, each unseen name of its body (and of the bodies of the macros it calls,
 * to MAX_CHAIN macros deep) is bound again from the file of the call: each definition that file
 * sees, and that the macro's own binding did not already reach, makes an edge from the caller
 * (kind macro, the call site of the macro call, BindFlag.Expansion). A name the expanding file
 * sees no definition of either makes no such edge (the macro's own edge, to its external node or
 * a guess, stands).
 *
 * Such an edge carries no arguments: parameters are not followed through it (CallersIndex,
 * patch-param-uses.ts), as the positions of the macro call's arguments are not the callee's.
 */
import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import { BindFlag, bindByName, bindByNameFrom, bindsPerUnit } from './definition-scope.js';
import { kindId } from './edge-kind.js';

const MACRO = kindId('macro');

/** How many macros deep a chain of macro calls is followed from the call (a macro calling a macro calling ...). */
export const MAX_CHAIN = 8;

/** A name a macro's body calls that the macro's file sees no definition of, and what the macro's own binding guessed (node ids). */
export interface UnseenCall {
  name: string;
  guessed: readonly number[];
  /** The macro whose body calls it. */
  macro: number;
}

/** Per macro node: its body's unseen names, and the macros its body calls (bound from its own file). */
interface MacroSummary {
  unseen: UnseenCall[];
  macros: number[];
  /** unseenFrom of the macro alone, made when first asked (it does not depend on the expanding file). */
  reach?: UnseenCall[];
}

/** Summaries per index, made again when the scope or the node count changes. */
const memo = new WeakMap<CodeIndex, { scope: BindingScope | null; nodeCount: number; byNode: Map<number, MacroSummary> }>();

/** The summary of macro node `m` (see MacroSummary), made once per index and scope. */
export function macroSummary(index: CodeIndex, m: number): MacroSummary {
  let entry = memo.get(index);
  if (!entry || entry.scope !== index.bindingScope || entry.nodeCount !== index.nodeCount) memo.set(index, (entry = { scope: index.bindingScope, nodeCount: index.nodeCount, byNode: new Map() }));
  let s = entry.byNode.get(m);
  if (s) return s;
  const file = index.nodeFile[m]!;
  const unseen: UnseenCall[] = [];
  const macros: number[] = [];
  for (const call of index.calls(m)) {
    if (call.name === undefined || call.hints || call.var !== undefined) continue;
    for (const name of call.expandsTo ?? [call.name]) {
      // Not bindByName: its memo keeps the decisions of one caller file, the one being resolved.
      const d = bindByNameFrom(index, file, name);
      // Targets the expanding unit decides (bindsPerUnit): the name is bound again there, the macro's own edge leaves them out.
      const guessed = d.targets.some((t) => bindsPerUnit(index, m, t)) ? d.targets.filter((t) => !bindsPerUnit(index, m, t)) : d.targets;
      if (d.targets.length === 0 || d.flags & BindFlag.NoneVisible || guessed !== d.targets) {
        if (!unseen.some((u) => u.name === name)) unseen.push({ name, guessed, macro: m });
      }
      if (d.targets.length !== 0 && !(d.flags & BindFlag.NoneVisible)) for (const t of guessed) if (index.isMacro(t) && t !== m && !macros.includes(t)) macros.push(t);
    }
  }
  s = { unseen, macros };
  entry.byNode.set(m, s);
  return s;
}

/**
 * The unseen calls reached from a call of macro `m`: its own, and those of the macros it calls,
 * to MAX_CHAIN deep, each macro once, in the order met (deterministic). Kept with its summary.
 */
function reachOf(index: CodeIndex, m: number): UnseenCall[] {
  const summary = macroSummary(index, m);
  if (summary.reach) return summary.reach;
  const out: UnseenCall[] = [];
  const seen = new Set<number>();
  let level = [m];
  for (let depth = 0; depth < MAX_CHAIN && level.length; depth++) {
    const next: number[] = [];
    for (const x of level) {
      if (seen.has(x)) continue;
      seen.add(x);
      const s = macroSummary(index, x);
      out.push(...s.unseen);
      next.push(...s.macros);
    }
    level = next;
  }
  summary.reach = out;
  return out;
}

/** The unseen calls reached from a call of the macros `macros` (reachOf of each, in order); null when none. */
function unseenFrom(index: CodeIndex, macros: readonly number[]): UnseenCall[] | null {
  let out: UnseenCall[] | null = null;
  for (const m of macros) {
    const r = reachOf(index, m);
    if (r.length) out = out ? out.concat(r) : r;
  }
  return out;
}

/**
 * The edges a call by name from `node` makes through the bodies of the macros it calls (see the
 * module comment): `emit(target, bind)` once per target, in a fixed order, bind being
 * BindFlag.Expansion when the caller or the target is a macro, else 0 (isExpansionEdge). `macroTargets`
 * are the macros the call binds to (from forEachDirectEdge). A target that is itself a macro has
 * its own unseen names bound from the caller's file too.
 */
export function forEachExpansionEdge(index: CodeIndex, node: number, macroTargets: readonly number[], emit: (target: number, bind: number) => void): void {
  let pending = unseenFrom(index, macroTargets);
  if (!pending) return;
  const file = index.nodeFile[node]!;
  const emitted = new Set<number>();
  const visited = new Set<number>(macroTargets);
  for (let round = 0; round < MAX_CHAIN && pending; round++) {
    const more: number[] = [];
    for (const u of pending) {
      const d = bindByName(index, file, u.name);
      if (d.flags & BindFlag.NoneVisible) continue;
      for (const t of d.targets) {
        // A macro expanding a macro: its unit is the function expanding both, which binds the name itself.
        if (u.guessed.includes(t) || emitted.has(t) || bindsPerUnit(index, node, t)) continue;
        emitted.add(t);
        // Between two functions a macro edge is always one of these: the bit is needed only when an end is a macro (isExpansionEdge).
        emit(t, index.isMacro(node) || index.isMacro(t) ? BindFlag.Expansion : 0);
        if (index.isMacro(t) && !visited.has(t)) {
          visited.add(t);
          more.push(t);
        }
      }
    }
    pending = unseenFrom(index, more);
  }
}

/**
 * True for an edge through a macro's body (see forEachExpansionEdge): an edge of kind macro
 * between two functions (a call of a macro, or a call in a macro's body, has a macro at one end),
 * or one with BindFlag.Expansion. The bit is kept only where it is needed: each costs the graph
 * cache 8 bytes (the bind column is stored sparse).
 */
export function isExpansionEdge(index: CodeIndex, from: number, to: number, kind: number, bind: number): boolean {
  return kind === MACRO && (bind & BindFlag.Expansion ? true : !index.isMacro(from) && !index.isMacro(to));
}

/**
 * For explain: the chain of macros through which a call of `call` by `node` reaches `target` by
 * an expansion edge (the macro the call names first, the macro whose body calls the name last),
 * or null when it does not.
 */
export function expansionChain(index: CodeIndex, node: number, call: CallFact, target: number): number[] | null {
  if (call.name === undefined) return null;
  const file = index.nodeFile[node]!;
  const starts = (call.expandsTo ?? [call.name]).flatMap((n) => bindByNameFrom(index, file, n).targets.filter((t) => index.isMacro(t)));
  const name = index.name(target);
  // Breadth first over macro bodies, keeping each macro's parent.
  const parent = new Map<number, number>(starts.map((m) => [m, -1]));
  let level = [...new Set(starts)];
  for (let depth = 0; depth < MAX_CHAIN && level.length; depth++) {
    const next: number[] = [];
    for (const m of level) {
      const s = macroSummary(index, m);
      if (s.unseen.some((u) => u.name === name)) {
        const chain = [m];
        for (let p = parent.get(m)!; p >= 0; p = parent.get(p)!) chain.unshift(p);
        return chain;
      }
      for (const x of s.macros) if (!parent.has(x)) (parent.set(x, m), next.push(x));
    }
    level = next;
  }
  return null;
}
