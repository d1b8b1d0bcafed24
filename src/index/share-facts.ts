/**
 * One frozen copy of each small fact value that many call sites, parameters and bindings repeat.
 *
 * Why: a kernel's facts, parsed from the workers' JSON (index/parse-files.ts), are some 3.4 million
 * calls' argument lists, 3.1 million type expressions (`{ k: 'type', name: 'struct net_device' }`),
 * 1.2 million parameters and 1.1 million bindings' member paths, each an object or array of its
 * own, while only 7 to 40% of them are distinct (Linux 6.1, x86). The main thread holds all of
 * them until the graph is resolved: sharing equal values (by their JSON text) is several hundred
 * megabytes less heap and fewer objects for the collector to mark.
 *
 * The values shared are frozen, so that a later change to one (which would change every fact
 * holding it) throws instead of corrupting other facts; nothing in the index, resolve or cache
 * stages changes a fact value in place (expansion makes new objects). The facts' JSON is the same
 * before and after: only which objects they hold changes.
 */
import type { BindingFact, CallFact, FileFacts, TypeExpr } from '../types/facts.js';

/** Shares a file's repeated values through a pool keyed by their JSON text (see the module comment). */
export class FactSharer {
  private readonly pool = new Map<string, object>();

  /** Lists of names and nulls (argument lists, member paths), keyed by their items joined: JSON.stringify costs more. */
  private readonly lists = new Map<string, (string | null)[]>();

  /** The pool's copy of `v` (`v` itself, frozen and kept, when it is the first); `fill` shares the parts of a first copy. */
  private one<T extends object>(v: T, fill?: (v: T) => void): T {
    const key = JSON.stringify(v);
    const kept = this.pool.get(key);
    if (kept !== undefined) return kept as T;
    fill?.(v);
    this.pool.set(key, Object.freeze(v));
    return v;
  }

  /** one() for a list of names and nulls. Names hold no control character: NUL stands for null, SOH ends each item. */
  private names<T extends (string | null)[]>(list: T): T {
    let key = '';
    for (const x of list) key += `${x === null ? '\u0000' : x}\u0001`;
    const kept = this.lists.get(key);
    if (kept !== undefined) return kept as T;
    this.lists.set(key, Object.freeze(list) as T);
    return list;
  }

  private type(t: TypeExpr): TypeExpr {
    return this.one(t, (x) => {
      if (x.k === 'field') x.of = this.type(x.of);
    });
  }

  private call(c: CallFact): void {
    c.args = this.names(c.args);
    if (c.recv) c.recv = this.type(c.recv);
    if (c.argMembers) c.argMembers = this.one(c.argMembers, (list) => list.forEach((m, i) => (list[i] = this.one(m, (x) => (x.root = this.type(x.root))))));
    if (c.refs) {
      const member = (r: { root: TypeExpr; path: string[] }): void => {
        r.root = this.type(r.root);
        r.path = this.names(r.path);
      };
      c.refs = this.one(c.refs, (list) => list.forEach((r, i) => (list[i] = r && this.one(r, member))));
    }
  }

  private binding(b: BindingFact): void {
    b.root = this.type(b.root);
    b.path = this.names(b.path);
    if (b.from) b.from = this.one(b.from, (x) => ((x.root = this.type(x.root)), (x.path = this.names(x.path))));
    if (b.call) b.call.args = this.names(b.call.args);
  }

  /** Replaces, in place, the repeated values of `f` (argument lists, type expressions, parameters, member paths) by the pool's frozen copies. */
  file(f: FileFacts): void {
    for (const fn of f.functions) {
      fn.params = this.one(fn.params, (list) => list.forEach((p, i) => (list[i] = this.one(p))));
      for (const c of fn.calls) this.call(c);
    }
    for (const m of f.macros) {
      m.params = this.names(m.params);
      for (const c of m.calls) this.call(c);
    }
    for (const b of f.bindings) this.binding(b);
  }
}
