import { tagOf } from './split-tags.js';
import type { CodeIndex } from '../index/code-index.js';
import { macroStoreUses } from './bind-macro-stores.js';
import { pointerVariableNames, resolvePointerVariables } from './bind-pointer-vars.js';
import { type BindingTable, collectBindings } from './binding-table.js';
import type { BindingRecorder } from './binding-record.js';
import { type FlowStores, resolveFlows } from './bind-flows.js';
import { collectGarbage } from '../util/collect-garbage.js';
import { forgetNameBindings } from './definition-scope.js';
import { callbackEvidenceText } from './callback-evidence.js';
import { CalledReadCollector } from './called-reads.js';
import { SlotCopies } from './copy-slots.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';
import { holdsNoFunction } from './function-holders.js';
import { CallersIndex } from './callers-index.js';
import { packParamUse, type ParamUse, type ParamUseKind, propagateParams } from './propagate-params.js';
import { type Slot, slotKey, type TypeModel } from './type-model.js';
import { type SiteSurvey, surveyed } from './site-survey.js';

/**
 * The bindings made through functions, in resolveEdges' order: the tree's initializers and
 * assignments (collectBindings), functions stored through parameters, out-parameters and returned
 * functions (resolveFlows), member copies, callbacks called through parameters (callback-arg
 * edges) and pointer variables; sets `edges.paramUses`. Returns the binding table, watched by
 * `record` (the caller sets `table.watch` to null when it no longer records), and the pointer
 * variable sites bound. The working tables (the callers' index, the copies, the flows) are not
 * returned: a kernel's are some hundreds of megabytes that the caller's later phases do not need.
 * With `survey`, each step reads the calls of the nodes it lists for it alone (site-survey.ts).
 */
export function bindThroughFunctions(index: CodeIndex, edges: EdgeList, types: TypeModel, globalCalls: ReadonlySet<string>, record?: BindingRecorder, survey?: SiteSurvey): { table: BindingTable; pointerBound: Set<string> } {
  const { table, flows, stored, called } = bindThroughParams(index, edges, types, record, survey);
  // The callers' index and the copies are garbage now (and the decisions by name made since the last collection); the flows are the last working table the pointer variables need.
  forgetNameBindings(index);
  collectGarbage();
  const pointerBound = resolvePointerVariables(index, edges, globalCalls, types, table, flows, survey?.pointerCallers);
  for (const site of flows.bound) pointerBound.add(site);
  // Each pair tagged with why it is followed and its depth (packParamUse): what a patch adding a function that passes its parameter on needs.
  const tagged = (pairs: [number, number, number][], kind: ParamUseKind): number[] => pairs.flatMap(([node, param, depth]) => [node, packParamUse({ param, kind, depth })]);
  edges.paramUses = Int32Array.from([...tagged(stored, 'stored'), ...tagged(called, 'called'), ...tagged(flows.outParams.map(([node, param]) => [node, param, 0]), 'out')]);
  return { table, pointerBound };
}

/**
 * bindThroughFunctions up to the pointer variables: the plain bindings, functions stored through
 * parameters, the flows, the copies and the callbacks called through parameters. Returns the
 * table, the flows and the pairs each propagation followed (propagateParams).
 */
