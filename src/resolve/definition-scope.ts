/**
 * Which of several same-named definitions a call by name binds to, as the preprocessor and the
 * compiler see a translation unit: include visibility, activity under the configuration, then
 * shadowing (a function-like macro before any function, a static of the caller's file, a static
 * of an included file, then globals), a prototype seen through the includes breaking ties among
 * globals. The oracles come from CodeIndex.bindingScope (src/types/scope.ts).
 */
import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import { Truth } from '../types/build.js';
import type { BindingScope } from '../types/scope.js';

/** Bits describing how a call site by name was bound (kept per edge: EdgeList.bind). */
export const BindFlag = {
  /** Bound to more than one definition, at least one of them of Unknown activity: which one the compiler sees depends on the config. */
  ConfigDependent: 1,
  /** No candidate was visible through the caller file's includes (a header the tree does not have): bound by the rule without visibility. */
  NoneVisible: 2,
  /**
   * A call in the body of a macro the site calls, whose name the macro's own file sees no
   * definition of, bound in the scope of the file expanding the macro (bind-expansion.ts): the
   * edge carries no arguments of its own. Set only when the caller or the callee is a macro: an
   * edge of kind macro between two functions is always such an edge (isExpansionEdge).
   */
  Expansion: 4,
} as const;

/**
 * True when a call from macro node `caller` to `target` binds per expanding translation unit, not
 * once for the macro: the macro sits in a header (a header is no unit: the units including it decide
 * its conditions) and `target`'s activity depends on the code macros of the unit
 * (DefinitionActivity.unitDependent: asm-generic's `BUG()` under `#ifndef HAVE_ARCH_BUG`, which
 * x86's asm/bug.h defines before including it). The macro node makes no edge to it; each call of
 * the macro binds the name from its own file (bind-expansion.ts).
 */
export function bindsPerUnit(index: CodeIndex, caller: number, target: number): boolean {
  const unitDependent = index.bindingScope?.activity?.unitDependent;
  return unitDependent !== undefined && index.isMacro(caller) && !index.file(caller).endsWith('.c') && unitDependent(target);
}

/** Why one candidate was chosen or left out: one line for explain. */
export interface CandidateVerdict {
  node: number;
  chosen: boolean;
  reason: string;
}

/** The definitions a call by name binds to, with how (BindFlag bits) and, when asked, why for every candidate. */
export interface BindDecision {
  targets: number[];
  flags: number;
  verdicts?: CandidateVerdict[];
  /** With verdicts: every candidate the caller sees (every one when it sees none) is inactive (the definition the compiler uses is elsewhere: in assembly, or outside the indexed files). */
  allInactive?: true;
}

/** Shadowing tiers, first to last: a function-like macro, a static of the caller's file, a static of another (included) file, a global function. */
const MACRO = 0;
const LOCAL_STATIC = 1;
const OTHER_STATIC = 2;
const GLOBAL = 3;
const TIER_WORD = ['macro', 'static', 'static', 'global function'];

const where = (index: CodeIndex, node: number): string => `${index.file(node)}:${index.nodeLine[node]}`;

function tierOf(index: CodeIndex, node: number, callerFile: number): number {
  const flags = index.nodeFlags[node]!;
  if (flags & NodeFlag.Macro) return MACRO;
  if (!(flags & NodeFlag.Static)) return GLOBAL;
  return index.nodeFile[node] === callerFile ? LOCAL_STATIC : OTHER_STATIC;
}

/**
 * The rule used before include visibility was known (and still used when no candidate is
 * visible): a static of the caller's file wins, then global functions, then statics of headers,
 * then macros by the same ranks. Several candidates at the same rank are all kept.
 */
export function pickByName(index: CodeIndex, callerFile: number, nodes: number[]): number[] {
  const flags = (n: number): number => index.nodeFlags[n]!;
  const pick = (list: number[]): number[] => {
    const local = list.filter((n) => index.nodeFile[n] === callerFile);
    if (local.length) return local;
    const global = list.filter((n) => !(flags(n) & NodeFlag.Static) && !(flags(n) & NodeFlag.Macro));
    if (global.length) return global;
    return list.filter((n) => flags(n) & NodeFlag.Header);
  };
  const fromFunctions = pick(nodes.filter((n) => !(flags(n) & NodeFlag.Macro)));
  if (fromFunctions.length) return fromFunctions;
  return pick(nodes.filter((n) => flags(n) & NodeFlag.Macro));
}

