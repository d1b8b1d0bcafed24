import type { VarFact } from '../types/facts.js';

/** Names visible in a function body: its parameters, then its locals (locals shadow globals). */
export class Scope {
  private readonly vars = new Map<string, VarFact>();
  private readonly paramIndex = new Map<string, number>();

  constructor(params: VarFact[]) {
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

  /** Index of the parameter of that name, or -1 (also when a local shadows nothing). */
  param(name: string): number {
    return this.paramIndex.get(name) ?? -1;
  }
}
