import { isVariadic, plainlyNamed } from '../index/signature-marks.js';
import type { FunctionFact } from '../types/facts.js';

/**
 * The signature fallback's question at one call site (bind-indirect-sites.ts), written as one
 * string so that a patch can ask it again of a function that joins the functions whose address
 * is taken, without the type model: which struct each argument points to, and, for a pointer
 * whose declared type the facts hold (narrowBySignature), the declared parameters' and return's
 * struct or type class. The answer for a function is that of FallbackFilter for the same tags
 * (narrow-fallback.ts): fitsQuery must stay in step with narrowBySignature and narrowByAgreement.
 *
 * Encoding: `S` or `A`, then parts separated by \u0002, items by \u0003. `S<ret>\u0002<params>\u0002<args>`
 * for a declared pointer type; `A<args>` for the agreement fallback. A type item is `t<tag>` (a
 * struct or union the tree defines), `u` (untyped: '' or void, or for a parameter a struct tag the
 * tree never defines), `s` (for the return: a struct tag never defined), `n` (any other named type).
 * An argument item is its struct tag or ''.
 */

const PART = '\u0002';
const ITEM = '\u0003';

/** Base types that say nothing about what they point to (as narrow-fallback.ts's UNTYPED). */
const UNTYPED = new Set(['', 'void']);
const STRUCT_LIKE = /^(?:struct|union) /;

/** A declared or actual type as the fallback compares it: its struct tag ('' for none) and its raw base type. */
export interface TypeSide {
  tag: string;
  raw: string;
}

/** What the signature fallback reads of a candidate function: arity, variadic, its parameters' and return's tags, and whether it returns nothing. */
export interface FunctionProfile {
  variadic: boolean;
  params: TypeSide[];
  returns: TypeSide;
  returnsVoid: boolean;
}

/** The class letter of a declared type with no struct tag: `u` untyped, `s` struct-like, `n` named. */
const classOf = (raw: string, forReturn: boolean): string => (UNTYPED.has(raw) ? 'u' : STRUCT_LIKE.test(raw) ? (forReturn ? 's' : 'u') : 'n');

const typeItem = (side: TypeSide, forReturn: boolean): string => (side.tag ? `t${side.tag}` : classOf(side.raw, forReturn));

/**
 * The query of a call site with these argument tags, for a pointer declared as `declared` (its
 * parameters and return as TypeSides; null: the agreement fallback). Null when no function can
 * answer it (no tag to agree on), so the site need not be kept.
 */
export function encodeQuery(declared: { returns: TypeSide; params: TypeSide[] } | null, args: readonly string[]): string | null {
  if (!declared) return args.some((t) => t) ? `A${args.join(ITEM)}` : null;
  if (!declared.returns.tag && !declared.params.some((p) => p.tag)) return null;
  return `S${typeItem(declared.returns, true)}${PART}${declared.params.map((p) => typeItem(p, false)).join(ITEM)}${PART}${args.join(ITEM)}`;
}

/** A query split back into its parts. */
interface Query {
  declared: { returns: string; params: string[] } | null;
  args: string[];
}

function decode(query: string): Query {
  if (query.startsWith('A')) return { declared: null, args: query.slice(1).split(ITEM) };
  const [ret, params, args] = query.slice(1).split(PART) as [string, string, string];
  // A declared pointer with no parameter has no item: '' splits to one empty item, which is none here.
  const list = params === '' ? [] : params.split(ITEM);
  return { declared: { returns: ret, params: list }, args: list.length === 0 ? [] : args.split(ITEM) };
}

/** True when a declared type item and an actual type cannot be the same C type (narrow-fallback.ts typeClash). */
function clash(declared: string, actual: TypeSide): boolean {
  const a = declared.startsWith('t') ? declared.slice(1) : '';
  const b = actual.tag;
  if (a && b) return a !== b;
  if (a) return !UNTYPED.has(actual.raw) && !STRUCT_LIKE.test(actual.raw);
  if (b) return declared === 'n';
  return false;
}

/**
 * True when a function of `count` parameters (`variadic` or not), whose parameter i points to the
 * struct `tagAt(i)` ('' for none), can take a call with these argument tags (FallbackFilter.fits);
 * with `agree`, only when some argument's struct is its parameter's. Null when `tagAt` does not
 * know a tag it has to compare (asked only where the argument's is known).
 */
