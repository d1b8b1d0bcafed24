/**
 * Translation units made of several `.c` files: a `.c` file another `.c` file `#include`s
 * (drivers/usb/host/uhci-hcd.c includes uhci-q.c and uhci-pci.c; sound/pci/echoaudio/darla20.c
 * includes echoaudio.c) is no unit of its own but a part of the unit of each file including it,
 * as the compiler sees it. What it sees is what those units see (the statics of the including
 * file and of the other files it includes), and it is built exactly when one of them is (or when
 * Kbuild names it itself).
 */
import { objectOf, lookupOfRules } from './built-rules.js';
import type { IncludeGraph } from './include-graph.js';
import { type BuildModel, Truth } from '../types/build.js';

const isSource = (path: string): boolean => path.endsWith('.c');

/** The `.c` files of an index that other `.c` files include, with their includers (by file id). */
export class IncludedSources {
  /** File id -> the ids of the `.c` files whose followed `#include` directives open it, ascending. */
  private readonly includers = new Map<number, number[]>();
  /**
   * File id -> the ids of the `.c` files whose directives opening it all sit under a condition the
   * configuration leaves out (not followed: `#ifdef CONFIG_SPARC_LEON` around uhci-hcd.c's
   * `#include "uhci-grlib.c"`), for the files no followed directive opens; ascending.
   */
  private readonly ruledOut = new Map<number, number[]>();
  /** File id -> the ids of the units it is a part of (roots: `.c` files no `.c` file includes), ascending. */
  private readonly roots = new Map<number, number[]>();

  /**
   * @param paths every file's path by file id (relative to the root)
   * @param graph the include graph over those files: only directives it follows count
   */
  constructor(
    private readonly paths: readonly string[],
    graph: Pick<IncludeGraph, 'includesOf' | 'follows'>,
  ) {
    paths.forEach((path, f) => {
      if (!isSource(path)) return;
      const opened = graph.includesOf(f);
      for (let k = 0; k < opened.length; k++) {
        const t = opened[k]!;
        if (t === f || t < 0 || !isSource(paths[t] ?? '')) continue;
        const into = graph.follows(f, k) ? this.includers : this.ruledOut;
        const list = into.get(t);
        if (!list) into.set(t, [f]);
        else if (!list.includes(f)) list.push(f);
      }
    });
    for (const t of this.includers.keys()) this.ruledOut.delete(t);
    for (const list of [...this.includers.values(), ...this.ruledOut.values()]) list.sort((a, b) => a - b);
  }

  /** True when no `.c` file includes another, compiled or not. */
  get empty(): boolean {
    return this.includers.size === 0 && this.ruledOut.size === 0;
  }

  /** The `.c` files whose every directive opening `file` the configuration leaves out, when no followed one does (ascending); else empty. */
  ruledOutOf(file: number): readonly number[] {
    return this.ruledOut.get(file) ?? [];
  }

  /** The `.c` files including `file` directly, ascending; empty for a file none includes. */
  includersOf(file: number): readonly number[] {
    return this.includers.get(file) ?? [];
  }

  /**
   * The files compiled on their own whose translation units `file` is a part of, through every
   * chain of `.c` files including one another (ascending); empty for a file no `.c` file includes.
   * A cycle of inclusions with no file outside it gives the files of the cycle.
   */
  unitsOf(file: number): readonly number[] {
    if (!this.includers.has(file)) return [];
    let kept = this.roots.get(file);
    if (kept) return kept;
    const seen = new Set<number>([file]);
    const out = new Set<number>();
    const stack = [...this.includersOf(file)];
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const up = this.includersOf(f);
      if (up.length === 0) out.add(f);
      else stack.push(...up);
    }
    if (out.size === 0) for (const f of seen) if (f !== file) out.add(f);
    kept = [...out].sort((a, b) => a - b);
    this.roots.set(file, kept);
    return kept;
  }

  /** The path of file id `file`. */
  pathOf(file: number): string {
    return this.paths[file]!;
  }

  /** The id of the file at `path` when some `.c` file includes it (compiled or not: ruledOutOf); undefined otherwise. */
  includedId(path: string): number | undefined {
    if (!this.byPath) {
      this.byPath = new Map();
      for (const f of [...this.includers.keys(), ...this.ruledOut.keys()]) this.byPath.set(this.paths[f]!, f);
    }
    return this.byPath.get(path);
  }

  private byPath: Map<string, number> | null = null;
}