function bindThroughParams(index: CodeIndex, edges: EdgeList, types: TypeModel, record?: BindingRecorder, survey?: SiteSurvey): { table: BindingTable; flows: FlowStores; stored: [number, number, number][]; called: [number, number, number][] } {
  const { table, callersOf, held, stored } = bindStored(index, edges, types, record);
  // The parameter stores, the member copies and their uses are garbage now, before the flows and the copies' settling grow the heap most;
  // so are the decisions by name the stores' propagation made (forgetNameBindings): the later steps ask about fewer names.
  forgetNameBindings(index);
  collectGarbage();
  // Out-parameters and returned functions fill variables and members (before the copies, which carry them on).
  const flows = resolveFlows(index, edges, types, table, pointerVariableNames(index.files), survey?.resultCallers);
  // Copies last among the ways a member gets a function, so that they carry every other one.
  held.settle();

  // Callbacks: a function (or macro) that calls its parameter reaches what its callers pass.
  const callUses: ParamUse[] = [];
  for (const node of surveyed(index, survey?.paramCallers)) {
    for (const call of index.calls(node)) {
      if (call.param !== undefined) callUses.push({ node, param: call.param, where: `${index.file(node)}:${call.line}`, user: index.name(node) });
    }
  }
  // Every way a function passed at a call site gets called makes one binding of the same edge.
  const callbacks = new Map<string, { caller: number; site: number; target: number; evidence: Evidence[] }>();
  const callback = (use: ParamUse, caller: number, site: number, target: number, what: string, chain: Evidence[]): void => {
    const key = `${caller}:${site}:${target}`;
    let edge = callbacks.get(key);
    if (!edge) callbacks.set(key, (edge = { caller, site, target, evidence: [] }));
    const text = callbackEvidenceText(what, index.name(use.node), use.user, use.via, use.where);
    edge.evidence.push({ file: index.file(caller), line: index.calls(caller)[site]!.line, text }, ...chain);
  };
  // Which sites pass one member's functions and nothing else, for the binding record (called-reads.ts).
  const reads = record ? new CalledReadCollector() : null;
  const called = propagateParams(
    index,
    edges,
    callersOf,
    callUses,
    (use, caller, site, target) => {
      reads?.named(caller, site);
      callback(use, caller, site, target, index.name(target), []);
    },
    (use, caller, site, arg) => {
      // A member or a local passed where it is called: each function it holds.
      const passed = held.argument(caller, site, arg);
      if (passed && reads) {
        const slots = passed.held.flatMap((h) => ('slot' in h ? [slotKey(h.slot)] : []));
        const prefix = [{ file: index.file(caller), line: index.calls(caller)[site]!.line, text: callbackEvidenceText(passed.what, index.name(use.node), use.user, use.via, use.where) }, ...passed.held[0]!.evidence];
        reads.passed(caller, site, slots, passed.held.length === 1 && slots.length === 1, prefix);
      }
      for (const f of passed ? held.functions(passed.held) : []) callback(use, caller, site, f.target, passed!.what, f.evidence);
    },
  );
  if (reads) record!.calledReads(reads.done());
  const callbackKind = kindId('callback-arg');
  for (const { caller, site, target, evidence } of callbacks.values()) {
    const line = index.calls(caller)[site]!.line;
    edges.add(caller, target, callbackKind, site, line, evidence);
  }

  return { table, flows, stored, called };
}

/**
 * The plain bindings (collectBindings, watched by `record` from here on) and the functions stored
 * through parameters into members (`napi->poll = poll` binds what callers pass as `poll`), with
 * the callers' index and the member copies the later steps read. Returns the pairs the propagation followed.
 */
