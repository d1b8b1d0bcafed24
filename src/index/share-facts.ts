/**
 * One frozen copy of each small fact value that many call sites, parameters and bindings repeat.
 *
 * Why: a kernel's facts, parsed from the workers' JSON (index/parse-files.ts), are some 3.4 million
 * calls' argument lists, 3.1 million type expressions (`{ k: 'type', name: 'struct net_device' }`),
 * 1.2 million parameters and 1.1 million bindings' member paths, each an object or array of its
 * own, while only 7 to 40% of them are distinct (Linux 6.1, x86). The main thread holds all of
 * them until the graph is resolved: sharing equal values (those whose JSON texts are equal) is
 * several hundred megabytes less heap and fewer objects for the collector to mark. Most values are
 * looked up by their parts (names, then the numbers of the values already kept) rather than by
 * their JSON text: making that text was most of the cost of taking in a worker's facts.
 *
 * The values shared are frozen, so that a later change to one (which would change every fact
 * holding it) throws instead of corrupting other facts; nothing in the index, resolve or cache
 * stages changes a fact value in place (expansion makes new objects). The facts' JSON is the same
 * before and after: only which objects they hold changes.
 */
import type { BindingFact, CallFact, FileFacts, TypeExpr, VarFact } from '../types/facts.js';
import { Sharer } from './intern-facts.js';

/**
 * Shares a file's repeated values through pools (see the module comment), and, in the same walk,
 * its long strings (intern-facts.ts): a value's strings are interned once, when its first copy is
 * kept, and never for the copies it replaces.
 */
export class FactSharer {
  /** Values keyed by their JSON text: parameters holding more than a name, a type and `fnptr`. */
  private readonly pool = new Map<string, object>();

  /**
   * Values keyed by a short text of their kind and parts (see id()): parameters and their lists,
   * member arguments and their lists, references and their lists, a binding's source. Like the
   * type expressions, only as good as the JSON text: the extractors make each with its keys in
   * one order (`{ arg, root, field }`, `{ root, path }`, `{ name, type, fnptr? }`).
   */
  private readonly keyed = new Map<string, object>();

  /** Every kept value's number (id()). */
  private readonly ids = new Map<object, number>();

  /** Lists of two names or more (argument lists, member paths), keyed by their items joined: JSON.stringify costs more. */
  private readonly lists = new Map<string, (string | null)[]>();

  /** Lists of one name, by the name. */
  private readonly single = new Map<string, (string | null)[]>();

  /** The list `[null]` and the empty list, once seen. */
  private onlyNull: (string | null)[] | null = null;
  private empty: (string | null)[] | null = null;

  /**
   * Type expressions without a JSON text: `type`, `global` and `ret` by their name, `field` by its
   * member's name, then by the shared expression it is a member of. Keys by identity are only as
   * good as the expressions' JSON: the extractors make each kind with its keys in one order
   * (parse/scan/token-exprs.ts, parse/expressions.ts), so two equal expressions have one JSON text.
   */
  private readonly named = { type: new Map<string, TypeExpr>(), global: new Map<string, TypeExpr>(), ret: new Map<string, TypeExpr>() };
  private readonly fields = new Map<string, Map<TypeExpr, TypeExpr>>();

  private readonly strings: Sharer;

  /** `strings`: the pool of long strings, which may outlive this sharer. */
  constructor(strings: Map<string, string> = new Map()) {
    this.strings = new Sharer(strings);
  }

  /** The pool's copy of `v` (`v` itself, frozen and kept, when it is the first); `fill` shares the parts (and strings) of a first copy. */
  private one<T extends object>(v: T, fill?: (v: T) => void): T {
    const key = JSON.stringify(v);
    const kept = this.pool.get(key);
    if (kept !== undefined) return kept as T;
    fill?.(v);
    this.pool.set(key, Object.freeze(v));
    return v;
  }

  /** The kept value of `key` (made of its parts' ids: see id()), else `v` kept for it, frozen. `v`'s parts must be the kept ones already. */
  private byKey<T extends object>(key: string, v: T): T {
    const kept = this.keyed.get(key);
    if (kept !== undefined) return kept as T;
    this.keyed.set(key, Object.freeze(v));
    return v;
  }

  /** A number for a kept value (a type expression, list, parameter or member), for the keys of the values holding it. */
  private id(v: object): number {
    let id = this.ids.get(v);
    if (id === undefined) this.ids.set(v, (id = this.ids.size));
    return id;
  }

  /** `{ root, path }`: a reference passed as an argument, or where a binding's value comes from. */
  private member<T extends { root: TypeExpr; path: string[] }>(r: T): T {
    r.root = this.type(r.root);
    r.path = this.names(r.path);
    return this.byKey(`r${this.id(r.root)},${this.id(r.path)}`, r);
  }