/** Among `nodes`, those whose activity is not No when any is; all of them otherwise (never bind to an inactive definition when an active one exists). */
function dropInactive(nodes: number[], activity: (n: number) => Truth): number[] {
  const live = nodes.filter((n) => activity(n) !== Truth.No);
  return live.length ? live : nodes;
}

/**
 * Walks the tiers: stops at the first tier holding a Yes candidate, keeping its Yes candidates
 * and the Unknown ones of the tiers before it (they may shadow it in some configs); with no Yes
 * anywhere, every Unknown candidate. Within a tier an active definition excludes the others (two
 * statics of one name in one translation unit, or two globals linked, do not build), so the
 * Unknown ones next to a Yes are left out. `stop` is the Yes candidate that ended the walk (-1 if none).
 */
function walkTiers(tiers: number[][], activity: (n: number) => Truth): { kept: number[]; stop: number } {
  const kept: number[] = [];
  for (const tier of tiers) {
    const yes = tier.find((n) => activity(n) === Truth.Yes);
    if (yes !== undefined) return { kept: [...kept, ...tier.filter((n) => activity(n) === Truth.Yes)], stop: yes };
    kept.push(...tier.filter((n) => activity(n) === Truth.Unknown));
  }
  return { kept, stop: -1 };
}

/**
 * Among several global functions, those whose file includes a header (seen from the caller's
 * file too) that declares `name` by a prototype; all of them when none or every one does.
 */
function byPrototype(index: CodeIndex, scope: BindingScope, callerFile: number, name: string, globals: number[]): { kept: number[]; header: string } {
  const { visibility, declarers } = scope;
  if (globals.length < 2 || !visibility || !declarers) return { kept: globals, header: '' };
  const seen = declarers(name).filter((h) => visibility.sees(callerFile, h));
  if (seen.length === 0) return { kept: globals, header: '' };
  const kept = globals.filter((g) => seen.some((h) => visibility.sees(index.nodeFile[g]!, h)));
  return kept.length === 0 || kept.length === globals.length ? { kept: globals, header: '' } : { kept, header: index.filePath(seen[0]!) };
}

/**
 * Among several global functions, those linked with the caller's file first: defined in that file,
 * or in a file of the same composite object (BindingScope.linkUnit), whose references the linker
 * satisfies before any other object's symbols (a module's own definition over another module's).
 * All of them when none or every one is. `unit` is the caller's composite object ('' none). The
 * globals of images the caller is not linked into are gone before (imagesApart).
 */
function byLinkUnit(index: CodeIndex, scope: BindingScope, callerFile: number, globals: number[]): { kept: number[]; unit: string } {
  if (globals.length < 2) return { kept: globals, unit: '' };
  const unit = scope.linkUnit?.(callerFile) ?? '';
  const kept = globals.filter((g) => index.nodeFile[g] === callerFile || (unit !== '' && scope.linkUnit!(index.nodeFile[g]!) === unit));
  return kept.length === 0 || kept.length === globals.length ? { kept: globals, unit: '' } : { kept, unit };
}

/**
 * The definitions a call by name from a body in `callerFile` binds to (node ids, ascending), the
 * BindFlag bits of the site, and with `explain` a verdict per candidate. External nodes are never
 * candidates (see forEachDirectEdge). The rules, following C:
 * - visibility: a macro or a static is visible when its file is the caller's or is in the caller
 *   file's include closure; a global function is visible everywhere (linkage). When none is
 *   visible, the rule without visibility (pickByName) applies to all of them (NoneVisible);
 * - activity: inactive candidates (Truth.No) are dropped while an active or unknown one remains;
 * - images: a global of an image linked on its own that the caller is not linked into is no candidate (imagesApart);
 * - shadowing by tiers (walkTiers): macro, static of the caller's file, static of an included file, global;
 * - ties among globals: a prototype seen through the includes (byPrototype), then the caller's
 *   own file or composite object (byLinkUnit).
 * Without a visibility oracle, the rule without visibility applies after the activity filter.
 */
export function bindByName(index: CodeIndex, callerFile: number, name: string, explain = false): BindDecision {
  if (explain) return decide(index, callerFile, name, true);
  // One decision per name and caller file: nodes come file by file, so only the current file's are kept,
  // by the name's string id (one lookup of the name per call site, then arrays).
  const id = index.strings.find(name);
  if (id < 0) return NO_TARGETS; // no node has the name
  const scope = index.bindingScope;
  let memo = decisions.get(index);
  if (!memo) decisions.set(index, (memo = { file: -1, scope, stamp: 0, stamps: [], byId: [] }));
  if (memo.file !== callerFile || memo.scope !== scope) {
    memo.file = callerFile;
    memo.scope = scope;
    memo.stamp++;
  }
  if (memo.stamps[id] === memo.stamp) return memo.byId[id]!;
  const d = decide(index, callerFile, name, false, id);
  memo.stamps[id] = memo.stamp;
  memo.byId[id] = d;
  return d;
}

