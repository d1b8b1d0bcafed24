import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { isCompilerBuiltin, macroShadowing } from './bind-direct.js';
import { forEachExpansionEdge } from './bind-expansion.js';
import { bindByName, bindsPerUnit, forgetNameBindings } from './definition-scope.js';
import { resolveDispatchTables } from './bind-dispatch-tables.js';
import { resolveRegistrations } from './bind-registrations.js';
import { handOffNames, resolveHandOffs } from './bind-hand-offs.js';
import { objectHandOffNames, resolveObjectHandOffs } from './bind-object-hand-offs.js';
import { resolveIndirectSites } from './bind-indirect-sites.js';
import type { ObjectHandOffRecorder } from './object-hand-off-record.js';
import { pointerVariableNames, siteKey } from './bind-pointer-vars.js';
import { bindThroughFunctions } from './bind-through-functions.js';
import type { BindingRecorder } from './binding-record.js';
import { holderStepsText } from './member-steps.js';
import { kindId } from './edge-kind.js';
import { EdgeList } from './edge-list.js';
import { SiteSurveyBuilder } from './site-survey.js';
import { TypeModel } from './type-model.js';
import type { TypeReadRecorder } from './type-reads.js';
import { collectGarbage } from '../util/collect-garbage.js';
import { IntList } from '../util/int-list.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/**
 * The edges a call by name from `node` makes (none for other calls): to each function or macro
 * the name binds to (bindByName), 'macro' when either end is a macro, 'direct' otherwise, with
 * the site's BindFlag bits. A name defined in no indexed file reaches its external node when the
 * index has one; when it has none, the name goes to `unbound` (compiler builtins never do: they make no edge).
 * A call through a local named like a function-like macro expands that macro (macroShadowing).
 */
export function forEachDirectEdge(index: CodeIndex, node: number, call: CallFact, emit: (target: number, kind: number, bind: number) => void, unbound?: (name: string) => void): void {
  if (call.var !== undefined) {
    for (const target of macroShadowing(index, index.nodeFile[node]!, call)) emit(target, MACRO, 0);
    return;
  }
  if (call.name === undefined || call.hints) return;
  const fromMacro = index.isMacro(node);
  // A call of a macro's expansion calls each name its definitions end with (CallFact.expandsTo).
  for (const name of call.expandsTo ?? [call.name]) {
    const { targets, flags } = bindByName(index, index.nodeFile[node]!, name);
    // A header macro's call of a definition that units decide differently binds at each expansion instead (bindsPerUnit).
    for (const target of targets) if (!fromMacro || !bindsPerUnit(index, node, target)) emit(target, fromMacro || index.isMacro(target) ? MACRO : DIRECT, flags);
    if (targets.length || isCompilerBuiltin(index, name)) continue;
    const external = index.externalNamed(name);
    if (external >= 0) emit(external, fromMacro ? MACRO : DIRECT, 0);
    else unbound?.(name);
  }
}

/**
 * forEachDirectEdge, then the edges the call makes through the bodies of the macros it binds to,
 * bound in the caller's file (forEachExpansionEdge: kind macro, BindFlag.Expansion), after its own.
 * What resolveDirect adds per call site, and what a patch adds or drops for a call.
 */
export function forEachCallEdge(index: CodeIndex, node: number, call: CallFact, emit: (target: number, kind: number, bind: number) => void, unbound?: (name: string) => void): void {
  let macros: number[] | null = null;
  forEachDirectEdge(
    index,
    node,
    call,
    (target, kind, bind) => {
      if (index.isMacro(target)) (macros ??= []).push(target);
      emit(target, kind, bind);
    },
    unbound,
  );
  if (macros) forEachExpansionEdge(index, node, macros, (target, bind) => emit(target, MACRO, bind));
}

/**
 * The calls by name that bind to nothing defined in the indexed files, in columns (caller node,
 * site, line, name): they wait through the whole resolution for their external nodes, and as one
 * object each (in an array) they took some 64 bytes a call instead of 20, held where the heap is largest.
 */
class UnboundCalls {
  readonly node = new IntList();
  readonly site = new IntList();
  readonly line = new IntList();
  readonly name: string[] = [];

  push(node: number, site: number, line: number, name: string): void {
    this.node.push(node);
    this.site.push(site);
    this.line.push(line);
    this.name.push(name);
  }
}

/**
 * Direct and macro calls: a call by name. Returns the calls that bind to no definition, except
 * those to a name some indexed file defines otherwise: a file-scope variable (a global function
 * pointer, not a function), an object-like macro naming another callee, or a typedef (a cast
 * or declaration read as a call: `u8 (*row)[4] = ...`). Calls by name to a file-scope variable
 * (a global function pointer) are added to `globalCalls` (siteKey) for resolvePointerVariables.
 */