  /** A list of kept values (or nulls), by their ids. */
  private listOf<T extends object | null>(kind: string, list: T[]): T[] {
    let key = kind;
    for (const x of list) key += x === null ? '-,' : `${this.id(x)},`;
    return this.byKey(key, list);
  }

  /**
   * A function's parameter: by its name and type, and whether it is a function pointer, as the
   * extractors make them (`{ name, type, fnptr? }`); one holding anything else, by its JSON text.
   */
  private param(p: VarFact): VarFact {
    if (p.params !== undefined || p.isStatic !== undefined || p.definer !== undefined || (p.fnptr !== undefined && p.fnptr !== true)) return this.one(p, (v) => this.strings.variable(v));
    const key = `${p.fnptr ? 'F' : 'p'}${p.type}\u0001${p.name}`;
    const kept = this.keyed.get(key);
    if (kept !== undefined) return kept as VarFact;
    this.strings.variable(p);
    this.keyed.set(key, Object.freeze(p));
    return p;
  }

  /** one() for a list of names and nulls. Names hold no control character: NUL stands for null, SOH ends each item. */
  private names<T extends (string | null)[]>(list: T): T {
    if (list.length === 0) return (this.empty ??= Object.freeze(list) as T) as T;
    if (list.length === 1) {
      const x = list[0]!;
      if (x === null) return (this.onlyNull ??= Object.freeze(list) as T) as T;
      const kept = this.single.get(x);
      if (kept !== undefined) return kept as T;
      list[0] = this.strings.one(x);
      this.single.set(list[0], Object.freeze(list) as T);
      return list;
    }
    let key = '';
    for (const x of list) key += `${x === null ? '\u0000' : x}\u0001`;
    const kept = this.lists.get(key);
    if (kept !== undefined) return kept as T;
    this.strings.all(list);
    this.lists.set(key, Object.freeze(list) as T);
    return list;
  }

  private type(t: TypeExpr): TypeExpr {
    if (t.k === 'field') {
      const of = this.type(t.of);
      let byOf = this.fields.get(t.field);
      if (byOf === undefined) this.fields.set(t.field, (byOf = new Map()));
      const kept = byOf.get(of);
      if (kept !== undefined) return kept;
      t.of = of;
      t.field = this.strings.one(t.field);
      byOf.set(of, Object.freeze(t));
      return t;
    }
    const byName = this.named[t.k];
    const name = t.k === 'ret' ? t.fn : t.name;
    const kept = byName.get(name);
    if (kept !== undefined) return kept;
    const one = this.strings.one(name);
    if (t.k === 'ret') t.fn = one;
    else t.name = one;
    byName.set(one, Object.freeze(t));
    return t;
  }

  /** A call's shared values; its other strings are interned by Sharer.rest. */
  private call(c: CallFact): void {
    c.args = this.names(c.args);
    if (c.recv) c.recv = this.type(c.recv);
    if (c.argMembers) {
      const list = c.argMembers;
      for (let i = 0; i < list.length; i++) {
        const m = list[i]!;
        m.root = this.type(m.root);
        const key = `m${m.arg},${this.id(m.root)},${m.field}`;
        const kept = this.keyed.get(key) as typeof m | undefined;
        if (kept !== undefined) list[i] = kept;
        else {
          m.field = this.strings.one(m.field);
          this.keyed.set(key, Object.freeze(m));
        }
      }
      c.argMembers = this.listOf('M', list);
    }
    if (c.refs) {
      const list = c.refs;
      for (let i = 0; i < list.length; i++) if (list[i]) list[i] = this.member(list[i]!);
      c.refs = this.listOf('R', list);
    }
  }

  /** A binding's shared values; its other strings are interned by Sharer.rest. */
  private binding(b: BindingFact): void {
    b.root = this.type(b.root);
    b.path = this.names(b.path);
    if (b.from) b.from = this.member(b.from);
    if (b.call) b.call.args = this.names(b.call.args);
  }

  /**
   * Replaces, in place, the repeated values of `f` (argument lists, type expressions, parameters,
   * member paths) by the pools' frozen copies, and its long strings by the string pool's.
   */
  file(f: FileFacts): void {
    for (const fn of f.functions) {
      const params = fn.params;
      for (let i = 0; i < params.length; i++) params[i] = this.param(params[i]!);
      fn.params = this.listOf('P', params);
      for (const c of fn.calls) this.call(c);
    }
    for (const m of f.macros) {
      m.params = this.names(m.params);
      for (const c of m.calls) this.call(c);
    }
    for (const b of f.bindings) this.binding(b);
    this.strings.rest(f);
  }
}
