import type { VarFact } from '../types/facts.js';

/** Names visible in a function body: its parameters, then its locals (locals shadow globals). */
export class Scope {
  private readonly vars = new Map<string, VarFact>();
  private readonly paramIndex = new Map<string, number>();
  private readonly calledParams = new Set<string>();
  private readonly paramNames: string[];

  constructor(params: VarFact[]) {
    this.paramNames = params.map((p) => p.name);
    params.forEach((p, i) => {
      this.vars.set(p.name, p);
      this.paramIndex.set(p.name, i);
    });
  }

  addLocal(v: VarFact): void {
    if (!this.paramIndex.has(v.name)) this.vars.set(v.name, v);
  }

  get(name: string): VarFact | undefined {
    return this.vars.get(name);
  }

  /**
   * Notes the parameters `calls` call (CallFact.param), read before the body's assignments: a
   * function stored or loaded into such a parameter in the body (`if (!open) open = f->f_op->open;`
   * in fs/open.c do_dentry_open) is one it may call, kept as a store into a local of that name.
   */
  noteCalledParameters(calls: readonly { param?: number }[]): void {
    for (const c of calls) if (c.param !== undefined && this.paramNames[c.param] !== undefined) this.calledParams.add(this.paramNames[c.param]!);
  }

  /** True for a parameter whose stores the body's calls of it can see (noteCalledParameters): one assigned like a local pointer. */
  assignable(name: string): boolean {
    return !this.paramIndex.has(name) || this.calledParams.has(name);
  }

  /** True when `name` is a local variable here, no parameter. */
  isLocal(name: string): boolean {
    return this.vars.has(name) && !this.paramIndex.has(name);
  }

  /** Index of the parameter of that name, or -1 (also when a local shadows nothing). */
  param(name: string): number {
    return this.paramIndex.get(name) ?? -1;
  }
}

/** The positions of `args` (CallFact.args: names passed, by value or address) naming a local variable of `scope` (CallFact.locals). */
export function localArgs(args: readonly (string | null)[], scope: Scope): number[] {
  return args.flatMap((a, i) => (a !== null && scope.isLocal(a) ? [i] : []));
}
