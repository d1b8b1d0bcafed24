/**
 * Adapters that make the oracles of binding by name (src/types/scope.ts) from what the rest of
 * issue 11 builds: a BuildModel (condition truth, Kbuild) and an include graph answering by path.
 */
import type { CodeIndex } from '../index/code-index.js';
import { type BuildModel, Truth } from '../types/build.js';
import type { BindingScope, DefinitionActivity, IncludeVisibility } from '../types/scope.js';

/** What an include graph answers, by path relative to the root (the shape the include-graph stage provides). */
export interface IncludeGraphByPath {
  /** True when `file` is `caller` or is in the include closure of `caller`. */
  sees(caller: string, file: string): boolean;
  /** The chain of files through which `caller` includes `file`, ending with `file`; undefined when it does not. */
  includedVia?(caller: string, file: string): string[] | undefined;
}

/** IncludeVisibility by file id, from an include graph answering by path. */
export function visibilityFromIncludes(index: CodeIndex, graph: IncludeGraphByPath): IncludeVisibility {
  const path = (file: number): string => index.files[file]!.path;
  return {
    sees: (caller, file) => caller === file || graph.sees(path(caller), path(file)),
    includedVia: (caller, file) => graph.includedVia?.(path(caller), path(file)),
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
export function activityFromBuild(index: CodeIndex, build: BuildModel): DefinitionActivity {
  const known = new Map<number, Truth>();
  const condOf = (node: number): string | undefined => {
    const facts = index.fileFacts(index.nodeFile[node]!);
    const item = index.nodeItem[node]!;
    return index.isMacro(node) ? facts.macros[item]?.cond : facts.functions[item]?.cond;
  };
  const isSource = (node: number): boolean => index.file(node).endsWith('.c');
  const activity = (node: number): Truth => {
    if (index.isExternal(node)) return Truth.Yes;
    let t = known.get(node);
    if (t === undefined) {
      t = build.condition(condOf(node));
      if (t !== Truth.No && isSource(node)) t = truthAnd(t, build.built(index.file(node)));
      known.set(node, t);
    }
    return t;
  };
  return {
    activity,
    why: (node) => {
      const t = activity(node);
      if (t === Truth.Yes) return undefined;
      const cond = condOf(node);
      const condTruth = build.condition(cond);
      const word = t === Truth.No ? 'inactive' : 'config-dependent';
      if (cond !== undefined && condTruth !== Truth.Yes) return `${word}: ${cond} with ${build.explainCondition(cond)}`;
      const built = build.explainBuilt(index.file(node));
      if (built) return t === Truth.No ? built : `config-dependent: ${built}`;
      return word;
    },
  };
}

/**
 * declarers for BindingScope: the files declaring a name by a prototype (FileFacts.prototypes),
 * from every file's facts, gathered on first use (an index built with its facts).
 */
export function declarersFromFacts(index: CodeIndex): (name: string) => number[] {
  let byName: Map<string, number[]> | null = null;
  return (name) => {
    if (!byName) {
      byName = new Map();
      index.files.forEach((f, id) => {
        for (const [proto] of f.prototypes ?? []) {
          const list = byName!.get(proto);
          if (list) list.push(id);
          else byName!.set(proto, [id]);
        }
      });
    }
    return byName.get(name) ?? [];
  };
}

/** The BindingScope of a tree from its include graph and build model (either may be absent). */
export function bindingScopeOf(index: CodeIndex, includes: IncludeGraphByPath | null, build: BuildModel | null): BindingScope {
  return {
    ...(includes ? { visibility: visibilityFromIncludes(index, includes), declarers: declarersFromFacts(index) } : {}),
    ...(build ? { activity: activityFromBuild(index, build) } : {}),
  };
}
