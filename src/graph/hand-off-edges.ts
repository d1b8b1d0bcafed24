import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import type { EdgeList } from '../resolve/edge-list.js';

/**
 * A test of edges (EdgeList ids) for hand-offs: deferred edges made at a call by name of another
 * function, which files work for later (`mod_timer(&adapter->watchdog_timer, ...)` in Linux 6.1's
 * e1000_watchdog_task, drivers/net/ethernet/intel/e1000e/netdev.c, to the timer function
 * e1000_watchdog; `raise_softirq(NET_TX_SOFTIRQ)` to net_tx_action: resolve/bind-object-hand-offs.ts,
 * bind-hand-offs.ts). The handler runs later in another context, so a stack trace or an ftrace
 * function graph never shows it above that caller. The other deferred edges are the dispatchers'
 * pointer calls (`worker->current_func(work)` in process_one_work), which do call the handler on
 * their own stack: not hand-offs. The call is the edge's site (EdgeList.siteOf), else every call
 * on its line (an edge with no site: a hand-off when each is a call by name of another function).
 * Reads the caller's facts for a deferred edge only, each answer kept; with facts unreadable (an
 * index export) no edge is one.
 */
export function handOffTest(index: CodeIndex, edges: EdgeList): (edge: number) => boolean {
  const known = new Map<number, boolean>();
  return (edge: number): boolean => {
    if (!edges.isDeferred(edge) || !index.factsReadable) return false;
    let answer = known.get(edge);
    if (answer === undefined) known.set(edge, (answer = isHandOff(index, edges, edge)));
    return answer;
  };
}

function isHandOff(index: CodeIndex, edges: EdgeList, edge: number): boolean {
  const from = edges.from.get(edge);
  if (index.isExternal(from)) return false;
  const calls = index.calls(from);
  const site = edges.siteOf(edge);
  const line = edges.lineOf(edge);
  const made = site >= 0 && calls[site] ? [calls[site]!] : calls.filter((c) => c.line === line);
  const callee = index.name(edges.to.get(edge));
  return made.length > 0 && made.every((c) => callsAnother(c, callee));
}

/** Whether a call is a plain call by name (no member, local, parameter or array) of a name other than `callee`. */
const callsAnother = (c: CallFact, callee: string): boolean =>
  c.name !== undefined && c.name !== callee && c.field === undefined && c.var === undefined && c.param === undefined && c.array === undefined && !c.expandsTo?.includes(callee);
