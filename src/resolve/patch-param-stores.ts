import type { CodeIndex } from '../index/code-index.js';
import { directTargets } from './bind-direct.js';
import { storedInOrder, storedText } from './bind-through-functions.js';
import { kindId } from './edge-kind.js';
import type { Evidence } from './edge-list.js';
import { paramNames } from './kept-bodies.js';
import { mayCall, pairsBelow, type WalkUse, walkUp } from './param-walk.js';
import { ParamUseTable } from './param-use-table.js';
import { PARAM_SPAN, unpackParamUse } from './propagate-params.js';
import { forEachDirectEdge } from './resolve.js';
import { GONE, type SlotFlowRecord } from './slot-flow-record.js';

const PARAM_TO_FIELD = kindId('param-to-field');

/** A binding a parameter store makes from a call site: the slot (a record string id), the function, the call site passing it, its evidence. */
export interface StoredRow {
  slot: number;
  target: number;
  caller: number;
  site: number;
  evidence: Evidence;
}

/**
 * The bindings the stores' walk of a full resolution (bindStored: propagateParams from the
 * parameter stores, onPassed) makes from the call sites of `callers` (nodes of the patched index
 * `index`), in the binding table's order (storedInOrder): each function a call passes by name into
 * a parameter stored into a member, below any wrappers passing it on, once per store the walk from
 * it reaches, with the evidence a resolution writes. The walk is restricted to the pairs below the
 * ones the callers pass into (param-walk.ts), from the seeds of `flow` (the record moved to the
 * patched ids, their lines where they are now: -1 where an edit left that untold). `slotKey` names a
 * record string id. Returns why not: a seed's line is not known, or the graph keeps no paramUses.
 */
export function storedArguments(index: CodeIndex, paramUses: Int32Array | undefined, flow: SlotFlowRecord, slotKey: (id: number) => string, callers: ReadonlySet<number>): StoredRow[] | string {
  if (!paramUses || !flow.seedNode || !flow.seedParam || !flow.seedSlot || !flow.seedLine) return 'the cached graph keeps no record of the parameter stores';
  const uses = new ParamUseTable(paramUses);
  const callees = new Set<number>();
  for (let i = 0; i < paramUses.length; i += 2) if (unpackParamUse(paramUses[i + 1]!).kind === 'stored') callees.add(paramUses[i]!);
  // The pairs the callers pass a name other than their own parameter into, where it is stored.
  const roots: [number, number][] = [];
  for (const x of callers) {
    const params = paramNames(index, x);
    for (const call of index.calls(x)) {
      if (!mayCall(index, call, callees)) continue;
      forEachDirectEdge(index, x, call, (target) => {
        call.args.forEach((a, i) => {
          if (a !== null && !params.includes(a) && uses.of(target, i)?.has('stored')) roots.push([target, i]);
        });
      });
    }
  }
  if (roots.length === 0) return [];
  const below = pairsBelow(index, roots, callers, (node, param) => !!uses.of(node, param)?.has('stored'));
  const seeds: WalkUse[] = [];
  for (let k = 0; k < flow.seedNode.length; k++) {
    const node = flow.seedNode[k]!;
    if (below.relevant.has(node * PARAM_SPAN + flow.seedParam[k]!)) seeds.push({ node, param: flow.seedParam[k]!, user: index.name(node), where: `${index.file(node)}:${flow.seedLine[k]}`, seed: k });
  }
  const rows: StoredRow[] = [];
  let why: string | null = null;
  walkUp(index, seeds, below, (use, caller, site, call, arg) => {
    // A member or a local passed where it is stored is a copy (SlotCopies.fill), which a patch keeps as it was.
    if (!callers.has(caller) || !arg) return false;
    const targets = directTargets(index, index.nodeFile[caller]!, arg).filter((t) => !index.isMacro(t));
    if (targets.length && flow.seedLine![use.seed]! < 0) {
      why = `the line of the store of ${use.user}'s parameter ${use.param + 1} into a member is not known after the edit`;
      return true;
    }
    const slot = flow.seedSlot![use.seed]!;
    const key = slotKey(slot);
    const at = key.lastIndexOf('.');
    for (const target of targets) {
      const text = storedText(index.name(target), index.name(caller), index.name(use.node), use.via, { holder: key.slice(0, at), field: key.slice(at + 1) }, use.user, use.where);
      rows.push({ slot, target, caller, site, evidence: { file: index.file(caller), line: call.line, text } });
    }
    return false;
  });
  return why ?? rows.sort(storedInOrder);
}

/**
 * The flow record with the adds of parameter stores made from the call sites of `callers` (and
 * those of callers or call sites gone: GONE) replaced by `rows` (storedArguments), at the place a
 * resolution gives them: the adds of parameter stores stand together from SlotFlowRecord.storedAt
 * in storedInOrder. The kept ones are put in that order again first (a patch that renumbered nodes
 * may have moved callers past each other; one whose ties keep their order, as their texts do), and
 * no kept one shares a caller with a row. `ref` gives a new evidence its id among the edges'.
 * Returns the record and the slots whose adds changed or moved, or why not: the record keeps no call sites.
 */