/** bindByName without its memo of one caller file's decisions: for a file other than the one being resolved (bind-expansion.ts). */
export function bindByNameFrom(index: CodeIndex, callerFile: number, name: string): BindDecision {
  const id = index.strings.find(name);
  return id < 0 ? NO_TARGETS : decide(index, callerFile, name, false, id);
}

/** The decision for a name no node has (shared: callers never change a decision's arrays). */
const NO_TARGETS: BindDecision = { targets: [], flags: 0 };

/**
 * The decisions bindByName made for the caller file it was last asked about (they depend on nothing else but the scope):
 * `byId[s]` is the decision for string id s when `stamps[s]` is `stamp`, which moves on when the file or the scope changes.
 */
const decisions = new WeakMap<CodeIndex, { file: number; scope: BindingScope | null; stamp: number; stamps: number[]; byId: BindDecision[] }>();

/**
 * The candidates of each name (its nodes but external ones) by the name's string id, made once
 * per name and index: a name is asked about from thousands of caller files. Made again when the index gains nodes.
 */
const candidateMemo = new WeakMap<CodeIndex, { nodeCount: number; byId: (number[] | undefined)[] }>();

/**
 * Drops what bindByName keeps per index (its decisions and each name's candidates), to be made
 * again when next asked. Why: the decisions of every caller file the direct calls were bound for
 * stay held (one per name ever asked, stale ones too), with the candidates of every name called:
 * on Linux 6.1 they are some 200,000 decisions and their target arrays in a quarter of the tree
 * (net/, include/, drivers/net, drivers/gpu: 46 MB), held through the rest of the resolution,
 * where the memory of a cold index peaks, while the later steps ask about far fewer names.
 * resolveEdges drops them after the direct calls, again before the flows and the copies' settling
 * (where a kernel's heap is largest) and before the pointer variables, and once more when it ends.
 * Measured on a cold index of a copy of Linux 6.1's net/, include/, kernel/, mm/, lib/, init/ and
 * arch/x86 (9,944 files; live heap after a full collection, process.memoryUsage().heapUsed): 235 MB
 * instead of 243 MB after the copies settle, 201 MB instead of 210 MB when resolve ends.
 * Whole Linux 6.1 x86 tree, cold `pathfind index` (bench/cold-memory.mjs, one run each back to back,
 * load 4-6), with the evidence texts made flat (util/flat-text.ts): maxrss 2,260 MiB instead of
 * 2,358, live heap after a full collection in resolve 1,596 MiB instead of 1,665.
 */
export function forgetNameBindings(index: CodeIndex): void {
  decisions.delete(index);
  candidateMemo.delete(index);
}

function candidatesNamed(index: CodeIndex, name: string, id = index.strings.find(name)): number[] {
  if (id < 0) return [];
  let memo = candidateMemo.get(index);
  if (!memo || memo.nodeCount !== index.nodeCount) candidateMemo.set(index, (memo = { nodeCount: index.nodeCount, byId: [] }));
  let nodes = memo.byId[id];
  if (!nodes) memo.byId[id] = nodes = index.nodesNamed(name).filter((n) => !index.isExternal(n));
  return nodes;
}

