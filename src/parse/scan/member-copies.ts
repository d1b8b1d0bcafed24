import type { BindingFact, VarFact } from '../../types/facts.js';
import { mayHoldFunction, pointerStore } from '../pointer-stores.js';
import type { Scope } from '../scope.js';
import type { Store } from './bodies.js';
import { COLON, DOT, LPAREN, STAR } from './chars.js';
import type { Cursor } from './cursor.js';
import type { TokenExprs } from './token-exprs.js';
import { ARROW } from './tokens.js';

const QUESTION = 63;

/**
 * The values the conditional [a, b) may yield: both arms of `c ? x : y`, and of `x ?: y` the
 * condition and the alternative, at any depth; any other range is its own one value. Like
 * ../member-copies.ts arms.
 */
export function arms(c: Cursor, a: number, b: number): [number, number][] {
  const split = conditionalSplit(c, a, b);
  if (!split) return [[a, b]];
  const [q, colon] = split;
  const first: [number, number][] = colon === q + 1 ? [[a, q]] : arms(c, q + 1, colon);
  return [...first, ...arms(c, colon + 1, b)];
}

/**
 * The top-level `?` of [a, b) and the `:` matching it (`x ?: y`: the one right after it), or
 * null when [a, b) is no conditional. Nested conditionals in the arms are stepped over.
 */
export function conditionalSplit(c: Cursor, a: number, b: number): [question: number, colon: number] | null {
  let q = a;
  while (q < b && !c.is(q, QUESTION)) q = c.skip(q, b);
  if (q >= b) return null;
  let colon = q + 1;
  for (let depth = 0; colon < b; colon = c.skip(colon, b)) {
    if (c.is(colon, QUESTION)) depth++;
    else if (c.is(colon, COLON) && depth-- === 0) return [q, colon];
  }
  return null;
}

/**
 * The member assignments BodyReader.storeBinding leaves: a copy of another member
 * (BindingFact.from), a pointer variable of the function (BindingFact.fromLocal), and each arm of
 * a conditional. Like ../member-copies.ts memberCopies, which says more.
 */
export function memberCopies(c: Cursor, x: TokenExprs, st: Store, scope: Scope, inFunction: string): BindingFact[] {
  const field = st.eq - 1;
  if (!(c.isIdent(field) && (c.is(field - 1, ARROW) || c.is(field - 1, DOT)))) return [];
  const root = x.typeOf(st.leftStart, field - 1, scope);
  if (!root) return [];
  const text = c.textOf(st.leftStart, st.end).replace(/\s+/g, ' ');
  const line = c.line(st.leftStart);
  const out: BindingFact[] = [];
  const values = arms(c, st.eq + 1, st.end);
  for (const [a, b] of values) {
    if (c.is(a, LPAREN) && x.isCast(a, b) && /^(struct|union)\b/.test(c.textOf(a + 1, c.matchOf(a, a)))) continue;
    const base: BindingFact = { root, path: [c.word(field)], fn: '', line, how: 'assign', inFunction, text };
    const fn = x.passedName(a, b);
    if (fn) {
      const p = scope.param(fn);
      const v = scope.get(fn);
      if (p >= 0) {
        if (values.length > 1) out.push({ ...base, fn, param: p });
      } else if (v) {
        if (mayHoldFunction(v)) out.push({ ...base, fn, fromLocal: true });
      } else if (values.length > 1) out.push({ ...base, fn });
      continue;
    }
    const load = x.memberLoad(a, b, scope);
    if (load) out.push({ ...base, fn: load.field, from: { root: load.root, path: [load.field] } });
  }
  return out;
}

/**
 * The functions a conditional [a, b) stores into pointer variable `target` (`fp = c ? f : g;`):
 * one pointer store per arm naming a function. Like ../member-copies.ts pointerArms, which says more.
 */
export function pointerArms(c: Cursor, x: TokenExprs, target: string, a: number, b: number, v: VarFact | undefined, scope: Scope | undefined, how: 'init' | 'assign', text: string, inFunction: string | undefined, local: boolean): BindingFact[] {
  const values = arms(c, a, b);
  if (values.length < 2 || !mayHoldFunction(v)) return [];
  const out: BindingFact[] = [];
  for (const [s, e] of values) {
    const fn = x.passedName(s, e);
    if (fn && !scope?.get(fn) && (scope?.param(fn) ?? -1) < 0) out.push(pointerStore(target, fn, c.line(a), how, text, inFunction, local));
  }
  return out;
}

/** `fp = c ? f : g;` in a body: pointerArms for an assignment to a variable (not a parameter). Like ../member-copies.ts variableArms. */
export function variableArms(c: Cursor, x: TokenExprs, st: Store, scope: Scope, inFunction: string): BindingFact[] {
  if (st.eq - st.leftStart !== 1 || !c.isIdent(st.leftStart) || c.is(st.leftStart - 1, STAR)) return [];
  const name = c.word(st.leftStart);
  if (!scope.assignable(name)) return [];
  const v = scope.get(name);
  return pointerArms(c, x, name, st.eq + 1, st.end, v, scope, 'assign', c.textOf(st.leftStart, st.end).replace(/\s+/g, ' '), inFunction, v !== undefined);
}
