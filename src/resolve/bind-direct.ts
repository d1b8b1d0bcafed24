import type { CodeIndex } from '../index/code-index.js';
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