function resolveDirect(index: CodeIndex, edges: EdgeList, globalCalls: Set<string>, survey: SiteSurveyBuilder): UnboundCalls {
  const definedOtherwise = new Set<string>();
  const globals = pointerVariableNames(index.files);
  for (const f of index.files) {
    for (const g of f.globals) definedOtherwise.add(g.name);
    for (const m of f.aliasMacros ?? []) definedOtherwise.add(m);
    for (const [t] of f.typedefs) definedOtherwise.add(t);
  }
  const unbound = new UnboundCalls();
  for (let node = 0; node < index.nodeCount; node++) {
    index.calls(node).forEach((call, site) => {
      let global = false;
      forEachCallEdge(
        index,
        node,
        call,
        (target, kind, bind) => {
          edges.add(node, target, kind, site, call.line);
          if (bind) edges.markBind(edges.length - 1, edges.length, bind);
        },
        (name) => {
          if (!definedOtherwise.has(name)) unbound.push(node, site, call.line, name);
          else if (globals.has(name)) {
            globalCalls.add(siteKey(node, site));
            global = true;
          }
        },
      );
      survey.visit(node, call, global);
    });
  }
  return unbound;
}

/**
 * One external node per name called but defined in no indexed file, in name order after every
 * defined node (so ids do not depend on the order files were read), and an edge per such call.
 */
function addExternalEdges(index: CodeIndex, edges: EdgeList, unbound: UnboundCalls): void {
  const names = [...new Set(unbound.name)].sort();
  const ids = index.addExternals(names);
  const idOf = new Map(names.map((name, i) => [name, ids[i]!]));
  unbound.name.forEach((name, i) => {
    const node = unbound.node.get(i);
    edges.add(node, idOf.get(name)!, index.isMacro(node) ? MACRO : DIRECT, unbound.site.get(i), unbound.line.get(i));
  });
}

/**
 * Binds every call site of the index to its targets, direct and through pointers. With `record`,
 * notes what the binding patch needs (binding-record.ts): the plain bindings, the slots other phases
 * touch, and what each member call site read. With `reads`, notes what the resolution read of the
 * type model (type-reads.ts), for the patch of struct, typedef and prototype edits. The steps
 * after the direct calls read the call sites the direct calls' walk found for them (site-survey.ts);
 * with `options.everyNode`, each walks every node's calls instead (the same edges: tests compare them).
 * With `options.handOffs`, notes what the object hand-offs read (object-hand-off-record.ts).
 */
export function resolveEdges(index: CodeIndex, record?: BindingRecorder, reads?: TypeReadRecorder, options: { everyNode?: boolean; handOffs?: ObjectHandOffRecorder } = {}): EdgeList {
  const edges = new EdgeList();
  const globalCalls = new Set<string>();
  // The later steps' call sites are found in the direct calls' walk, the one walk over every call site (site-survey.ts).
  const surveyBuilder = new SiteSurveyBuilder(index, new Set([...handOffNames(index.profile.handOffs), ...objectHandOffNames(index.profile.objectHandOffs)]));
  const unbound = resolveDirect(index, edges, globalCalls, surveyBuilder);
  const survey = options.everyNode ? undefined : surveyBuilder.done();
  // Room for as many edges again as the direct calls made, now, where the heap is smallest: the columns would otherwise double
  // in the later steps, where it is largest, and their old halves (some 80 MB on a kernel) stay allocated until the next full collection.
  edges.reserve(2 * edges.length);
  // The direct calls' decisions and candidates are held otherwise through the steps below, where the heap is largest.
  forgetNameBindings(index);
  const types = new TypeModel(index.files, reads ?? null, index.bindingScope?.visibility);
  // What the direct calls and the type model left, and what the caller dropped before (a cold index sets facts aside: cache/set-aside-facts.ts),
  // collected before the binding table grows the heap to its largest: V8 would collect it only there, and its next threshold would count it.
  collectGarbage();
  // Bound in a function of its own, which collects its working tables (the callers' index, the parameter stores, the copies)
  // as each step ends: a kernel's heap is largest there; the flows and the rest are garbage once it returns.
  const { table, pointerBound } = bindThroughFunctions(index, edges, types, globalCalls, record, survey);
  table.watch = null;
  resolveIndirectSites(index, edges, types, table, pointerBound, globalCalls, record, survey);
  // Every binding is in the table now: the steps to the structs holding a member bound (member-steps.ts).
  if (record) record.holderSteps = holderStepsText(types, table.slotHolders());
  resolveDispatchTables(index, edges, survey?.tableCallers);
  resolveRegistrations(index, edges);
  resolveHandOffs(index, edges, survey?.handOffCallers);
  resolveObjectHandOffs(index, types, edges, survey?.handOffCallers, options.handOffs);
  // Last, so that no binding above ever sees an external node.
  addExternalEdges(index, edges, unbound);
  // The later steps' decisions by name are not needed to save or query the graph: made again if asked.
  forgetNameBindings(index);
  if (reads) for (const f of types.splitDefiners()) reads.definers.add(index.files[f]!.path);
  return edges;
}