function bindStored(index: CodeIndex, edges: EdgeList, types: TypeModel, record?: BindingRecorder): { table: BindingTable; callersOf: CallersIndex; held: SlotCopies; stored: [number, number, number][] } {
  const { table, stores, copies } = collectBindings(index, types, record);
  table.watch = record ?? null;
  if (record) table.takenLater = new Set();
  const callersOf = CallersIndex.of(index, edges);
  const held = new SlotCopies(index, types, table);
  for (const { file, b } of copies) held.copy(file, b);

  // Registration through parameters: `napi->poll = poll` binds what callers pass as `poll`.
  // Only where a function can flow: not a struct pointer stored into a struct pointer member (function-holders.ts).
  const narrow = new Set(index.profile.narrowTypes ?? []);
  const storeUses: ParamUse[] = [];
  for (const s of stores) {
    const file = index.files[s.file]!;
    const member = types.memberType(s.slot);
    if (member && holdsNoFunction(member.type, member.fnptr, narrow)) continue;
    for (const node of index.nodesNamed(s.fn)) {
      if (index.nodeFile[node] !== s.file || index.isMacro(node)) continue;
      const param = file.functions[index.nodeItem[node]!]!.params[s.param];
      if (param && holdsNoFunction(param.type, !!param.fnptr, narrow)) continue;
      storeUses.push({ node, param: s.param, where: `${file.path}:${s.line}`, slot: s.slot, user: s.fn });
    }
  }
  // Statement macros that store into a member (INIT_WORK and kin): names bind now, parameters are followed.
  storeUses.push(...macroStoreUses(index, types, table));
  // The walk's order depends on which callers come first; the table gets its bindings in an order a patch can tell (storedInOrder).
  const passed: StoredArgument[] = [];
  const stored = propagateParams(index, edges, callersOf, storeUses, (use, caller, site, target, line) => {
    const text = storedText(index.name(target), index.name(caller), index.name(use.node), use.via, use.slot!, use.user, use.where);
    passed.push({ slot: use.slot!, target, caller, site, evidence: { file: index.file(caller), line, text } });
  }, (use, caller, site, arg) => {
    // A member or a local passed where it is stored: the slot holds what it holds.
    const from = held.argument(caller, site, arg);
    if (!from) return;
    const text = `${from.what} passed by ${index.name(caller)} to ${index.name(use.node)}, stored in ${tagOf(use.slot!.holder)}.${use.slot!.field} by ${use.user} (${use.where})`;
    held.fill(use.slot!, from.held, [{ file: index.file(caller), line: index.calls(caller)[site]!.line, text }]);
  });
  // Every slot a parameter is stored into is written otherwise than by plain bindings, whether or not a call passes it a function yet.
  for (const u of storeUses) table.watch?.touched(slotKey(u.slot!));
  table.watch?.storeSeeds?.(storeUses.map((u) => ({ node: u.node, param: u.param, slot: slotKey(u.slot!), line: Number(u.where.slice(u.where.lastIndexOf(':') + 1)) })));
  for (const p of passed.sort(storedInOrder)) table.add(p.slot, p.target, 'param-to-field', p.evidence, p);
  return { table, callersOf, held, stored };
}

/** A function passed by name into a parameter stored into a member: the binding it makes, and the call site passing it. */
export interface StoredArgument {
  slot: Slot;
  target: number;
  caller: number;
  site: number;
  evidence: Evidence;
}

/**
 * The order the binding table gets the parameter stores' bindings in: by caller, call site, target,
 * then evidence text (which names the store and the wrappers between), the store's line read as a
 * number (so that lines moved alike keep the order). A resolution's walk (propagateParams) finds
 * them in an order that depends on every seed and caller; this one a patch adding a call can tell
 * from that call alone (patch-param-stores.ts).
 */
export function storedInOrder(a: Pick<StoredArgument, 'caller' | 'site' | 'target' | 'evidence'>, b: Pick<StoredArgument, 'caller' | 'site' | 'target' | 'evidence'>): number {
  return a.caller - b.caller || a.site - b.site || a.target - b.target || byStoreText(a.evidence.text, b.evidence.text);
}

/** Two storedText texts compared: the words before the store's place `(path:line)`, then the path, then the line as a number. */
function byStoreText(a: string, b: string): number {
  const [x, y] = [a.lastIndexOf(' ('), b.lastIndexOf(' (')];
  const [px, py] = [a.slice(0, x), b.slice(0, y)];
  if (px !== py) return px < py ? -1 : 1;
  const [wx, wy] = [a.slice(x + 2, -1), b.slice(y + 2, -1)];
  const [cx, cy] = [wx.lastIndexOf(':'), wy.lastIndexOf(':')];
  const [fx, fy] = [wx.slice(0, cx), wy.slice(0, cy)];
  if (fx !== fy) return fx < fy ? -1 : 1;
  return Number(wx.slice(cx + 1)) - Number(wy.slice(cy + 1));
}

/** The evidence text of a function `target` passed by `caller` to `node` (through the wrappers `via`), stored in `slot` by `user` at `where` (`path:line`). */
export function storedText(target: string, caller: string, node: string, via: readonly string[] | undefined, slot: Slot, user: string, where: string): string {
  const through = via ? `, through ${via.join(', ')}` : '';
  return `${target} passed by ${caller} to ${node}${through}, stored in ${tagOf(slot.holder)}.${slot.field} by ${user} (${where})`;
}