/** Kleene OR of truths: Yes when any is, No when all are (and there is one), Unknown otherwise. */
function anyTruth(truths: Truth[]): Truth {
  if (truths.includes(Truth.Yes)) return Truth.Yes;
  return truths.length > 0 && truths.every((t) => t === Truth.No) ? Truth.No : Truth.Unknown;
}

/**
 * `model` with the answers about files other `.c` files include made from their includers':
 * `built` is Yes when Kbuild builds the file itself or builds a file including it, No when neither
 * (and No for one only opened under conditions the configuration leaves out that no rule names)
 * (a file no Kbuild rule names counts as built through its includers alone), Unknown otherwise;
 * `explainBuilt` says which includers and why the first is not built; `linkUnit` is the file's own
 * or else that of its first includer with one. Other files and every other answer: `model`'s.
 */
export function withIncludedSources(model: BuildModel, sources: IncludedSources): BuildModel {
  if (sources.empty) return model;
  const idOf = (path: string): number | undefined => sources.includedId(path);
  let rules: ReturnType<typeof lookupOfRules> | null = null;
  const named = (path: string): boolean => {
    rules ??= lookupOfRules(model.builtRules());
    const obj = objectOf(path);
    return obj !== undefined && rules.object(obj) !== undefined;
  };
  const memo = new Map<number, Truth>();
  const builtId = (f: number, path: string): Truth => {
    const kept = memo.get(f);
    if (kept !== undefined) return kept;
    memo.set(f, Truth.Unknown); // a cycle of inclusions decides nothing
    const up = sources.includersOf(f).map((i) => built(sources.pathOf(i)));
    // Opened only under conditions the configuration leaves out, and named by no Kbuild rule: not compiled.
    const t = up.length === 0 && !named(path) ? Truth.No : anyTruth(named(path) ? [model.built(path), ...up] : up);
    memo.set(f, t);
    return t;
  };
  const built = (path: string): Truth => {
    const f = idOf(path);
    return f === undefined ? model.built(path) : builtId(f, path);
  };
  const explainBuilt = (path: string): string | undefined => {
    const f = idOf(path);
    if (f === undefined) return model.explainBuilt(path);
    const t = built(path);
    if (t === Truth.Yes) return undefined;
    const up = sources.includersOf(f).map((i) => sources.pathOf(i));
    if (up.length === 0) {
      const under = sources.ruledOutOf(f).map((i) => sources.pathOf(i));
      return `${named(path) ? `${model.explainBuilt(path) ?? 'not built'}; ` : 'not built: '}#included only under conditions the configuration leaves out, by ${under.join(', ')}`;
    }
    const first = up.find((p) => built(p) !== Truth.Yes) ?? up[0]!;
    const own = named(path) ? `${model.explainBuilt(path) ?? 'built'}, and ` : '';
    const word = t === Truth.No ? 'not built' : 'may not be built';
    return `${word}: ${own}#included only by ${up.join(', ')}, ${t === Truth.No ? 'none of them built' : 'none of them certainly built'} (${first}: ${explainBuilt(first) ?? 'built'})`;
  };
  const linkUnit = (path: string): string | undefined => {
    const own = model.linkUnit(path);
    const f = own === undefined ? idOf(path) : undefined;
    if (f === undefined) return own;
    for (const i of sources.includersOf(f)) {
      const unit = model.linkUnit(sources.pathOf(i));
      if (unit !== undefined) return unit;
    }
    return undefined;
  };
  return {
    get config() {
      return model.config;
    },
    get includeFlags() {
      return model.includeFlags;
    },
    condition: (cond) => model.condition(cond),
    builtRules: () => model.builtRules(),
    conditionIn: (cond, codeMacro) => model.conditionIn(cond, codeMacro),
    explainConditionIn: (cond, codeMacro) => model.explainConditionIn(cond, codeMacro),
    explainCondition: (cond) => model.explainCondition(cond),
    includeDirs: (path) => model.includeDirs(path),
    built,
    explainBuilt,
    linkUnit,
    // The units it adds follow from the includers' (the include graph is the same for two models over one index).
    ...(model.unitsDigest ? { unitsDigest: () => model.unitsDigest!() } : {}),
    ...(model.imagesDigest ? { imagesDigest: () => model.imagesDigest!() } : {}),
  };
}
