import { Truth } from '../types/build.js';
import { asmDefinitions, builtRank } from './asm-definitions.js';
import { directEdge, inlinedChain, MAX_INLINED, macroChain, type SkipEdge } from '../graph/graph-steps.js';
import { handOffTest } from '../graph/hand-off-edges.js';
import { isExpansionEdge } from '../resolve/bind-expansion.js';
import { bindByName } from '../resolve/definition-scope.js';
import { kindId } from '../resolve/edge-kind.js';
import type { DefinitionChoice, EdgeRef, Explanation, NodeRef } from '../types/results.js';
import type { CallFact } from '../types/call-fact.js';
import { edgeRef, expansionEvidence } from './describe.js';
import { handedOver } from './handed-over.js';
import { definitionLeftOut, leftOutCalls } from './left-out-calls.js';
import { parameterCalls, parameterPasses } from './parameter-calls.js';
import type { Project } from './project.js';
import { macroPointerCalls } from './macro-pointer-calls.js';
import { markedEdge, notBuiltReason, unbuiltNode } from './unbuilt.js';
import { ownParameterCalls, unresolvedCalls } from './unresolved-calls.js';
import { pointerCalls } from './pointer-calls.js';

const BY_NAME = new Set([kindId('direct'), kindId('macro')]);

/**
 * The longest nearest path (in calls) explain offers when the caller reaches the callee only
 * through functions that keep their frames: as far as check looks for a broken step's current path.
 */
export const NEAREST_DEPTH = 8;

/**
 * For an edge of a call by name whose name has several definitions: every one of them with why
 * it was chosen or left out (bindByName with verdicts). Reads the caller's facts for the called
 * name. None for an index export: the reasons need the tree's build files (config, Kbuild).
 */
