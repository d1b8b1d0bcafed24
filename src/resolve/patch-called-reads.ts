import type { CodeIndex } from '../index/code-index.js';
import type { EvidenceAppender } from './append-evidence.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { type EdgeSplice, edgeRowsWriter } from './edge-splice.js';
import { type KeyedBound, keyedEvidence } from './patch-slot-flow.js';
import type { SlotFlowRecord } from './slot-flow-record.js';
import { hasColumn, scanCallersEdges, storedColumn } from './stored-column.js';

const CALLBACK = kindId('callback-arg');
const SPAN = 2 ** 20;

/** The call sites of the record's CalledReads, as node * 2^20 + call site (DefinitionPatchInput.calledReads). */
export function calledReadKeys(flow: SlotFlowRecord | undefined): Set<number> {
  const keys = new Set<number>();
  const { calledNode, calledSite } = flow ?? {};
  if (calledNode && calledSite) for (let i = 0; i < calledNode.length; i++) keys.add(calledNode[i]! * SPAN + calledSite[i]!);
  return keys;
}

/**
 * The record's CalledReads (SlotFlowRecord.calledNode...) after a patch moved nodes (`map`: old ->
 * new, -1 gone; null when none moved): a read whose caller went is dropped; one whose caller
 * stands in an edited file (`editedFiles`, file ids of `index`, the patched index) is dropped too,
 * and its slot joins readSlots, which a patch does not follow: its call site, its local's load
 * and its evidence may have changed with the edit. `key` gives a slot's key from its string id.
 */
export function movedCalledReads(flow: SlotFlowRecord, map: Int32Array | null, index: CodeIndex, editedFiles: ReadonlySet<number>, key: (slot: number) => string, hash: (key: string) => number): SlotFlowRecord {
  const { calledNode, calledSite, calledSlot, calledStart, calledChain } = flow;
  if (!calledNode || !calledSite || !calledSlot || !calledStart || !calledChain) return flow;
  const kept: number[] = [];
  const unfollowed: number[] = [];
  for (let i = 0; i < calledNode.length; i++) {
    const node = map ? map[calledNode[i]!]! : calledNode[i]!;
    if (node < 0) continue;
    if (editedFiles.has(index.nodeFile[node]!)) unfollowed.push(hash(key(calledSlot[i]!)));
    else kept.push(i);
  }
  if (kept.length === calledNode.length && !map) return flow;
  const chain: number[] = [];
  const start = [0];
  for (const i of kept) {
    for (let c = calledStart[i]!; c < calledStart[i + 1]!; c++) chain.push(calledChain[c]!);
    start.push(chain.length);
  }
  return {
    ...flow,
    readSlots: unfollowed.length ? Uint32Array.from(new Set([...flow.readSlots, ...unfollowed])).sort() : flow.readSlots,
    calledNode: Int32Array.from(kept, (i) => (map ? map[calledNode[i]!]! : calledNode[i]!)),
    calledSite: Int32Array.from(kept, (i) => calledSite[i]!),
    calledSlot: Int32Array.from(kept, (i) => calledSlot[i]!),
    calledStart: Int32Array.from(start),
    calledChain: Int32Array.from(chain),
  };
}

/**
 * Makes again, as bindThroughParams' callbacks would, the callback-arg edges of each CalledRead
 * of `flow` whose slot changed (`finals`: slot string id -> its bindings now, in the binding
 * table's order, patch-slot-flow.ts replayFlow): the old run of the site's callback-arg edges is
 * replaced by one edge per function the slot holds now, each with the read's evidence then its
 * binding's, deferred as the old run was. Pushes the splices to `splices` (applied with the
 * binding patch's others). Returns how many sites it made again, or why not: a site with no edge
 * before (where a resolution puts its first is not kept), a slot left with no function (the call
 * takes none then, and the next patch would find no run), edges of the site not together, or the
 * graph without call sites.
 */
export function calledReadSplices(index: CodeIndex, edges: EdgeSnapshot, evidence: EvidenceAppender, flow: SlotFlowRecord, finals: ReadonlyMap<number, readonly KeyedBound[]>, key: (slot: number) => string, splices: EdgeSplice[]): number | string {
  const { calledNode, calledSite, calledSlot, calledStart, calledChain } = flow;
  if (!calledNode || !calledSite || !calledSlot || !calledStart || !calledChain) return 0;
  const wanted = new Map<number, number>();
  for (let i = 0; i < calledNode.length; i++) if (finals.has(calledSlot[i]!)) wanted.set(calledNode[i]! * SPAN + calledSite[i]!, i);
  if (wanted.size === 0) return 0;
  if (!hasColumn(edges, 'site')) return 'a member passed where it is called changed, and the cached graph has no call sites';
  const at = { kind: storedColumn(edges, 'kind')!, site: storedColumn(edges, 'site')!, line: storedColumn(edges, 'line')!, deferred: storedColumn(edges, 'deferred')! };
  /** Per wanted site: its first and last callback-arg edge and how many it has. */
  const runs = new Map<number, [number, number, number]>();
  scanCallersEdges(edges, index.nodeCount, new Set(Array.from(wanted.values(), (i) => calledNode[i]!)), (e, x) => {
    if (at.kind.at(e) !== CALLBACK) return;
    const k = x * SPAN + at.site.at(e);
    if (!wanted.has(k)) return;
    const run = runs.get(k);
    if (run) [run[1], run[2]] = [e, run[2] + 1];
    else runs.set(k, [e, e, 1]);
  });
  for (const [k, i] of wanted) {
    const node = calledNode[i]!;
    const slot = key(calledSlot[i]!);
    const run = runs.get(k);
    if (!run) return `${slot} is passed where it is called by ${index.name(node)}, which had no edge through it before (where a resolution puts the first is not kept)`;
    if (run[1] - run[0] + 1 !== run[2]) return `the callback-arg edges of ${index.name(node)} passing ${slot} are not together in the edge list`;
    const now = finals.get(calledSlot[i]!)!;
    if (now.length === 0) return `${slot} went from bindings to none, and ${index.name(node)} passes it where it is called`;
    const prefix: Evidence[] = [];
    for (let c = calledStart[i]!; c < calledStart[i + 1]!; c++) {
      if (calledChain[c]! < 0) return `no edge shows how ${index.name(node)} passes ${slot} where it is called`;
      prefix.push(evidence.at(calledChain[c]!));
    }
    const line = at.line.at(run[0]);
    const rows = now.map((b) => ({ caller: node, site: calledSite[i]!, line, target: b.target, proof: evidence.set([...prefix, ...keyedEvidence(b.keys, evidence, slot)]) }));
    splices.push({ start: run[0], end: run[1] + 1, count: rows.length, write: edgeRowsWriter(rows, CALLBACK, at.deferred.at(run[0]) ? 1 : 0) });
  }
  return wanted.size;
}