/** bindByName without the memo; see there. The returned arrays must not be changed by callers. */
function decide(index: CodeIndex, callerFile: number, name: string, explain: boolean, id?: number): BindDecision {
  const named = candidatesNamed(index, name, id);
  if (named.length === 0) return { targets: [], flags: 0, ...(explain ? { verdicts: [] } : {}) };
  const scope = index.bindingScope ?? {};
  // A global of an image linked on its own (the boot image, the EFI stub) is no definition for a caller outside it: the linker never sees the two together.
  const apart = imagesApart(index, scope, callerFile, named);
  const nodes = apart.length ? named.filter((n) => !apart.includes(n)) : named;
  if (nodes.length === 0) return { targets: [], flags: 0, ...(explain ? { verdicts: apart.map((node) => ({ node, chosen: false, reason: imageReason(index, scope, callerFile, node) })) } : {}) };
  if (nodes.length === 1 && !explain) {
    // One visible definition: every rule keeps it.
    const only = nodes[0]!;
    const seen = !scope.visibility || tierOf(index, only, callerFile) === GLOBAL || index.nodeFile[only] === callerFile || scope.visibility.sees(callerFile, index.nodeFile[only]!);
    if (seen) return { targets: nodes, flags: 0 };
  }
  const oracle = scope.activity;
  const activity = (n: number): Truth => (oracle ? oracle.activity(callerFile, n) : Truth.Yes);
  const callerPath = callerFile >= 0 && callerFile < index.fileCount ? index.filePath(callerFile) : '';
  const reasons = new Map<number, string>();
  const visibility = scope.visibility;
  const visible = visibility ? nodes.filter((n) => tierOf(index, n, callerFile) === GLOBAL || index.nodeFile[n] === callerFile || visibility.sees(callerFile, index.nodeFile[n]!)) : [];
  let targets: number[];
  let flags = 0;
  if (visible.length === 0) {
    if (visibility) flags |= BindFlag.NoneVisible;
    const live = dropInactive(nodes, activity);
    targets = pickByName(index, callerFile, live);
    if (explain) {
      for (const n of nodes) if (!live.includes(n)) reasons.set(n, oracle?.why(callerFile, n) ?? 'inactive');
      const lead = visibility ? `no definition is visible from ${callerPath}; ` : '';
      // No target at all: every candidate is a static or a macro of a file the caller does not include (the call is external).
      const preferred = targets.length ? `by name, ${TIER_WORD[tierOf(index, targets[0]!, callerFile)]} ${where(index, targets[0]!)} is preferred` : null;
      for (const n of live) if (!targets.includes(n)) reasons.set(n, `${lead}${preferred ?? `a ${TIER_WORD[tierOf(index, n, callerFile)]} of a file it does not include: the call is external`}`);
      for (const n of targets) reasons.set(n, `${lead}chosen by name${index.nodeFile[n] === callerFile ? ' (same file)' : ''}`);
    }
  } else {
    const live = dropInactive(visible, activity);
    const tiers: number[][] = [[], [], [], []];
    for (const n of live) tiers[tierOf(index, n, callerFile)]!.push(n);
    // Every visible candidate inactive: they are all kept, and shadow one another as if active.
    const allNo = live.every((m) => activity(m) === Truth.No);
    const walked = walkTiers(tiers, allNo ? () => Truth.Yes : activity);
    const strong = overridden(index, walked.kept.filter((n) => tierOf(index, n, callerFile) === GLOBAL), activity);
    const globals = strong.kept;
    const proto = byPrototype(index, scope, callerFile, name, globals);
    const linked = byLinkUnit(index, scope, callerFile, proto.kept);
    targets = walked.kept.filter((n) => tierOf(index, n, callerFile) !== GLOBAL || linked.kept.includes(n));
    if (explain) {
      for (const n of nodes) {
        if (!visible.includes(n)) reasons.set(n, `not included from ${callerPath}`);
        else if (!live.includes(n)) reasons.set(n, oracle?.why(callerFile, n) ?? 'inactive');
        // Every candidate inactive: none shadows another, each is left out for its own inactivity.
        else if (!walked.kept.includes(n) && allNo) reasons.set(n, oracle?.why(callerFile, n) ?? 'inactive');
        else if (!walked.kept.includes(n) && tierOf(index, n, callerFile) === tierOf(index, walked.stop, callerFile)) reasons.set(n, `${oracle?.why(callerFile, n) ?? 'unknown'}, and the active ${TIER_WORD[tierOf(index, walked.stop, callerFile)]} in ${where(index, walked.stop)} excludes it`);
        else if (!walked.kept.includes(n)) reasons.set(n, `shadowed by the ${TIER_WORD[tierOf(index, walked.stop, callerFile)]} in ${where(index, walked.stop)}`);
        else if (strong.by !== undefined && tierOf(index, n, callerFile) === GLOBAL && !globals.includes(n)) reasons.set(n, `a weak definition: the strong one at ${where(index, strong.by)} overrides it`);
        else if (!targets.includes(n)) reasons.set(n, proto.kept.includes(n) ? linkReason(index, scope, callerFile, n, linked.unit, name) : `no prototype in ${proto.header} reaches ${index.file(n)}`);
        else reasons.set(n, chosenReason(index, scope, callerFile, n, proto.header, linked.unit));
      }
    }
  }
  targets.sort((a, b) => a - b);
  if (targets.length > 1 && targets.some((n) => activity(n) === Truth.Unknown)) flags |= BindFlag.ConfigDependent;
  if (!explain) return { targets, flags };
  for (const n of apart) reasons.set(n, imageReason(index, scope, callerFile, n));
  const verdicts = named.map((node) => ({ node, chosen: targets.includes(node), reason: reasons.get(node)! }));
  // A macro or static of a file the caller does not include is no definition the compiler sees: it does not count.
  const allInactive = oracle !== undefined && (visible.length ? visible : nodes).every((n) => activity(n) === Truth.No);
  for (const v of verdicts) {
    const t = v.chosen ? activity(v.node) : Truth.Yes;
    const why = t !== Truth.Yes ? oracle?.why(callerFile, v.node) : undefined;
    // Every candidate inactive: the call keeps them (the one the compiler calls is outside the indexed files, or the model is wrong), and says so.
    if (why) v.reason += t === Truth.No ? `; ${why} (no active definition is indexed)` : `; ${why}`;
  }
  return { targets, flags, verdicts, ...(allInactive ? { allInactive: true as const } : {}) };
}

