import { CodeIndex, functionFlags, type IndexSnapshot, NodeFlag } from '../index/code-index.js';
import { kindId } from '../resolve/edge-kind.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import { ownStaticNames, seenByNone, valueMentions } from './value-mentions.js';
import { throughPointer } from './change-words.js';
import { editedSiteRuns, mayMoveMemberCalls } from './moved-member-runs.js';
import { callsAny, type KeptNode } from '../resolve/kept-bodies.js';
import { GraphPatch } from '../resolve/patch-graph.js';
import { callersInOrder } from '../resolve/caller-phases.js';
import { firstWhy } from '../resolve/simple-calls.js';
import { patchCallbacks } from '../resolve/patch-callbacks.js';
import { patchHandOffs } from './patch-hand-offs.js';
import { patchRegistrations } from '../resolve/patch-registrations.js';
import { dispatchTableNamesReason } from '../resolve/bind-dispatch-tables.js';
import { isPlainMemberCall, withMemberPairs } from '../resolve/member-call-edits.js';
import { addedParamUses, removedParamUsesReached, withParamUses } from '../resolve/patch-param-uses.js';
import { callsOfNamed, macrosExpandingNames } from '../resolve/patch-expansion.js';
import { type FileNode, renumberEdges, renumberNodes } from '../resolve/renumber-nodes.js';
import { hasColumn } from '../resolve/stored-column.js';
import { keptParamUses, type ParamUseChange, withParamUseChange } from '../resolve/patch-kept-param-uses.js';
import { snapshotIndex } from './snapshot-index.js';
import type { CallFact, FileFacts, FunctionFact } from '../types/facts.js';
import { reboundIn, withoutReboundCalls } from './rebound-calls.js';
import { storedResultsReason } from './stored-results.js';
import { externalsNeeded, withExternalEdges } from './external-edges.js';
import { identityMap, isIdentityMap, nodesInFiles } from './edited-nodes.js';
import { closeRooms } from '../util/shared-arrays.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');
const CALLBACK = kindId('callback-arg');
const DISPATCH = kindId('dispatch-table');
/** Kinds of edges into a function that the binding patch makes again when it is removed: member bindings, the signature fallback and the field-name fallback (patch-field-names.ts). */
const PARAM_TO_FIELD = kindId('param-to-field');
const REBOUND = new Set(['ops-initializer', 'ops-assignment', 'signature', 'field-name'].map((k) => kindId(k as 'signature')));

import type { DefinitionPatch, DefinitionPatchInput, EditedFile } from './definition-patch.js';
export type { DefinitionPatch, DefinitionPatchInput, EditedFile } from './definition-patch.js';

/** An index over a snapshot whose files' facts are read through `factsOf`, with its binding oracles. */
function indexOver(input: DefinitionPatchInput, snapshot: IndexSnapshot, edited: Map<number, FileFacts>, scope = input.scope): CodeIndex {
  const index = snapshotIndex(input.root, input.profile, snapshot);
  index.readFactsFrom((at) => edited.get(at) ?? input.factsOf(at));
  index.bindingScope = scope(index);
  return index;
}

/**
 * Patches a cached graph for edited files whose functions may have been added, removed or renamed
 * (planFileEdit), and whose calls may name functions defined nowhere until now: the nodes are
 * renumbered as a fresh index would number them (renumberNodes), the kept bodies patched
 * (GraphPatch.applyBodies), the bodies of new functions bound, every call by a name whose
 * definitions changed bound again, and external nodes made or dropped. Returns the reason when
 * the patch cannot be exact: a name of a changed definition mentioned as a value somewhere (it
 * may be bound through a pointer: mentionBuckets), defined as a macro or as another global
 * function, or a definition removed that functions reach through pointers or parameters.
 */
/** The index renumbered for the edited files' definitions, its edges with the calls of changed names taken out, and those calls. */
interface Prepared {
  index0: CodeIndex;
  index1: CodeIndex;
  edges1: EdgeSnapshot;
  /** Old node -> node of index1. */
  map: Int32Array;
  oldNodes: Map<number, { functions: number[]; macros: number[] }>;
  files: Map<number, FileNode[]>;
  /** Calls by a changed name in files not edited, by old caller and site. */
  rebind: { node: number; site: number }[];
  /** The snapshot index1 was made from. */
  snapshot1: IndexSnapshot;
  /** The changed names, and the macros whose calls bind one of them where they are expanded (patch-expansion.ts): calls of these are bound again. */
  callNames: ReadonlySet<string>;
  /** [file, old line] of the calls of removed functions that passed a function where it is called (GraphPatch.forgetLine). */
  removedCallbackLines: [number, number][];
  /** Old callers with a callback-arg edge to a removed function, whose callback-arg edges are made again. */
  callbacksToRemoved: number[];
}

