/**
 * One copy of each long string in the facts the parse workers hand over.
 *
 * Why: facts reach the main thread as JSON text (index/parse-files.ts), and V8's JSON.parse gives
 * every string value of more than 10 characters a copy of its own (shorter ones it shares through
 * its string table). On a kernel the same long texts come back hundreds of thousands of times: a
 * base type (`struct net_device`), a called name (`spin_lock_irqsave`), a preprocessor condition
 * shared by every definition under one `#if`. Sharing them saves heap and collector work, and a
 * name looked up in a map or set many times (binding by name, the call-site summary) is hashed
 * once and compared by identity.
 *
 * Only the fields whose texts repeat are visited (names, types, conditions, arguments, member
 * paths), by the shape of FileFacts: texts nearly always unique (a file's path and hash, a
 * function's signature, a macro's body, a statement's text) would cost a hash each for nothing.
 * A field added to the facts later is simply not shared until it is listed here.
 */
import type { BindingFact, CallFact, FileFacts, TypeExpr, VarFact } from '../types/facts.js';

/** Strings this long or shorter are already shared by JSON.parse (V8's limit for internalizing JSON string values). */
const SHARED_BY_PARSE = 10;

/** Shares long strings through a pool (see the module comment); counts the values it replaced by an earlier copy. */
export class Sharer {
  replaced = 0;
  constructor(private readonly pool: Map<string, string>) {}

  /** The pool's copy of `s` (`s` itself, kept, when it is the first). */
  one(s: string): string {
    if (s.length <= SHARED_BY_PARSE) return s;
    const kept = this.pool.get(s);
    if (kept === undefined) {
      this.pool.set(s, s);
      return s;
    }
    this.replaced++;
    return kept;
  }

  /** Each string of `list` replaced by the pool's copy, in place. */
  all(list: (string | null)[] | undefined): void {
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (typeof s === 'string' && s.length > SHARED_BY_PARSE) list[i] = this.one(s);
    }
  }

  type(t: TypeExpr | undefined): void {
    for (let x = t; x; x = x.k === 'field' ? x.of : undefined) {
      if (x.k === 'field') x.field = this.one(x.field);
      else if (x.k === 'ret') x.fn = this.one(x.fn);
      else x.name = this.one(x.name);
    }
  }

  variable(v: VarFact): void {
    v.name = this.one(v.name);
    v.type = this.one(v.type);
    this.all(v.params);
  }

  /**
   * The strings of a call outside the values FactSharer shares (share-facts.ts: its receiver's
   * type, argument list, member arguments and references), which it interns as it shares them.
   */
  private callStrings(c: CallFact): void {
    if (c.name !== undefined) c.name = this.one(c.name);
    if (c.field !== undefined) c.field = this.one(c.field);
    if (c.var !== undefined) c.var = this.one(c.var);
    if (c.array !== undefined) c.array = this.one(c.array);
    if (c.ret !== undefined) c.ret = this.one(c.ret);
    this.all(c.hints);
    this.all(c.expandsTo);
    if (c.ptrType) {
      c.ptrType.returns = this.one(c.ptrType.returns);
      this.all(c.ptrType.params);
    }
  }

  /** The strings of a binding outside the values FactSharer shares (its root's type, member paths, the call's arguments). */
  private bindingStrings(b: BindingFact): void {
    b.fn = this.one(b.fn);
    if (b.variable !== undefined) b.variable = this.one(b.variable);
    if (b.inFunction !== undefined) b.inFunction = this.one(b.inFunction);
  }

  /** The values of a call FactSharer shares: its receiver's type, argument list, member arguments and references. */
  private callValues(c: CallFact): void {
    this.type(c.recv);
    this.all(c.args);
    if (c.argMembers) {
      for (const m of c.argMembers) {
        this.type(m.root);
        m.field = this.one(m.field);
      }
    }
    if (c.refs) {
      for (const r of c.refs) {
        if (!r) continue;
        this.type(r.root);
        this.all(r.path);
      }
    }
  }

  /** The values of a binding FactSharer shares: its root's type, member paths and the call's arguments. */
  private bindingValues(b: BindingFact): void {
    this.type(b.root);
    this.all(b.path);
    if (b.from) {
      this.type(b.from.root);
      this.all(b.from.path);
    }
    if (b.call) this.all(b.call.args);
  }

  file(f: FileFacts): void {
    for (const fn of f.functions) {
      for (const p of fn.params) this.variable(p);
      for (const c of fn.calls) this.callValues(c);
    }
    for (const m of f.macros) {
      this.all(m.params);
      for (const c of m.calls) this.callValues(c);
    }
    for (const b of f.bindings) this.bindingValues(b);
    this.rest(f);
  }

  /**
   * Every string of `f` file() interns but those of the values FactSharer shares (share-facts.ts:
   * functions' parameters, macros' parameter lists, and in calls and bindings what callStrings and
   * bindingStrings leave out), which it interns as it shares them.
   */
  rest(f: FileFacts): void {
    for (const fn of f.functions) {
      fn.name = this.one(fn.name);
      fn.returns = this.one(fn.returns);
      if (fn.cond !== undefined) fn.cond = this.one(fn.cond);
      for (const c of fn.calls) this.callStrings(c);
      this.all(fn.aliases);
    }
    for (const m of f.macros) {
      m.name = this.one(m.name);
      if (m.cond !== undefined) m.cond = this.one(m.cond);
      if (m.returns !== undefined) m.returns = this.one(m.returns);
      for (const c of m.calls) this.callStrings(c);
    }
    for (const s of f.structs) {
      s.name = this.one(s.name);
      for (const x of s.fields) {
        x.name = this.one(x.name);
        x.type = this.one(x.type);
        this.all(x.params);
      }
    }
    for (const pair of f.typedefs) this.all(pair);
    for (const pair of f.prototypes) this.all(pair);
    for (const g of f.globals) this.variable(g);
    for (const b of f.bindings) this.bindingStrings(b);
    for (const i of f.includes) {
      i.path = this.one(i.path);
      if (i.cond !== undefined) i.cond = this.one(i.cond);
    }
    for (const r of f.registrations ?? []) {
      r.macro = this.one(r.macro);
      r.fn = this.one(r.fn);
    }
    for (const inv of f.invocations ?? []) {
      inv.name = this.one(inv.name);
      if (inv.cond !== undefined) inv.cond = this.one(inv.cond);
      this.all(inv.args);
    }
    for (const d of f.defines ?? []) {
      d.name = this.one(d.name);
      if (d.value !== undefined) d.value = this.one(d.value);
      if (d.cond !== undefined) d.cond = this.one(d.cond);
    }
    for (const alias of f.fieldAliases) {
      alias[0] = this.one(alias[0]);
      this.all(alias[1]);
    }
    this.all(f.aliasMacros);
  }
}

/**
 * The parse takes facts in through FactSharer (share-facts.ts), which interns in its own walk;
 * this is the interning alone, for facts taken in otherwise.
 * Replaces, in place, the long strings (more than SHARED_BY_PARSE characters) of the repeating
 * fields of `facts` (see the module comment) by the first equal string `pool` has seen, and adds
 * those it has not seen. The facts are equal before and after; only which string objects they
 * hold changes. Returns how many string values were replaced by an earlier copy.
 */
export function internLongStrings(facts: FileFacts, pool: Map<string, string>): number {
  const sharer = new Sharer(pool);
  sharer.file(facts);
  return sharer.replaced;
}