/**
 * The global functions among `nodes` that belong to an image linked on its own (BindingScope.linkUnit
 * `folder/`: a folder only subdir- lists or `$(build)=` recipes enter) other than the one `callerFile`
 * belongs to. Empty without link units.
 */
function imagesApart(index: CodeIndex, scope: BindingScope, callerFile: number, nodes: readonly number[]): number[] {
  if (!scope.linkUnit) return [];
  let own: string | undefined | null = null;
  const out: number[] = [];
  for (const n of nodes) {
    if (tierOf(index, n, callerFile) !== GLOBAL) continue;
    const unit = scope.linkUnit(index.nodeFile[n]!);
    if (!unit?.endsWith('/')) continue;
    if (own === null) own = scope.linkUnit(callerFile);
    if (unit !== own) out.push(n);
  }
  return out;
}

/** Why a global of another image was left out (imagesApart). */
function imageReason(index: CodeIndex, scope: BindingScope, callerFile: number, node: number): string {
  return `global function of ${scope.linkUnit!(index.nodeFile[node]!)}, an image linked on its own (a folder only subdir- lists or $(build)= rules enter), which ${index.filePath(callerFile)} is not linked into`;
}

/**
 * The globals among `globals` the linker may take: the weak definitions (FunctionFact.weak:
 * `void __weak arch_cpu_idle(void)`) dropped when a strong one is active (`by`, the first such); all
 * of them otherwise (no strong one, or none certainly built: which wins depends on the config).
 */
function overridden(index: CodeIndex, globals: number[], activity: (n: number) => Truth): { kept: number[]; by?: number } {
  if (globals.length < 2) return { kept: globals };
  const weak = globals.filter((n) => isWeak(index, n));
  const by = weak.length ? globals.find((n) => !weak.includes(n) && activity(n) === Truth.Yes) : undefined;
  return by === undefined ? { kept: globals } : { kept: globals.filter((n) => !weak.includes(n)), by };
}

/** Whether function `node` is defined weak (FunctionFact.weak), from its file's facts; false when they cannot be read (an index export). */
function isWeak(index: CodeIndex, node: number): boolean {
  try {
    const fn = index.isMacro(node) ? undefined : index.fileFacts(index.nodeFile[node]!).functions[index.nodeItem[node]!];
    return fn?.weak === true;
  } catch {
    return false;
  }
}

/** Why a global tied with one linked with the caller was left out (byLinkUnit): `global function of X.o, which caller.c is not linked into`. */
function linkReason(index: CodeIndex, scope: BindingScope, callerFile: number, node: number, unit: string, name: string): string {
  const other = scope.linkUnit?.(index.nodeFile[node]!);
  const caller = index.filePath(callerFile);
  const its = other ? `global function of ${other}` : `global function of ${index.file(node)}`;
  return unit ? `${its}, which ${caller} is not linked into` : `${its}; ${caller} defines ${name} itself`;
}

/** Why a visible candidate was chosen: `same file`, `global function`, `included from X via a.h, b.h`, with the prototype that broke a tie. */
function chosenReason(index: CodeIndex, scope: BindingScope, callerFile: number, node: number, protoHeader: string, linkUnit: string): string {
  const file = index.nodeFile[node]!;
  const kind = TIER_WORD[tierOf(index, node, callerFile)]!;
  let text: string;
  if (file === callerFile) text = `${kind} in the same file`;
  else if (tierOf(index, node, callerFile) === GLOBAL) text = linkUnit ? `global function of ${linkUnit}, which ${index.filePath(callerFile)} is linked into too` : 'global function (external linkage)';
  else {
    const via = scope.visibility?.includedVia?.(callerFile, file);
    text = `${kind} included from ${index.filePath(callerFile)}${via?.length ? ` via ${via.join(', ')}` : ''}`;
  }
  return protoHeader ? `${text}; prototype in ${protoHeader}` : text;
}
