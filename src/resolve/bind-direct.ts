import { type CodeIndex, NodeFlag } from '../index/code-index.js';

/**
 * Functions (or macros) defined in the indexed files that a call by name from a body in
 * `callerFile` can reach. A static in the same file wins, then global functions, then static
 * inlines of headers, then macros. Several candidates at the same rank are all kept: ambiguity
 * is shown, not merged. External nodes are never among them (see callTargets).
 */
export function directTargets(index: CodeIndex, callerFile: number, name: string): number[] {
  const nodes = index.nodesNamed(name).filter((n) => !index.isExternal(n));
  if (nodes.length === 0) return nodes;
  const flags = (n: number): number => index.nodeFlags[n]!;
  const functions = nodes.filter((n) => !(flags(n) & NodeFlag.Macro));
  const pick = (list: number[]): number[] => {
    const local = list.filter((n) => index.nodeFile[n] === callerFile);
    if (local.length) return local;
    const global = list.filter((n) => !(flags(n) & NodeFlag.Static) && !(flags(n) & NodeFlag.Macro));
    if (global.length) return global;
    return list.filter((n) => flags(n) & NodeFlag.Header);
  };
  const fromFunctions = pick(functions);
  if (fromFunctions.length) return fromFunctions;
  return pick(nodes.filter((n) => flags(n) & NodeFlag.Macro));
}

/** True for a name the profile lists as provided by the compiler (`__builtin_expect`). */
export function isCompilerBuiltin(index: CodeIndex, name: string): boolean {
  return index.profile.compilerBuiltins.some((prefix) => name.startsWith(prefix));
}
