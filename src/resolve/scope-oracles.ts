/**
 * Oracles of binding by name (src/types/scope.ts) made from a BuildModel (condition truth,
 * Kbuild), and the prototype declarers that break ties among same-named globals.
 */
import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import { type BuildModel, Truth } from '../types/build.js';
import type { CodeMacroTruth } from './code-macros.js';
import { conditionNames } from '../parse/kbuild/condition.js';
import type { DefinitionActivity } from '../types/scope.js';

/** BindingScope.linkUnit from a BuildModel, by file id, each file asked once (a tree without Kbuild rules has none). */
export function linkUnitsFrom(index: CodeIndex, build: () => BuildModel): (file: number) => string | undefined {
  const units = new Map<number, string | undefined>();
  return (file) => {
    if (!index.profile.kbuild) return undefined;
    if (!units.has(file)) units.set(file, build().linkUnit(index.filePath(file), file));
    return units.get(file);
  };
}

/** Kleene AND of two truths. */
export function truthAnd(a: Truth, b: Truth): Truth {
  if (a === Truth.No || b === Truth.No) return Truth.No;
  return a === Truth.Yes && b === Truth.Yes ? Truth.Yes : Truth.Unknown;
}

/**
 * DefinitionActivity from a BuildModel: a node's condition (FunctionFact.cond / MacroFact.cond,
 * read from the facts of its file: `index.fileFacts`, so a lazily loaded index reads only the
 * files asked about) AND, for a definition in a .c file, whether Kbuild builds it. Answers are
 * kept per node.
 */
export function activityFromBuild(index: CodeIndex, build: BuildModel, macros?: CodeMacroTruth): DefinitionActivity {
  const condOf = (node: number): string | undefined => {
    const facts = index.fileFacts(index.nodeFile[node]!);
    const item = index.nodeItem[node]!;
    return index.isMacro(node) ? facts.macros[item]?.cond : facts.functions[item]?.cond;
  };
  const isSource = (node: number): boolean => index.file(node).endsWith('.c');
  // Without Kbuild rules (a generic tree) every file counts as built.
  const kbuild = index.profile.kbuild;
  const condTruth = new Map<number, Truth>();
  const condition = (node: number): Truth => {
    let t = condTruth.get(node);
    if (t === undefined) condTruth.set(node, (t = index.isExternal(node) ? Truth.Yes : build.condition(condOf(node))));
    return t;
  };
  // A condition the config leaves unknown, decided over the macros of the translation unit: the
  // definition's own .c file, or for a header the caller's file (the unit that includes it).
  const unitTruth = new Map<number, Truth>();
  const unitOf = (callerFile: number, node: number): number => (isSource(node) ? index.nodeFile[node]! : callerFile);
  const conditionFrom = (callerFile: number, node: number): Truth => {
    const t = condition(node);
    if (t !== Truth.Unknown || !macros) return t;
    const unit = unitOf(callerFile, node);
    const key = unit * 2 ** 26 + node; // exact while node ids stay below 2^26 and file ids below 2^27 (a whole kernel has about 2^20 and 2^16)
    let u = unitTruth.get(key);
    if (u === undefined) unitTruth.set(key, (u = macros.truth(condOf(node), unit, index.nodeFile[node]!, index.nodeLine[node]!)));
    return u;
  };
  const builtOf = new Map<number, Truth>();
  const builtFile = (file: number): Truth => {
    let b = builtOf.get(file);
    if (b === undefined) builtOf.set(file, (b = build.built(index.filePath(file))));
    return b;
  };
  const activity = (callerFile: number, node: number): Truth => {
    if (index.isExternal(node)) return Truth.Yes;
    const t = conditionFrom(callerFile, node);
    const file = index.nodeFile[node]!;
    if (t === Truth.No || file === callerFile || !(kbuild && isSource(node))) return t;
    const b = builtFile(callerFile);
    const callerPath = index.filePath(callerFile);
    const folder = callerPath.slice(0, callerPath.lastIndexOf('/') + 1);
    // A caller Kbuild does not certainly build: definitions in its folder or below are built with it.
    if (b !== Truth.Yes && folder && index.file(node).startsWith(folder)) return t;
    return truthAnd(t, builtFile(file));
  };
  const unitDependent = (node: number): boolean => {
    if (!macros || index.isExternal(node) || isSource(node) || condition(node) !== Truth.Unknown) return false;
    return conditionNames(condOf(node) ?? '').some((n) => !n.startsWith('CONFIG_'));
  };
  const fileBuilt = (file: number): Truth => (kbuild && index.filePath(file).endsWith('.c') ? builtFile(file) : Truth.Yes);
  // A call's condition: in a .c file over the code macros of its own unit, in a header by the config alone.
  const callActive = (file: number, cond: string, line: number): Truth => {
    const t = build.condition(cond);
    if (t !== Truth.Unknown || !macros || !index.filePath(file).endsWith('.c')) return t;
    return macros.truth(cond, file, file, line);
  };
  return {
    activity,
    callActive,
    whyCall: (file, cond, line) => {
      if (callActive(file, cond, line) === Truth.Yes) return undefined;
      return macros && build.condition(cond) === Truth.Unknown && index.filePath(file).endsWith('.c') ? macros.explain(cond, file, file, line) : build.explainCondition(cond);
    },
    unitDependent,
    pathBuilt: (path) => {
      const built = kbuild ? build.built(path) : Truth.Yes;
      const why = built === Truth.Yes ? undefined : build.explainBuilt(path);
      return why ? { built, why } : { built };
    },
    fileBuilt,
    whyNotBuilt: (file) => (fileBuilt(file) === Truth.Yes ? undefined : build.explainBuilt(index.filePath(file))),
    configSource: build.config.source,
    why: (callerFile, node) => {
      const t = activity(callerFile, node);
      if (t === Truth.Yes) return undefined;
      const word = t === Truth.No ? 'inactive' : 'may be inactive';
      const cond = condOf(node);
      if (cond !== undefined && conditionFrom(callerFile, node) !== Truth.Yes) {
        const unit = unitOf(callerFile, node);
        const reason = macros && condition(node) === Truth.Unknown ? macros.explain(cond, unit, index.nodeFile[node]!, index.nodeLine[node]!) : build.explainCondition(cond);
        return `${word}: ${cond} with ${reason}`;
      }
      const built = build.explainBuilt(index.file(node));
      return built ? (t === Truth.No ? built : `may be inactive: ${built}`) : word;
    },
  };
}

/**
 * For each name defined by two or more global functions (the ties byPrototype breaks), the ids
 * of the files declaring it by a prototype (FileFacts.prototypes), from every file's facts. Kept
 * by the graph cache, so that an index loaded lazily needs no other file's facts to break a tie.
 */
export function tieDeclarers(index: CodeIndex): Map<string, number[]> {
  const globals = new Map<string, number>();
  for (let n = 0; n < index.nodeCount; n++) {
    if (index.isExternal(n) || index.isMacro(n) || index.nodeFlags[n]! & NodeFlag.Static) continue;
    const name = index.name(n);
    globals.set(name, (globals.get(name) ?? 0) + 1);
  }
  const out = new Map<string, number[]>();
  index.files.forEach((f, id) => {
    for (const [proto] of f.prototypes ?? []) {
      if ((globals.get(proto) ?? 0) < 2) continue;
      const list = out.get(proto);
      if (!list) out.set(proto, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    }
  });
  return out;
}