/** The old nodes of each edited file, by (macro, item). */
function nodesOfFiles(index: CodeIndex, edited: EditedFile[]): Map<number, { functions: number[]; macros: number[] }> {
  const oldNodes = new Map<number, { functions: number[]; macros: number[] }>(edited.map((t) => [t.at, { functions: [], macros: [] }]));
  const { nodeFile, nodeItem } = index;
  for (const n of nodesInFiles(index, oldNodes.keys())) {
    const rows = oldNodes.get(nodeFile[n]!)!;
    (index.isMacro(n) ? rows.macros : rows.functions)[nodeItem[n]!] = n;
  }
  return oldNodes;
}

/** Prepares a patch whose edits add, remove or rename functions (`names`): see patchDefinitions. */
function prepareRenumbered(input: DefinitionPatchInput, names: Set<string>, beforeOf: Map<number, FileFacts>, afterOf: Map<number, FileFacts>, unseen: (path: string) => boolean): Prepared | string {
  const { edited } = input;
  const index0 = indexOver(input, input.index, beforeOf, input.scopeBefore);
  const patch0 = new GraphPatch(index0, input.edges);
  patch0.storesKept = !!input.storesKept;
  /** [file, old line] of the calls of removed functions that passed a function where it is called (GraphPatch.forgetLine). */
  const removedCallbackLines: [number, number][] = [];
  /** Old callers with a callback-arg edge to a removed function: made again. */
  const callbacksToRemoved: number[] = [];
  // The old nodes of each edited file, by (macro, item).
  const oldNodes = nodesOfFiles(index0, edited);
  const removed = new Set<number>();
  const changedGlobal = new Set<string>();
  const changedMacro = new Set<string>();
  /** The names of the macros removed (the others of changedMacro were added). */
  const removedMacro = new Set<string>();
  for (const t of edited) {
    for (const i of t.plan.removed) {
      const n = oldNodes.get(t.at)!.functions[i];
      if (n === undefined) return `${t.before.path}: its nodes are not those of its facts`;
      // Its own parameters passed on make its own followed pairs, which go with it (removedParamUsesReached checks its callers).
      // A call through a member goes with its function: its site's edges and record rows (member-call-edits.ts).
      const why = firstWhy(patch0, n, t.before.functions[i]!.calls.filter((c) => !isPlainMemberCall(c)), true, 'removed');
      if (why) return `${index0.name(n)} was removed, and ${why}`;
      // Its callback-arg edges go with it; their evidence names its calls' lines. So does the evidence of the bindings its calls passing
      // a function to be stored made (the binding patch drops them with it), and of the queueing calls of its registrations' keys.
      for (const c of t.before.functions[i]!.calls) if (patch0.passesCallback(n, c) || patch0.passesStored(n, c) || patch0.registers(c)) removedCallbackLines.push([t.at, c.line]);
      removed.add(n);
      if (!t.before.functions[i]!.isStatic) changedGlobal.add(t.before.functions[i]!.name);
    }
    for (const i of t.plan.added) if (!t.after.functions[i]!.isStatic) changedGlobal.add(t.after.functions[i]!.name);
    // A macro added or removed: a name of its own (checked below), its calls simple like a removed function's.
    for (const i of t.plan.macros.removed) {
      const n = oldNodes.get(t.at)!.macros[i];
      if (n === undefined) return `${t.before.path}: its nodes are not those of its facts`;
      const why = firstWhy(patch0, n, t.before.macros[i]!.calls, false, false);
      if (why) return `macro ${index0.name(n)} was removed, and ${why}`;
      for (let p = 0; p < t.before.macros[i]!.params.length; p++) if (patch0.useOf(n, p)) return `macro ${index0.name(n)} was removed, and functions passed to its parameter ${p + 1} are followed`;
      removed.add(n);
    }
    for (const m of [...t.plan.macros.added.map((i) => t.after.macros[i]!), ...t.plan.macros.removed.map((i) => t.before.macros[i]!)]) changedMacro.add(m.name);
    for (const i of t.plan.macros.removed) removedMacro.add(t.before.macros[i]!.name);
  }
  const reached = removedParamUsesReached(patch0, index0, input.edges, removed);
  if (reached) return reached;
  for (const name of names) {
    for (const n of index0.nodesNamed(name)) {
      if (removed.has(n) || index0.isExternal(n)) continue;
      if (index0.isMacro(n)) return `${name} is also a macro`;
      if (changedMacro.has(name)) return `macro ${name} is also defined otherwise`;
      // Global definitions of one name are tied by prototypes (BuildRecord.declarers): kept apart.
      if (changedGlobal.has(name) && !(index0.nodeFlags[n]! & NodeFlag.Static)) return `${name} is defined by another global function (${index0.file(n)}:${index0.nodeLine[n]})`;
    }
  }
  // Call sites by a changed name: (caller, site) of the direct edges to a node of that name; the edited files' own by their facts.
  if (!hasColumn(input.edges, 'site')) return 'the cached graph has no call sites';
  const named = new Uint8Array(index0.nodeCount);
  for (const name of names) for (const n of index0.nodesNamed(name)) named[n] = 1;
  // A call of a macro whose body calls a changed name its own file sees no definition of binds it where it is expanded (bind-expansion.ts).
  const callNames = new Set(names);
  // The edges to a changed name, found in one pass over the columns read as stored, a chunk at a time (resolve/patch-expansion.ts
  // callsOfNamed): a kernel's callers, callees, kinds, binding flags and call sites are not decoded into 60 MB of fresh memory to be read once.
  let calls = callsOfNamed(input.edges, named);
  const expanding = macrosExpandingNames(index0, input.edges, named, calls);
  if (expanding) {
    const more = new Uint8Array(named.length);
    expanding.forEach((m, n) => m && !named[n] && (more[n] = 1) && (named[n] = 1) && callNames.add(index0.name(n)));
    // The calls of those macros as well, in edge order.
    if (more.includes(1)) calls = [...calls, ...callsOfNamed(input.edges, more)].sort((a, b) => a.edge - b.edge);
  }
  const ownStatic = ownStaticNames(edited, names, unseen);
  const rebindKeys = new Set<string>();
  const rebind: { node: number; site: number }[] = [];
  const registering = new Set(input.profile.registrations.map((r) => r.dispatcher));
  for (const e of calls) {
    // Another macro's body invokes a macro added or removed: a call of what that macro expands to (`opener(dev)(fd)`: index/expand-macro-calls.ts)
    // may now end with another name, in files the patch does not parse (the graph keeps no list of those calls).
    if (index0.isMacro(e.from) && !removed.has(e.from) && changedMacro.has(index0.name(e.to))) return `macro ${index0.name(e.to)} was ${removedMacro.has(index0.name(e.to)) ? 'removed' : 'added'}, and the body of macro ${index0.name(e.from)} invokes it (a call of what ${index0.name(e.from)} expands to may now call another function)`;
    if (e.kind !== DIRECT && e.kind !== MACRO) {
      // A removed function bound to members or listed by the signature fallback: the binding patch binds those sites again (patch-binding-edits.ts).
      if (removed.has(e.to) && REBOUND.has(e.kind)) continue;
      // A removed function a parameter store bound (the record keeps them): the binding patch drops the stores' bindings of the calls that went, and binds those sites again.
      if (removed.has(e.to) && e.kind === PARAM_TO_FIELD && input.storesKept) continue;
      // A registration's (module_init(fn)): the registration patch binds the edited files' again (patch-registrations.ts); another file's registration of a changed name mentions it as a value, refused above.
      if (e.kind === DISPATCH && !e.deferred && registering.has(index0.name(e.from))) continue;
      // A queueing call's (work handed off by an object): the hand-off patch makes the edges of the keys whose registrations name a changed name again.
      if (e.kind === DISPATCH && e.deferred && input.objectHandOffs && patch0.queues(index0.calls(e.from)[e.site])) continue;
      // A removed function passed where it is called, by a caller the edits parse again: its callback-arg edges are made again (patch-callbacks.ts).
      if (removed.has(e.to) && e.kind === CALLBACK && afterOf.has(index0.nodeFile[e.from]!)) {
        callbacksToRemoved.push(e.from);
        continue;
      }
      // Passed as a member's function, by a caller in a file not edited: the binding patch makes the site's edges again (patch-called-reads.ts).
      if (removed.has(e.to) && e.kind === CALLBACK && input.calledReads?.has(e.from * 2 ** 20 + e.site)) continue;
      // Another definition of a name only statics no other file sees define (value-mentions.ts): nothing bound through it changes.
      if (!removed.has(e.to) && ownStatic.has(index0.name(e.to))) continue;
      return throughPointer(index0, e, removed.has(e.to));
    }
    if (afterOf.has(index0.nodeFile[e.from]!)) continue;
    const key = `${e.from}:${e.site}`;
    if (rebindKeys.has(key)) continue;
    rebindKeys.add(key);
    const call = index0.calls(e.from)[e.site];
    const why = call ? patch0.whyNotSimple(e.from, call) : 'its call site is not in its facts';
    if (why) return `a call of ${index0.name(e.to)} by ${index0.name(e.from)} is bound anew, and ${why}`;
    rebind.push({ node: e.from, site: e.site });
  }
  for (const r of input.reboundSites ?? []) {
    const key = `${r.node}:${r.site}`;
    if (rebindKeys.has(key)) continue;
    rebindKeys.add(key);
    rebind.push(r);
  }
  for (const t of edited) {
    const rows = oldNodes.get(t.at)!;
    const bound = reboundIn(input.rebound, callNames, t.at);
    const mark = (n: number | undefined, calls: FileFacts['functions'][number]['calls']): void => {
      if (n !== undefined) calls.forEach((c, s) => callsAny(c, bound) && rebindKeys.add(`${n}:${s}`));
    };
    t.before.functions.forEach((f, i) => mark(rows.functions[i], f.calls));
    t.before.macros.forEach((m, i) => mark(rows.macros[i], m.calls));
  }

  // The new nodes of each edited file: its functions then its macros, in order.
  const files = new Map<number, FileNode[]>();
  for (const t of edited) {
    const rows = oldNodes.get(t.at)!;
    const keptOld = new Map(t.plan.kept.map(([o, n]) => [n, rows.functions[o]!]));
    const keptMacro = new Map(t.plan.macros.kept.map(([o, n]) => [n, rows.macros[o]!]));
    const header = t.after.path.endsWith('.h') ? NodeFlag.Header : 0;
    files.set(t.at, [
      ...t.after.functions.map((f, i) => ({ name: f.name, line: keptOld.has(i) ? index0.nodeLine[keptOld.get(i)!]! : f.line, flags: functionFlags(f, header), item: i, old: keptOld.get(i) ?? -1 })),
      ...t.after.macros.map((m, i) => ({ name: m.name, line: keptMacro.has(i) ? index0.nodeLine[keptMacro.get(i)!]! : m.line, flags: NodeFlag.Macro | header, item: i, old: keptMacro.get(i) ?? -1 })),
    ]);
  }
  // The external nodes as they are: those the patch's calls need are settled once its edges are (patchDefinitions).
  const moved = renumberNodes(input.index, files, null);
  // Callers with a call to bind again: only their edges are looked up by site.
  const callers = new Uint8Array(index0.nodeCount);
  for (const key of rebindKeys) callers[Number(key.slice(0, key.indexOf(':')))] = 1;
  // Their calls by name leave the renumbered edges (the binding patch adds them again).
  const edges1 = renumberEdges(input.edges, moved.map, rebindKeys.size === 0 ? null : (_e, from, kind, site) => callers[from] === 1 && (kind === DIRECT || kind === MACRO) && rebindKeys.has(`${from}:${site}`));
  const index1 = indexOver(input, moved.snapshot, afterOf);
  // Functions put in another place: their calls by name go back to caller order.
  if (edited.some((t) => t.plan.moved.length > 0)) callersInOrder(index1, edges1);
  return { index0, index1, edges1, map: moved.map, oldNodes, files, rebind, snapshot1: moved.snapshot, callNames, removedCallbackLines, callbacksToRemoved };
}