function argsFit(count: number, variadic: boolean, tagAt: (i: number) => string | null, args: readonly string[], agree: boolean): boolean | null {
  if (variadic ? args.length < count : args.length !== count) return false;
  let agreed = false;
  for (let i = 0; i < count; i++) {
    const arg = args[i]!;
    if (!arg) continue;
    const param = tagAt(i);
    if (param === null) return null;
    if (param && param !== arg) return false;
    if (param) agreed = true;
  }
  return agreed || !agree;
}

/** True when the function can take a call with these argument tags (FallbackFilter.fits). */
const fitsArgs = (f: FunctionProfile, args: readonly string[], agree: boolean): boolean => argsFit(f.params.length, f.variadic, (i) => f.params[i]!.tag, args, agree)!;

/**
 * Whether function `f` fits a call with these argument tags as FallbackFilter.fits decides it (the
 * field-name fallback's narrowing), its parameters' struct tags given by `tagOf` (as
 * FallbackRecord.typeTags keeps them); null when it does not know a type it has to compare.
 */
export function fitsTags(f: FunctionFact, args: readonly string[], tagOf: (type: string) => string | null): boolean | null {
  return argsFit(f.params.length, isVariadic(f), (i) => (f.params[i]!.fnptr || UNTYPED.has(f.params[i]!.type) ? '' : tagOf(f.params[i]!.type)), args, false);
}

/** True when a function's variadic-ness says so (as FunctionProfile.variadic): its signature holds `...` (index/signature-marks.ts). */
export { isVariadic };

/**
 * False when a function with `params` parameters (variadic or not) can never be listed by a site
 * with this query, whatever its types: fitsQuery's arity tests alone, so that a function whose
 * types the fallback never read can still be told apart from sites of another arity.
 */
export function arityFits(query: string, params: number, variadic: boolean): boolean {
  const q = decode(query);
  if (!q.declared) return variadic ? q.args.length >= params : q.args.length === params;
  return !variadic && params === q.declared.params.length && q.args.length === params;
}

/**
 * Whether the signature fallback of a site with this query lists function `f`, and in which of
 * its groups: 0 (the functions with as many parameters as arguments), 1 (variadic ones, listed
 * after: the agreement fallback only); -1 when it does not list it.
 */
export function fitsQuery(query: string, f: FunctionProfile): number {
  if (!arityFits(query, f.params.length, f.variadic)) return -1;
  const q = decode(query);
  if (!q.declared) {
    const argc = q.args.length;
    if (!f.variadic && f.params.length !== argc) return -1;
    // Found by a parameter with the very struct of an argument at its position.
    const found = f.params.some((p, i) => p.tag && i < argc && q.args[i] === p.tag);
    return found && fitsArgs(f, q.args, true) ? (f.variadic ? 1 : 0) : -1;
  }
  const d = q.declared;
  if (f.variadic || f.params.length !== d.params.length) return -1;
  const found = d.params.some((p, i) => p.startsWith('t') && f.params[i]!.tag === p.slice(1)) || (d.returns.startsWith('t') && f.returns.tag === d.returns.slice(1));
  if (!found) return -1;
  if (clash(d.returns, f.returns) || (f.returnsVoid && d.returns !== 'u')) return -1;
  if (f.params.some((p, i) => clash(d.params[i]!, p))) return -1;
  return fitsArgs(f, q.args, false) ? 0 : -1;
}

/**
 * The profile of a function as the fallback reads it, its base types' struct tags given by `tagOf`
 * (null when it does not know a type: then so is the profile). `returnsVoid` as narrow-fallback.ts's.
 */
export function profileOf(f: FunctionFact, tagOf: (type: string) => string | null): FunctionProfile | null {
  const side = (raw: string): TypeSide | null => {
    if (UNTYPED.has(raw)) return { tag: '', raw };
    const tag = tagOf(raw);
    return tag === null ? null : { tag, raw };
  };
  const params: TypeSide[] = [];
  for (const p of f.params) {
    const s = p.fnptr ? { tag: '', raw: '' } : side(p.type);
    if (!s) return null;
    params.push(s);
  }
  const returns = side(f.returns);
  if (!returns) return null;
  const returnsVoid = f.returns === 'void' && plainlyNamed(f);
  return { variadic: isVariadic(f), params, returns, returnsVoid };
}
