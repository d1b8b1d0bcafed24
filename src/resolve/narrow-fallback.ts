import type { CodeIndex } from '../index/code-index.js';
import { isVariadic, plainlyNamed } from '../index/signature-marks.js';
import type { CallFact, FunctionFact } from '../types/facts.js';
import type { PointerSignature, TypeModel } from './type-model.js';

/**
 * The most targets the member-name fallback ('field-name') may give one call site. A call
 * through a member whose struct is unknown is bound by the member's name alone; when more than
 * this many functions still fit after narrowing by arity and argument types, the name says next
 * to nothing about the target, so the site makes no edge and is reported unresolved with its
 * candidate count. Measured on Linux 6.1 (x86, whole tree; bench/fallback-figures.mjs): before
 * narrowing and capping, 513 sites made 284,850 edges, up to 7,908 at one site; after, 377 sites
 * make 2,348 edges (at most 60 at one site) and 101 sites are over the cap, with 66 to 5,641
 * candidates (`->probe(...)` in drivers/s390/cio/device.c: every probe function of the tree).
 */
export const MAX_FALLBACK_TARGETS = 64;

/**
 * The most targets the signature fallback may give a call through a plain pointer with no
 * binding. Lower than MAX_FALLBACK_TARGETS: a matching arity and argument types is weaker
 * evidence than a member's name (its edges weigh 12 against 4 in path search), so a site is only
 * worth guessing when very few address-taken functions fit.
 */
export const MAX_SIGNATURE_TARGETS = 16;

/**
 * The evidence text of a signature fallback's edge, `how` saying what agreed. The evidence's file
 * and line are the target's definition (where its address is taken is not kept), which the text
 * says, so that `iface.c:11` is not read as the place the address is taken.
 */
export const signatureEvidenceText = (how: string): string => `defined here, a function whose address is taken; ${how}`;

/** Base types that say nothing about what they point to: they match any argument. */
const UNTYPED = new Set(['', 'void']);


/**
 * True for a function that returns nothing (`void f(...)`, not `void *f(...)`): its signature
 * text has no `*` between `void` and the name (plainlyNamed). It cannot be held by a pointer declared to return
 * a named type (`int (*ndo_init)(struct net_device *)`); the reverse is not known, since the
 * parse stage keeps `void *` as `void`.
 */
function returnsVoid(f: FunctionFact): boolean {
  return f.returns === 'void' && plainlyNamed(f);
}

/**
 * Decides which candidate functions of a weak fallback fit a call: the same number of
 * parameters as the call has arguments (at least as many arguments for a variadic function),
 * and no argument whose type is a struct or union different from the candidate's parameter's.
 * Types are base types (pointer counts are not kept by the parse stage); `void`, unknown types,
 * struct tags the tree never defines and scalars match anything, since C converts between
 * scalars and the kernel casts pointers to `unsigned long` and back. An argument's type is known
 * when it is a parameter of the caller (locals are not kept in the facts).
 */
export class FallbackFilter {
  private readonly canonical = new Map<string, string>();

  constructor(
    private readonly index: CodeIndex,
    private readonly types: TypeModel,
  ) {}

  /**
   * The struct or union a base type names after typedefs, or '' when it names none the tree
   * defines: a tag never defined may be another's alias by macro (`#define spi_master
   * spi_controller`), so it rules nothing out.
   */
  private tagOf(type: string): string {
    let tag = this.canonical.get(type);
    if (tag === undefined) {
      const c = UNTYPED.has(type) ? '' : this.types.canonical(type);
      tag = this.types.isStruct(c) ? c : '';
      this.canonical.set(type, tag);
    }
    return tag;
  }

  /** A base type with its struct tag ('' for none), for a fallback query (fallback-query.ts). */
  side(type: string): { tag: string; raw: string } {
    return { tag: this.tagOf(type), raw: type };
  }

  /** Every base type read so far with its struct tag ('' for none): what a patch asks of a new function's types (binding-record.ts). */
  tagsRead(): ReadonlyMap<string, string> {
    return this.canonical;
  }

  /** Per argument of `call` (made in function `caller`), the struct or union it points to, or '' when unknown. */
  argTags(caller: FunctionFact, call: CallFact): string[] {
    return call.args.map((a) => {
      if (a === null) return '';
      const p = caller.params.find((x) => x.name === a);
      return p && !p.fnptr ? this.tagOf(p.type) : '';
    });
  }

  /**
   * Function nodes grouped by their number of parameters (variadic ones under -1), so that a
   * call's candidates are looked up by its argument count, not among every function.
   */
  byArity(targets: readonly number[]): Map<number, number[]> {
    const groups = new Map<number, number[]>();
    for (const target of targets) {
      const f = this.functionOf(target);
      const key = isVariadic(f) ? -1 : f.params.length;
      const list = groups.get(key);
      if (list) list.push(target);
      else groups.set(key, [target]);
    }
    return groups;
  }