export function patchDefinitions(input: DefinitionPatchInput): DefinitionPatch | string {
  // The edge columns this patch makes with room are its own until the binding patch has spliced them (patch-binding-edits.ts): none of an earlier patch's.
  closeRooms();
  const { edited, mentions } = input;
  const siteRunsBefore = mayMoveMemberCalls(edited) ? editedSiteRuns(input.edges, input.index, new Set(edited.map((t) => t.at))) : undefined;
  const names = new Set<string>();
  for (const t of edited) for (const n of t.plan.names) names.add(n);
  const beforeOf = new Map(edited.map((t) => [t.at, t.before]));
  const afterOf = new Map(edited.map((t) => [t.at, t.after]));
  /** True when some file may mention `name` as a value once the edits are made. */
  // The .c files no #include opens, asked once for the mentions and for the statics of their own (value-mentions.ts).
  const unseen = seenByNone(input.includeNames);
  const mentioned = valueMentions(edited, mentions, input.variables, unseen);
  for (const name of names) if (mentioned(name)) return mentions ? `${name} is mentioned other than by calls (it may be bound as a value)` : 'the cached graph keeps no mention table';
  // A syscall table names its functions outside any C file, where no mention counts them.
  const tabled = dispatchTableNamesReason(input.root, input.profile.dispatchTables, names);
  if (tabled) return tabled;

  let prepared: Prepared;
  // Functions moved keep their nodes, renumbered in their new order (function-pairs.ts).
  if (names.size > 0 || edited.some((t) => t.plan.moved.length > 0)) {
    const p = prepareRenumbered(input, names, beforeOf, afterOf, unseen);
    if (typeof p === 'string') return p;
    prepared = p;
  } else {
    // Same definitions: the nodes stay, the edited files' facts are the new ones.
    const index1 = indexOver(input, input.index, afterOf);
    const map = identityMap(index1.nodeCount);
    const oldNodes = nodesOfFiles(index1, edited);
    const files = new Map(edited.map((t) => [t.at, [...t.after.functions.map(() => ({ old: 0 })), ...t.after.macros.map(() => ({ old: 0 }))] as FileNode[]]));
    const edges1 = input.rebound?.size || input.reboundSites?.length ? withoutReboundCalls(input.edges, input.edited, index1.nodeCount, oldNodes, (at) => reboundIn(input.rebound, names, at), input.reboundSites) : input.edges;
    if (!edges1) return 'the cached graph has no call sites';
    prepared = { index0: index1, index1, edges1, map, oldNodes, files, rebind: [...(input.reboundSites ?? [])], snapshot1: input.index, callNames: names, removedCallbackLines: [], callbacksToRemoved: [] };
  }
  const { index0, index1, edges1, oldNodes, files, rebind, callNames } = prepared;
  const patch = new GraphPatch(index1, edges1);
  patch.storesKept = !!input.storesKept;
  for (const [file, line] of prepared.removedCallbackLines) patch.forgetLine(file, line);
  for (const n of prepared.callbacksToRemoved) if (prepared.map[n]! >= 0) patch.callbackCallers.add(prepared.map[n]!);
  // The functions added, and the parameters they pass on into followed ones: followed too (every call of them is checked below with these).
  const addedNodes: number[] = [];
  // The nodes of the edited files (those of afterOf), ascending.
  const editedNodes = nodesInFiles(index1, afterOf.keys());
  for (const n of editedNodes) if (!index1.isMacro(n) && files.get(index1.nodeFile[n]!)![index1.nodeItem[n]!]!.old < 0) addedNodes.push(n);
  const newUses = addedParamUses(patch, index1, addedNodes);
  if (typeof newUses === 'string') return newUses;
  const { definedOtherwise } = input;
  patch.newExternal = (name) => (definedOtherwise ? !definedOtherwise(name) : !mentioned(name));
  const keptOf = new Map<number, KeptNode[]>();
  for (const t of edited) {
    const rows = oldNodes.get(t.at)!;
    const bodyOf = new Map(t.plan.diff.bodies.map((b) => [`${b.macro ? 'm' : 'f'}${b.item}`, b]));
    const kept: KeptNode[] = [];
    t.plan.kept.forEach(([o, n], k) => kept.push({ node: prepared.map[rows.functions[o]!]!, was: t.before.functions[o]!, now: t.after.functions[n]!, body: bodyOf.get(`f${k}`)! }));
    t.plan.macros.kept.forEach(([o, n], k) => kept.push({ node: prepared.map[rows.macros[o]!]!, was: t.before.macros[o]!, now: t.after.macros[n]!, body: bodyOf.get(`m${k}`)! }));
    if (kept.some((k) => !k.body)) return `${t.after.path}: a body is missing from the diff`;
    // A kept function's flags follow its new facts: a body edit may make every call of it a tail call, or one no longer.
    for (const k of kept) if (!index1.isMacro(k.node)) index1.nodeFlags[k.node] = functionFlags(k.now as FunctionFact, index1.nodeFlags[k.node]! & NodeFlag.Header);
    keptOf.set(t.at, kept);
  }
  // Calls added or removed in kept bodies that pass their function's own parameter on into a followed one.
  const changedUses: ParamUseChange | string = keptParamUses(patch, index1, edges1, [...keptOf.values()].flat(), new Set(afterOf.keys()));
  if (typeof changedUses === 'string') return changedUses;
  for (const t of edited) {
    const kept = keptOf.get(t.at)!;
    const bound = reboundIn(input.rebound, callNames, t.at);
    if (!t.plan.diff.unchanged || bound.size > 0 || patch.forgets(t.at)) {
      // applyBodies compares old lines: kept nodes carry them until it moves them.
      // What makes a call added, removed or bound anew more than its own edges, said exactly (applyBodies refuses the same calls).
      for (const k of kept) {
        const rebound = k.body.kept.filter(([o]) => bound.size > 0 && callsAny(o, bound)).map(([, c]) => c);
        // Calls through a member taken out, or whose arguments alone changed (member-call-edits.ts), are applyBodies' to check.
        const body = index1.isMacro(k.node) ? k.body : withMemberPairs(k.body, k.was.calls, k.now.calls).body;
        const plain = (calls: CallFact[]): CallFact[] => calls.filter((c) => !isPlainMemberCall(c));
        const why = firstWhy(patch, k.node, plain(body.added), !index1.isMacro(k.node), 'added', true) ?? firstWhy(patch, k.node, plain(body.removed), !index1.isMacro(k.node), 'removed', true) ?? firstWhy(patch, k.node, rebound, false, false);
        if (why) return `${t.after.path}: a call in ${k.now.name} was added, removed or bound anew, and ${why}`;
      }
      // A file with no facts before (added) has no live evidence: entries naming it are left over from a deleted version.
      const empty = (f: FileFacts): boolean => Object.entries(f).every(([k, v]) => k === 'path' || k === 'hash' || !Array.isArray(v) || v.length === 0);
      if (!patch.applyBodies(t.at, t.after.path, kept, t.plan.diff, bound, empty(t.before), empty(t.after))) return `${t.after.path}: a call added or removed changes more than its own edges`;
    }
  }
  const unmoved = patch.moveEvidence();
  if (unmoved) return `${unmoved}: a line the graph's evidence names has no place after the edit`;
  for (const n of editedNodes) {
    const t = afterOf.get(index1.nodeFile[n]!)!;
    const item = index1.nodeItem[n]!;
    // A file's nodes are its functions, then its macros (renumberNodes).
    if (files.get(index1.nodeFile[n]!)![index1.isMacro(n) ? t.functions.length + item : item]!.old >= 0) continue;
    const macro = index1.isMacro(n);
    const calls = macro ? t.macros[item]!.calls : t.functions[item]!.calls;
    const why = firstWhy(patch, n, calls.filter((c) => !isPlainMemberCall(c)), !macro);
    if (why) return `${macro ? 'macro ' : ''}${index1.name(n)} was added, and ${why}`;
    if (!patch.addNode(n, calls, !macro)) return `${index1.name(n)} was added, and it calls a name defined nowhere that some file defines or mentions otherwise`;
  }
  for (const r of rebind) {
    const n = prepared.map[r.node]!;
    if (n < 0) continue;
    const call = index1.calls(n)[r.site]!;
    const why = patch.whyNotSimple(n, call);
    if (why) return `a call of ${call.name ?? 'a changed name'} by ${index1.name(n)} is bound anew, and ${why}`;
    if (!patch.rebind(n, r.site, call)) return `a call of ${call.name ?? 'a changed name'} by ${index1.name(n)} is bound anew, and calls a name defined nowhere that some file defines or mentions otherwise`;
  }
  let edges = withParamUseChange(withParamUses(patch.finish(), newUses), changedUses);
  // External nodes: one per name still called and defined nowhere, in name order.
  const { snapshot1 } = prepared;
  let index = index1;
  let map = prepared.map;
  /** Node ids after the external nodes were renumbered (null: none was). */
  let again: Int32Array | null = null;
  let snapshot = snapshot1;
  // The callees read as stored (a body edit's edges are still the cached columns, unread).
  const externals = externalsNeeded(index1, { edges }, patch.unbound.map((u) => u.name));
  if (externals) {
    const renumbered = renumberNodes(snapshot1, new Map(), externals);
    again = renumbered.map;
    edges = renumberEdges(edges, again, null);
    index = indexOver(input, renumbered.snapshot, afterOf);
    snapshot = renumbered.snapshot;
    map = map.map((n) => (n < 0 ? -1 : again![n]!));
    for (const u of patch.unbound) u.node = again[u.node]!;
  }
  edges = withExternalEdges(edges, index, patch.unbound);
  // Calls passing a function where it is called, added or taken out: their callers' callback-arg edges are made again.
  const callbackCallers = new Set([...patch.callbackCallers].map((n) => (again ? again[n]! : n)));
  const storeCallers = new Set([...patch.storeCallers].map((n) => (again ? again[n]! : n)));
  const callbacks = patchCallbacks(index, edges, callbackCallers);
  if (callbacks) return `${index.file([...callbackCallers][0]!)}: ${callbacks}`;
  // Calls queueing or registering work by its object, added or taken out: the object hand-off edges they change are made again.
  const handOffs = patchHandOffs(input, index, edges, patch, (old) => prepared.map[old]!, map, again, names);
  if (typeof handOffs === 'string') return handOffs;
  // Registrations (module_init(fn)) added, removed or bound anew: the dispatchers' edges follow.
  const registered = patchRegistrations(index, edges, edited.map((t) => ({ at: t.at, path: t.after.path, before: t.before, after: t.after })), names);
  if (typeof registered === 'string') return `${edited.find((t) => t.plan.registrations)?.after.path ?? edited[0]!.after.path}: ${registered}`;
  // A `return NAME;` added or removed binds nothing only while no function or macro is called NAME (plan-file-edit.ts returnsName).
  for (const t of edited) for (const name of t.plan.returned) if (index0.nodesNamed(name).length > 0 || index.nodesNamed(name).length > 0) return `${t.after.path}: a return of ${name} was added or removed, and a function or macro has that name`;
  const dead = deadStoresReason(index0, index, patch, edited);
  if (dead) return dead;
  // A store of a call's result added or removed binds nothing while no function of that name returns one (plan-file-edit.ts storesResult).
  const results = storedResultsReason(index0, index, edited);
  if (results) return results;
  const identity = isIdentityMap(map, index.nodeCount);
  return { index, edges, map: identity ? null : map, before: index0, snapshot, callbackCallers: callbackCallers.size, storeCallers, queueingCalls: handOffs?.queueingAdded ?? 0, handOffKeys: handOffs?.keysMadeAgain ?? 0, registrationDispatchers: registered, ...(handOffs ? { objectHandOffs: handOffs.record } : {}), ...(siteRunsBefore ? { siteRunsBefore } : {}) };
}

/**
 * Why the stores into locals nothing reads that the plans left out (dead-stores.ts) are not dead
 * once patched, or null: one added or removed names a function by name (and takes its address),
 * or a variable they fill is passed into a parameter the patch made followed.
 */
function deadStoresReason(index0: CodeIndex, index: CodeIndex, patch: GraphPatch, edited: readonly EditedFile[]): string | null {
  const isFunction = (i: CodeIndex, name: string): boolean => i.nodesNamed(name).some((n) => !i.isMacro(n));
  for (const t of edited) {
    for (const name of t.plan.deadStored) if (isFunction(index0, name) || isFunction(index, name)) return `${t.after.path}: a store of ${name} into a local variable nothing reads was added or removed, and it takes the address of function ${name}`;
    for (const { callee, arg } of t.plan.deadPassed) if (index.nodesNamed(callee).some((n) => patch.useOf(n, arg))) return `${t.after.path}: a local variable passed to ${callee} is stored into, and the edit makes ${callee} follow that parameter`;
  }
  return null;
}
