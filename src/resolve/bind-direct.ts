import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { bindByName } from './definition-scope.js';

/**
 * Functions (or macros) defined in the indexed files that a call by name from a body in
 * `callerFile` binds to, by the rules of bindByName (include visibility, activity, shadowing,
 * prototypes) with the oracles of `index.bindingScope`. Several candidates are kept when the
 * rules leave several: ambiguity is shown, not merged. External nodes are never among them (see callTargets).
 */
export function directTargets(index: CodeIndex, callerFile: number, name: string): number[] {
  return bindByName(index, callerFile, name).targets;
}

/** True for a name the profile lists as provided by the compiler (`__builtin_expect`). */
export function isCompilerBuiltin(index: CodeIndex, name: string): boolean {
  return index.profile.compilerBuiltins.some((prefix) => name.startsWith(prefix));
}

/**
 * The function-like macros a call through a local variable (CallFact.var) expands instead. In C
 * a name followed by `(` is replaced by a function-like macro of that name before any local is
 * looked up (C11 6.10.3p10), so `u32 emc_dbg; ... emc_dbg(emc, INFO, "...")` calls the macro
 * emc_dbg, not the local. Returns the macro nodes the name binds to from `callerFile`
 * (bindByName); empty for other calls, or when no such macro is defined.
 */
export function macroShadowing(index: CodeIndex, callerFile: number, call: CallFact): number[] {
  if (call.var === undefined || !index.nodesNamed(call.var).some((n) => index.isMacro(n))) return [];
  return bindByName(index, callerFile, call.var).targets.filter((n) => index.isMacro(n));
}
