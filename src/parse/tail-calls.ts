/**
 * What both extractors share about tail calls (FunctionFact.tailCalls): which definitions return
 * nothing, so that a call ending the body is a sibling call (GCC's -foptimize-sibling-calls, on at
 * -O2 unless CONFIG_FRAME_POINTER: the caller jumps to the callee and leaves no frame).
 */

/**
 * True when a definition returns nothing: its base type is `void` and no `*` or `(` stands
 * between the type and the name in its signature (`void *f(...)` and `void (*f(int))(int)` return
 * something). `signature` is FunctionFact.signature (both extractors write the same text), `name`
 * the function's name; an annotation left in the signature before the name counts as `(`, which
 * errs towards keeping the frame.
 */
export function returnsVoid(returns: string, signature: string, name: string): boolean {
  if (returns !== 'void') return false;
  const at = new RegExp(`(?:^|[^A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}\\s*\\(`).exec(signature);
  return at !== null && !/[*(]/.test(signature.slice(0, at.index + 1));
}
