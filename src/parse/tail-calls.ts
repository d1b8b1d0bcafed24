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
  // The first occurrence of the name as a whole word followed by `(`, found without building a
  // RegExp per definition: compiling one for each void function cost a kernel's parse some 18 s of CPU.
  for (let at = signature.indexOf(name); at >= 0; at = signature.indexOf(name, at + 1)) {
    if (at > 0 && IDENTIFIER_CHAR.test(signature[at - 1]!)) continue;
    OPEN_PAREN.lastIndex = at + name.length;
    if (OPEN_PAREN.test(signature)) return !/[*(]/.test(signature.slice(0, at));
  }
  return false;
}

/**
 * The calls passing the address of the caller's own variable (`&how`, `&x.y`, `&buf[i]` of a
 * local or parameter): the callee may use the caller's frame, so the compiler keeps it and makes
 * no sibling call (GCC's tree-tailcall.c refuses a call that may refer to an address-taken local;
 * Linux 6.1's do_sys_open ends `return do_sys_openat2(dfd, filename, &how);` and keeps its frame).
 * Each extractor adds such a call when it reads it, and marks CallFact.tail on the others only.
 */
export const passesFrameAddress = new WeakSet<object>();

/** A character that continues an identifier (`$` too: GCC accepts it). */
const IDENTIFIER_CHAR = /[A-Za-z0-9_$]/;
/** Blanks then `(`, matched exactly where lastIndex says. */
const OPEN_PAREN = /\s*\(/y;
