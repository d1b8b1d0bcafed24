/**
 * What the resolution reads of a function's signature text (FunctionFact.signature), and a mark
 * standing for the text while it is set aside.
 *
 * Why: the signature fallback (resolve/narrow-fallback.ts, fallback-query.ts) reads two bits of a
 * signature (is the function variadic; does its name follow text with no `*`, as in `void f(...)`
 * and not `void *f(...)`), while the texts are some 56 MiB of a kernel's facts, held through the
 * resolution where the heap is largest. A cold index sets them aside then (cache/set-aside-facts.ts)
 * and puts one of four marks in their place: shared constant strings no signature can be (a parsed
 * one holds its function's name), so the facts' objects keep their shape. Readers go through
 * isVariadic and plainlyNamed, which read the bits from a mark or from the text alike.
 */
import type { FunctionFact } from '../types/facts.js';

/** The marks, by their bits: 1 for variadic, 2 for plainly named. The first code unit is one no C text holds. */
const MARKS = ['\u0000', '\u0000v', '\u0000p', '\u0000pv'] as const;

/** The bits of mark `s` (see MARKS), or -1 when `s` is a signature's text. */
function markBits(s: string): number {
  if (s.charCodeAt(0) !== 0) return -1;
  return (s.includes('v') ? 1 : 0) | (s.includes('p') ? 2 : 0);
}

/** True when the function takes variable arguments: its signature holds `...`. */
export function isVariadic(f: Pick<FunctionFact, 'signature'>): boolean {
  const bits = markBits(f.signature);
  return bits < 0 ? f.signature.includes('...') : (bits & 1) !== 0;
}

/**
 * True when the signature's text before the function's name (its first occurrence) is not empty
 * and holds no `*`: with a `void` return type, the function returns nothing (narrow-fallback.ts).
 */
export function plainlyNamed(f: Pick<FunctionFact, 'signature' | 'name'>): boolean {
  const bits = markBits(f.signature);
  if (bits >= 0) return (bits & 2) !== 0;
  const at = f.signature.indexOf(f.name);
  return at > 0 && !f.signature.slice(0, at).includes('*');
}

/** The mark standing for `f`'s signature (one of four shared strings): the same isVariadic and plainlyNamed. */
export function signatureMark(f: Pick<FunctionFact, 'signature' | 'name'>): string {
  return MARKS[(isVariadic(f) ? 1 : 0) | (plainlyNamed(f) ? 2 : 0)]!;
}
