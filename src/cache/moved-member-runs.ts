import { isPlainMemberCall } from '../resolve/member-call-edits.js';
import type { IndexSnapshot } from '../index/node-flags.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import type { SiteRunRow } from '../resolve/add-member-sites.js';
import { hasColumn, scanColumns } from '../resolve/stored-column.js';
import type { EditedFile } from './definition-patch.js';

/** Call sites fit in 20 bits: (node, site) pairs make one safe integer key. */
const SPAN = 1 << 20;

/**
 * True when the edits both take a call through a member out (with its function, or from a body)
 * and add one (in a function added, or to a body): only then may a site added take the edges of
 * one taken out (a function renamed, a call moved to another function), and the cached graph's
 * runs are worth reading before the patch changes them (editedSiteRuns).
 */
export function mayMoveMemberCalls(edited: readonly EditedFile[]): boolean {
  const lost = edited.some((t) => t.plan.removed.some((i) => t.before.functions[i]!.calls.some(isPlainMemberCall)) || t.plan.diff.bodies.some((b) => !b.macro && b.removed.some(isPlainMemberCall)));
  return lost && edited.some((t) => t.plan.added.some((i) => t.after.functions[i]!.calls.some(isPlainMemberCall)) || t.plan.diff.bodies.some((b) => !b.macro && b.added.some(isPlainMemberCall)));
}

/**
 * The cached graph's edges of the edited files' functions (`files`, file ids of `index`, the
 * cached graph's index), read before the patch changes `edges`: per caller and call site
 * (old node id * 2^20 + call site), its edges in order with their rows. A site over the fallback
 * cap (EdgeSnapshot.overCap) is left out: its edges are not its member's bindings. Empty when the
 * graph has no call sites. One pass over the callers', sites', callees', kinds' and evidence columns as
 * stored (scanColumns), the edited files' rows kept.
 */
export function editedSiteRuns(edges: EdgeSnapshot, index: Pick<IndexSnapshot, 'nodeFile'>, files: ReadonlySet<number>): Map<number, SiteRunRow[]> {
  const runs = new Map<number, SiteRunRow[]>();
  if (!hasColumn(edges, 'site')) return runs;
  const interest = new Uint8Array(index.nodeFile.length);
  for (let n = 0; n < interest.length; n++) if (files.has(index.nodeFile[n]!)) interest[n] = 1;
  const overCap = new Set<number>();
  for (let i = 0; edges.overCap && i < edges.overCap.length; i += 4) overCap.add(edges.overCap[i]! * SPAN + edges.overCap[i + 1]!);
  scanColumns(edges, ['from', 'site', 'to', 'kind', 'proof'] as const, (rows, start, count) => {
    const { from, site, to, kind, proof } = rows as Record<'from' | 'site' | 'to' | 'kind' | 'proof', Int32Array>;
    for (let i = 0; i < count; i++) {
      if (!interest[from[i]!]) continue;
      const key = from[i]! * SPAN + site[i]!;
      if (overCap.has(key)) continue;
      (runs.get(key) ?? runs.set(key, []).get(key)!).push({ to: to[i]!, kind: kind[i]!, proof: proof[i]!, at: start + i });
    }
  });
  return runs;
}