function withChoice(project: Project, edge: number, ref: EdgeRef): EdgeRef {
  const { index, edges } = project;
  if (index.root === null || !BY_NAME.has(edges.kind.get(edge)) || !edges.hasSites) return ref;
  const from = edges.from.get(edge);
  const to = edges.to.get(edge);
  // Through a macro's body the name bound is the callee's, not the macro's the site calls.
  const name = isExpansionEdge(index, from, to, edges.kind.get(edge), edges.bindFlags(edge)) ? index.name(to) : index.calls(from)[edges.site.get(edge)]?.name;
  if (name === undefined || index.nodesNamed(name).filter((n) => !index.isExternal(n)).length < 2) return ref;
  const { verdicts, allInactive } = bindByName(index, index.nodeFile[from]!, name, true);
  const choice: DefinitionChoice[] = verdicts!.map((v) => ({ file: index.file(v.node), line: index.nodeLine[v.node]!, ...(index.isMacro(v.node) ? { macro: true as const } : {}), chosen: v.chosen, reason: v.reason }));
  choice.sort((a, b) => Number(b.chosen) - Number(a.chosen) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { ...ref, choice: allInactive ? [...choice, ...assemblyChoices(index, name)] : choice };
}

/**
 * With every C candidate inactive: the assembly definitions of `name` in the architecture's `.S`
 * files (asmDefinitions), each saying whether Kbuild builds it, the built ones first.
 */
function assemblyChoices(index: Project['index'], name: string): DefinitionChoice[] {
  const pathBuilt = index.bindingScope?.activity?.pathBuilt;
  const { archDir } = index.profile;
  const arch = index.arch;
  // The one architecture indexed (not `all`, nor a profile without architectures).
  if (!archDir || !arch || arch === 'all') return [];
  const out = asmDefinitions(index.root!, `${archDir}/${arch}`, name).map((d) => {
    const built = pathBuilt?.(d.file);
    const state = !built || built.built === Truth.Yes ? 'built' : (built.why ?? 'may not be built');
    return { def: d, built: built?.built ?? Truth.Yes, choice: { file: d.file, line: d.line, chosen: false, assembly: true as const, reason: `defined in assembly (${d.macro}), ${state}${state === 'built' ? ': no C definition is active, so the call links to it' : ''}` } };
  });
  return out.sort((a, b) => builtRank(a.built) - builtRank(b.built)).map((x) => x.choice);
}

/** The call facts of the caller of `edge` (read from its facts) and the one of its call site, or undefined when they cannot be read. */
function callOfEdge(project: Project, edge: number): { calls: CallFact[]; call: CallFact | undefined } | undefined {
  const { index, edges } = project;
  const from = edges.from.get(edge);
  if (!edges.hasSites || !index.factsReadable || index.isExternal(from)) return undefined;
  const calls = index.calls(from);
  return { calls, call: calls[edges.site.get(edge)] };
}

/**
 * An edge whose call is written inside an `#if` block of the caller's body, with the block's
 * condition and what the configuration makes of it (EdgeRef.under): the call counts where its
 * condition holds or the model leaves it unknown (an option no Kconfig file defines, a code macro
 * of a header), and every such call counts when no configuration was read (DefinitionActivity absent).
 */
function withCondition(project: Project, edge: number, ref: EdgeRef): EdgeRef {
  const { index, edges } = project;
  const call = callOfEdge(project, edge)?.call;
  if (call?.cond === undefined) return ref;
  const activity = index.bindingScope?.activity;
  const file = index.nodeFile[edges.from.get(edge)]!;
  const truth = activity?.callActive?.(file, call.cond, call.line);
  if (truth === Truth.Yes) return { ...ref, under: { cond: call.cond, holds: 'yes', ...(activity?.configSource ? { why: `it holds with ${activity.configSource}` } : {}) } };
  // No configuration read (no .config, no defconfig of the architecture): the options are all unknown.
  const none = activity?.configSource === '' ? 'no configuration was read (no .config, no defconfig of the architecture)' : undefined;
  const why = truth === undefined ? 'no configuration model' : (none ?? activity?.whyCall?.(file, call.cond, call.line) ?? 'the configuration leaves it open');
  return { ...ref, under: { cond: call.cond, holds: 'unknown', why: `${why}, so the call counts` } };
}

/** An edge whose call is one of what a macro invocation expands to (CallFact.ret and .expandsTo: EdgeRef.resultOf). */
function withResultOf(project: Project, edge: number, ref: EdgeRef): EdgeRef {
  const { calls, call } = callOfEdge(project, edge) ?? { calls: [] };
  if (call?.ret === undefined || !call.expandsTo?.length) return ref;
  // The invocation is the call by the macro's name at the same place (as index/expand-macro-calls.ts finds it).
  const inner = calls.find((c) => c.name === call.ret && c.line === call.line && c.col === call.col && c !== call);
  return { ...ref, resultOf: { macro: call.ret, invocation: `${call.ret}(${(inner?.args ?? []).map((a) => a ?? '...').join(', ')})`, names: [...call.expandsTo] } };
}

/** An edge through a macro's body (BindFlag.Expansion) with the binding that says which macro makes it (expansionEvidence). */
function withExpansion(project: Project, edge: number, ref: EdgeRef): EdgeRef {
  const more = expansionEvidence(project.index, project.edges, edge);
  return more.length ? { ...ref, evidence: [...(ref.evidence ?? []), ...more] } : ref;
}

/**
 * Every edge from `caller` to `callee` with why it exists (bindings, and for calls by name the
 * choice among same-named definitions); with none, the callers' edges that pass the callee into
 * a parameter `caller` calls (parameterCalls), else the chain through macros only that reaches it,
 * else the chain through at most MAX_INLINED static functions (and macros) that a stack trace
 * may show as one step, and the unresolved indirect calls that may be the missing step; with no
 * edge and no such parameter call, also where the caller passes the callee on to the function
 * that calls it (parameterPasses), else where it hands the callee over to be called by another
 * function (handedOver: a registration); with no edge and no chain, also the fewest-calls path
 * (the path query's, deferred steps only when no synchronous path exists) within NEAREST_DEPTH calls.
 */
export function explainEdge(project: Project, caller: string, callee: string): Explanation {
  const { index, edges } = project;
  const from = new Set(project.nodes(caller));
  const to = new Set(project.nodes(callee));
  const found: EdgeRef[] = [];
  const foundIds: number[] = [];
  // The edges into the callee, for handedOver.
  const into: number[] = [];
  // The caller's definitions that make the call.
  const calling = new Set<number>();
  for (let e = 0; e < edges.length; e++) {
    if (!to.has(edges.to.get(e))) continue;
    into.push(e);
    if (!from.has(edges.from.get(e))) continue;
    found.push(withChoice(project, e, withResultOf(project, e, withCondition(project, e, withExpansion(project, e, markedEdge(index, edges, e, edgeRef(index, edges, e), [edges.from.get(e), edges.to.get(e)]))))));
    foundIds.push(e);
    calling.add(edges.from.get(e));
  }
  // An edge through a pointer says what its call site calls (`sock->ops->sendmsg`) and how many targets it binds, as a path step does.
  const pointer = pointerCalls(index, { edges, keep: () => true }, foundIds, project.callTexts);
  foundIds.forEach((e, i) => {
    const call = pointer.get(e);
    if (call) found[i] = { ...found[i]!, targets: call.targets, ...(call.via ? { via: call.via } : {}) };
  });
  const unresolved: Explanation['unresolved'] = [...unresolvedCalls(index, edges, project.callSiteSummary(), from).values()].flat();
  found.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  const throughParameter = found.length ? [] : parameterCalls(index, edges, [...from], to).map((p) => ({ calledAt: { file: p.file, line: p.line }, passed: edgeRef(index, edges, p.edge) }));
  const macros = found.length || throughParameter.length ? null : macroChain(project.graph(), [...from], to);
  const throughMacros = chainSteps(project, macros);
  const inlined = found.length || throughParameter.length || throughMacros.length ? null : builtChain(project, [...from], to);
  const throughInlined = chainSteps(project, inlined, handOffTest(index, edges));
  const defined = [...from].filter((n) => !index.isExternal(n));
  // With several definitions, one making the call through macros only, or through a chain a trace folds, makes it too (each is asked: the chains above are one definition's).
  const through = new Map<number, 'macros' | 'folded'>();
  if (defined.length > 1) {
    for (const n of defined) {
      if (calling.has(n)) continue;
      if (macroChain(project.graph(), [n], to)) through.set(n, 'macros');
      else if (!found.length && !throughParameter.length && builtChain(project, [n], to)) through.set(n, 'folded');
      if (through.has(n)) calling.add(n);
    }
  }
  const passedOn = found.length || throughParameter.length ? [] : parameterPasses(index, edges, [...from], to).map((p) => ({ user: p.user, calledAt: { file: p.file, line: p.line }, passed: edgeRef(index, edges, p.edge) }));
  const none = !found.length && !throughParameter.length && !throughMacros.length && !throughInlined.length;
  // Calls of the callee the configuration leaves out, whenever no edge of its own is found; with no chain either, its pointer calls left out too.
  const leftOut = found.length ? [] : leftOutCalls(index, defined, callee, none);
  const inMacros = none ? macroPointerCalls(index, project.graph(), from) : [];
  const ownParameters = none ? [...ownParameterCalls(index, from).values()].flat() : [];
  const handed = none && !passedOn.length ? handedOver(project, from, into) : [];
  // Functions that keep their frames between: the path a trace would show, for the user to follow.
  const nearest = none && defined.length && to.size ? project.findPaths({ start: caller, target: callee, maxDepth: NEAREST_DEPTH }).paths[0] : undefined;
  // None within reach: how far the shortest path is, if there is one, so that the user knows a path query finds it.
  const farther = none && defined.length && to.size && !nearest ? project.findPaths({ start: caller, target: callee }).paths[0] : undefined;
  // The definitions met above, and on the nearest path, that Kbuild does not build, with why (this makes the build model).
  const shown = new Set([...found, ...throughMacros, ...throughInlined, ...(nearest?.edges ?? [])].flatMap((e) => [e.from, e.to]).map((end) => `${end.name}\0${end.file}\0${end.line}`));
  const candidates = [...new Set([...from, ...to, ...(nearest?.nodes ?? []).filter((r) => r.notBuilt).flatMap((r) => project.nodes(r.name))])];
  const met = candidates.filter((n) => shown.has(`${index.name(n)}\0${index.file(n)}\0${index.nodeLine[n]}`));
  const notBuilt = met.sort((a, b) => a - b).flatMap((n) => {
    const reason = notBuiltReason(index, n);
    return reason ? [{ name: index.name(n), file: index.file(n), reason }] : [];
  });
  const start = nearest?.nodes[0];
  const callerDefinitions = defined.length > 1 && defined.some((n) => !calling.has(n))
    ? defined
        .map((n) => ({ file: index.file(n), line: index.nodeLine[n]!, calls: calling.has(n), ...(through.has(n) ? { through: through.get(n)! } : {}), ...leftOutAs(definitionLeftOut(index, n)), ...(start && start.file === index.file(n) && start.line === index.nodeLine[n] ? { nearest: true as const } : {}) }))
        .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
    : [];
  return {
    ...{ caller, callee, edges: found, unresolved, throughParameter, throughMacros, throughInlined, passedOn },
    ...(inMacros.length ? { macroPointerCalls: inMacros } : {}),
    ...(ownParameters.length ? { ownParameterCalls: ownParameters } : {}),
    ...(handed.length ? { handedOver: handed } : {}),
    ...(leftOut.length ? { leftOut } : {}),
    ...(notBuilt.length ? { notBuilt } : {}),
    ...(callerDefinitions.length ? { callerDefinitions } : {}),
    ...(nearest ? { nearestPath: nearest.edges } : {}),
    ...(farther ? { fartherPath: { calls: farther.edges.length, beyond: NEAREST_DEPTH, ...unbuiltOn(farther.nodes) } } : {}),
  };
}

/**
 * inlinedChain's chain from `from` to `to`, by no hand-off (graph/hand-off-edges.ts: a stack never
 * shows a handler above the function that queues it), through functions of files Kbuild builds only
 * (unbuiltEnterCosts), though longer: a stack trace of the tree's configuration never shows the
 * others (`vfs_write -> tty_write -> ... -> panic_flush`, not `vfs_write -> raw3215_write ->
 * panic_flush` of an s390 console driver; with none, explain offers the nearest path, which
 * prefers built code too: Linux 6.1's `sock_sendmsg_nosec -> inet_sendmsg -> tcp_sendmsg`, not
 * through ieee802154_sock_sendmsg). Through any function when the index has no build model.
 */
function builtChain(project: Project, from: number[], to: ReadonlySet<number>): number[] | null {
  return inlinedChain(project.graph(), from, to, MAX_INLINED, unbuiltNode(project.index), handOffTest(project.index, project.edges));
}

/**
 * The edges of a chain of node ids (caller first: macroChain's or inlinedChain's), each step's
 * edge the one the folded call graph keeps (synchronous first, then the strongest kind), marked
 * as a path's step is when the build leaves its callee or its bindings out (markedEdge); empty
 * for no chain. `skip`: edges the chain was found without (directEdge's).
 */
function chainSteps(project: Project, chain: number[] | null, skip?: SkipEdge): EdgeRef[] {
  if (!chain) return [];
  const graph = project.graph();
  return chain.slice(1).map((node, i) => {
    const edge = directEdge(graph, [chain[i]!], new Set([node]), skip);
    return markedEdge(project.index, project.edges, edge, edgeRef(project.index, project.edges, edge), [chain[i]!, node]);
  });
}

/** `{ notCompiled }` when there is a reason (definitionLeftOut's), else nothing. */
const leftOutAs = (why: string | undefined): { notCompiled?: string } => (why === undefined ? {} : { notCompiled: why });

/** `{ notBuilt }`: the names of the functions of `nodes` (a path's) marked not built (NodeRef.notBuilt), in path order; empty when none is. */
const unbuiltOn = (nodes: readonly NodeRef[]): { notBuilt?: string[] } => {
  const names = nodes.filter((n) => n.notBuilt !== undefined).map((n) => n.name);
  return names.length ? { notBuilt: names } : {};
};