  /**
   * The functions of `groups` (made by byArity) that fit a call with these argument tags and
   * agree with it on at least one argument's struct (see fits), in group order: the signature
   * fallback, for which arity alone is no evidence (on Linux 6.1 every arity has thousands).
   */
  narrowByAgreement(groups: Map<number, number[]>, argc: number, tags: readonly string[]): number[] {
    if (!tags.some((t) => t)) return [];
    const { byPosition, ordinal } = this.positions(groups);
    const out: number[] = [];
    for (const key of [argc, -1]) {
      // Only a function with the argument's very struct at some position can agree: look those up, not the whole group.
      const found = new Set<number>();
      tags.forEach((tag, i) => {
        if (tag) for (const t of byPosition.get(`${key}:${i}:${tag}`) ?? []) found.add(t);
      });
      const inOrder = [...found].sort((a, b) => ordinal.get(a)! - ordinal.get(b)!);
      for (const t of inOrder) if (this.fits(t, tags, true)) out.push(t);
    }
    return out;
  }

  /**
   * The functions of `groups` (made by byArity) a pointer declared as `declared` can hold: as many
   * parameters, and no parameter or return type that clashes with the declared one (typeClash),
   * and agreeing on at least one struct (a parameter's or the return's: arity and scalars alone
   * are no evidence); they must also fit the call's argument tags (fits). In group order.
   */
  narrowBySignature(groups: Map<number, number[]>, declared: PointerSignature, tags: readonly string[]): number[] {
    const key = declared.params.length;
    const { byPosition, ordinal } = this.positions(groups);
    const found = new Set<number>();
    declared.params.forEach((type, i) => {
      const tag = this.tagOf(type);
      if (tag) for (const t of byPosition.get(`${key}:${i}:${tag}`) ?? []) found.add(t);
    });
    const returned = this.tagOf(declared.returns);
    if (returned) for (const t of byPosition.get(`${key}:r:${returned}`) ?? []) found.add(t);
    const out: number[] = [];
    for (const t of [...found].sort((a, b) => ordinal.get(a)! - ordinal.get(b)!)) {
      const f = this.functionOf(t);
      if (isVariadic(f) || this.typeClash(declared.returns, f.returns) || (returnsVoid(f) && !UNTYPED.has(declared.returns))) continue;
      if (f.params.some((p, i) => this.typeClash(declared.params[i]!, p.fnptr ? '' : p.type))) continue;
      if (this.fits(t, tags)) out.push(t);
    }
    return out;
  }

  /**
   * True when a declared type and a function's type cannot be the same C type: two different
   * structs, or a struct against a named non-struct type (`struct sk_buff` against `int`). Pointer depth is not kept by the parse stage, so `void`
   * (also `void *`) and unknown types otherwise match anything, and scalar names are not compared
   * (typedef chains of integer types are not fully known).
   */
  private typeClash(declared: string, actual: string): boolean {
    const a = this.tagOf(declared);
    const b = this.tagOf(actual);
    if (a && b) return a !== b;
    if (a || b) {
      const other = a ? actual : declared;
      return !UNTYPED.has(other) && !/^(?:struct|union) /.test(other);
    }
    return false;
  }

  private readonly positionsOf = new WeakMap<Map<number, number[]>, { byPosition: Map<string, number[]>; ordinal: Map<number, number> }>();

  /** For groups made by byArity: the functions by `arity:position:struct` of a parameter, and each function's place in its group. */
  private positions(groups: Map<number, number[]>): { byPosition: Map<string, number[]>; ordinal: Map<number, number> } {
    let made = this.positionsOf.get(groups);
    if (made) return made;
    made = { byPosition: new Map(), ordinal: new Map() };
    for (const [key, list] of groups) {
      list.forEach((target, k) => {
        made!.ordinal.set(target, k);
        const f = this.functionOf(target);
        const put = (at: string): void => {
          const row = made!.byPosition.get(at);
          if (row) row.push(target);
          else made!.byPosition.set(at, [target]);
        };
        f.params.forEach((p, i) => {
          const tag = p.fnptr ? '' : this.tagOf(p.type);
          if (tag) put(`${key}:${i}:${tag}`);
        });
        const returned = this.tagOf(f.returns);
        if (returned) put(`${key}:r:${returned}`);
      });
    }
    this.positionsOf.set(groups, made);
    return made;
  }

  private functionOf(target: number): FunctionFact {
    const { index } = this;
    return index.files[index.nodeFile[target]!]!.functions[index.nodeItem[target]!]!;
  }

  /**
   * True when function node `target` can take a call with these argument tags (see the class);
   * with `agree`, only when besides some argument's struct is the very struct of its parameter.
   */
  fits(target: number, tags: readonly string[], agree = false): boolean {
    const f = this.functionOf(target);
    const variadic = isVariadic(f);
    if (variadic ? tags.length < f.params.length : tags.length !== f.params.length) return false;
    let agreed = false;
    for (let i = 0; i < f.params.length; i++) {
      const arg = tags[i]!;
      if (!arg) continue;
      const p = f.params[i]!;
      const param = p.fnptr ? '' : this.tagOf(p.type);
      if (param && param !== arg) return false;
      if (param) agreed = true;
    }
    return agreed || !agree;
  }
}