export function withStoredRows(flow: SlotFlowRecord, callers: ReadonlySet<number>, rows: readonly StoredRow[], ref: (e: Evidence) => number): { flow: SlotFlowRecord; changed: Set<number> } | string {
  const { addCaller, addSite, storedAt } = flow;
  if (!addCaller || !addSite || storedAt === undefined) return 'the cached graph keeps no record of the call sites functions are stored from';
  const changed = new Set<number>();
  const kept: number[] = [];
  for (let i = 0; i < addCaller.length; i++) {
    const caller = addCaller[i]!;
    if (caller !== -1 && (caller === GONE || addSite[i] === GONE || callers.has(caller))) changed.add(flow.addSlot[i]!);
    else kept.push(i);
  }
  for (const r of rows) changed.add(r.slot);
  // The kept adds of parameter stores in the order a resolution gives them (a stable sort: ties keep the order of their texts).
  const block = kept.filter((i) => addCaller[i] !== -1);
  const sorted = [...block].sort((x, y) => addCaller[x]! - addCaller[y]! || addSite[x]! - addSite[y]! || flow.addTarget[x]! - flow.addTarget[y]!);
  sorted.forEach((i, k) => i !== block[k] && changed.add(flow.addSlot[i]!));
  if (changed.size === 0) return { flow, changed };
  type Out = { slot: number; target: number; kind: number; chain: ArrayLike<number>; caller: number; site: number };
  const out: Out[] = [];
  const keptRow = (i: number): Out => ({ slot: flow.addSlot[i]!, target: flow.addTarget[i]!, kind: flow.addKind[i]!, chain: flow.addChain.subarray(flow.addStart[i]!, flow.addStart[i + 1]!), caller: addCaller[i]!, site: addSite[i]! });
  const newRow = (r: StoredRow): Out => ({ slot: r.slot, target: r.target, kind: PARAM_TO_FIELD, chain: [ref(r.evidence)], caller: r.caller, site: r.site });
  // Before the block, the block (kept adds and rows merged by caller and site: no two share a caller), after it.
  for (const i of kept) if (i < storedAt) out.push(keptRow(i));
  let next = 0;
  for (const i of sorted) {
    while (next < rows.length && (rows[next]!.caller - addCaller[i]! || rows[next]!.site - addSite[i]!) < 0) out.push(newRow(rows[next++]!));
    out.push(keptRow(i));
  }
  while (next < rows.length) out.push(newRow(rows[next++]!));
  for (const i of kept) if (i >= storedAt && addCaller[i] === -1) out.push(keptRow(i));
  const addStart = new Int32Array(out.length + 1);
  out.forEach((o, k) => (addStart[k + 1] = addStart[k]! + o.chain.length));
  const addChain = new Int32Array(addStart[out.length]!);
  out.forEach((o, k) => addChain.set(o.chain, addStart[k]!));
  return {
    flow: {
      ...flow,
      addSlot: Int32Array.from(out, (o) => o.slot),
      addTarget: Int32Array.from(out, (o) => o.target),
      addKind: Uint8Array.from(out, (o) => o.kind),
      addStart,
      addChain,
      addCaller: Int32Array.from(out, (o) => o.caller),
      addSite: Int32Array.from(out, (o) => o.site),
    },
    changed,
  };
}

/** The flows of a binding patch: the record moved before the stores' adds were made again and after, and the slots whose adds changed. */
export interface StoredFlows {
  before: SlotFlowRecord;
  after: SlotFlowRecord;
  changed: Set<number>;
}

/**
 * The flow record moved by a patch (moveFlow) with the lines of the stores of edited files moved
 * (`lines`, per file id: old line -> new, undefined where not told: -1 then), and the adds of
 * parameter stores made again for `callers` and for the callers and call sites gone
 * (storedArguments, withStoredRows), the kept ones put in order again when nodes were renumbered
 * (`renumbered`). `slotKey` names a record string id, `ref` gives a new evidence its id among the
 * edges'. Returns why not.
 */
export function patchStoredAdds(flow: SlotFlowRecord, index: CodeIndex, paramUses: Int32Array | undefined, callers: ReadonlySet<number>, renumbered: boolean, lines: ReadonlyMap<number, (old: number) => number | undefined>, slotKey: (id: number) => string, ref: (e: Evidence) => number): StoredFlows | string {
  if (flow.seedNode && flow.seedLine && lines.size) {
    const seedLine = Int32Array.from(flow.seedLine);
    for (let k = 0; k < seedLine.length; k++) {
      const move = lines.get(index.nodeFile[flow.seedNode[k]!]!);
      if (move && seedLine[k]! >= 0) seedLine[k] = move(seedLine[k]!) ?? -1;
    }
    flow = { ...flow, seedLine };
  }
  const gone = !!flow.addCaller?.some((c, i) => c === GONE || flow.addSite![i] === GONE);
  if (callers.size === 0 && !gone && !(renumbered && flow.addCaller)) return { before: flow, after: flow, changed: new Set() };
  const rows = callers.size ? storedArguments(index, paramUses, flow, slotKey, callers) : [];
  if (typeof rows === 'string') return rows;
  const swapped = withStoredRows(flow, callers, rows, ref);
  if (typeof swapped === 'string') return swapped;
  return { before: flow, after: swapped.flow, changed: swapped.changed };
}
