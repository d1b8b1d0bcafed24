import type { Evidence } from './edge-list.js';

/**
 * Who reads a member slot's functions outside the copies' settle (BindingTable.forSlot's reader,
 * told to the binding record): a load into a pointer variable (`'load'`), a callback argument
 * (`'callback'`: the member, or a local loaded from it, passed where a function calls its
 * parameter), or another reader (undefined).
 */
export type SlotReader = 'load' | 'callback';

/**
 * A call site passing the functions one member holds where a function calls its parameter, and
 * nothing else there: the member itself (`pf_call_fn(t, o->fire)`), or a local loaded from it, as
 * Linux 6.1's kernel/time/timer.c expire_timers does (`fn = timer->function; ...
 * call_timer_fn(timer, fn, baseclk);`, which makes a callback-arg edge to each of some thousand
 * timer handlers). Its callback-arg edges are the member's functions in the binding table's
 * order, each with `prefix` (the callback's evidence, then how the local got the member) before
 * the evidence of its binding, so that a patch changing what the member holds makes them again
 * (patch-called-reads.ts). `node` and `site` are the caller's node id and call site; `slot` the
 * member's slot key (`struct timer_list.function`).
 */
export interface CalledRead {
  node: number;
  site: number;
  slot: string;
  prefix: readonly Evidence[];
}

const SPAN = 2 ** 20;

/**
 * Collects, as bindThroughParams binds callbacks, each call site's ways of getting callback-arg
 * edges: a function passed by name (`named`), or a member or local passed (`passed`, with the one
 * slot it holds, null when it holds several or functions by name too). `done` tells apart the
 * sites a CalledRead describes (one pass, of one slot, nothing by name) from the others, whose
 * slots a patch does not follow (SlotFlowRecord.readSlots).
 */
export class CalledReadCollector {
  private readonly sites = new Map<number, { node: number; site: number; slot: string | null; prefix: readonly Evidence[]; passes: number; named: boolean }>();

  private at(node: number, site: number) {
    const key = node * SPAN + site;
    let s = this.sites.get(key);
    if (!s) this.sites.set(key, (s = { node, site, slot: null, prefix: [], passes: 0, named: false }));
    return s;
  }

  /** A function passed by name at the call site. */
  named(node: number, site: number): void {
    this.at(node, site).named = true;
  }

  /**
   * A member or a local passed at the call site, holding the functions of `slots` (keys); `single`
   * when it holds one slot's and nothing else, `prefix` the evidence before each binding's then.
   */
  passed(node: number, site: number, slots: readonly string[], single: boolean, prefix: readonly Evidence[]): void {
    const s = this.at(node, site);
    if (++s.passes === 1 && single) [s.slot, s.prefix] = [slots[0]!, prefix];
    else for (const o of slots) this.impureSlots.add(o);
  }

  private readonly impureSlots = new Set<string>();

  /** The CalledReads, by node and call site, and the slots read at any other site. */
  done(): { pure: CalledRead[]; impure: Set<string> } {
    const pure: CalledRead[] = [];
    for (const s of [...this.sites.values()].sort((a, b) => a.node - b.node || a.site - b.site)) {
      if (s.slot === null) continue;
      if (s.passes === 1 && !s.named) pure.push({ node: s.node, site: s.site, slot: s.slot, prefix: s.prefix });
      else this.impureSlots.add(s.slot);
    }
    return { pure, impure: this.impureSlots };
  }
}
